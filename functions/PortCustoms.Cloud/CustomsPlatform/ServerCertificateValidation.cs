using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PortCustoms.Cloud.CustomsPlatform;

/// <summary>
/// Server certificate check against a private root CA (the platform's, or a test CA): the chain must end at that root
/// only, and the name must match. A certificate the system trusts is not enough: with a private root configured, a
/// publicly trusted certificate for the customs host name (mis-issued, or an interception proxy's) is refused.
/// </summary>
internal static class ServerCertificateValidation
{
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 root)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        // A private CA publishes no revocation list reachable from here.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span);
    }
}
