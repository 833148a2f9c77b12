using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace PortCustoms.Cloud.Security;

/// <summary>The verdict on a caller's certificate, with the identity to audit and, when refused, why.</summary>
public sealed record CallerCertificateVerdict(bool IsTrusted, string? Thumbprint, string? Subject, string Reason);

/// <summary>
/// Validates the client certificate a caller presents: directly on a TLS connection (Kestrel, LocalHost) or as App
/// Service forwards it in <c>X-ARR-ClientCert</c>. Accepted by pinned thumbprint or by a chain to a configured root, and
/// only inside its validity period; client-authentication usage is required when the certificate states its usages.
/// </summary>
public sealed class CallerCertificateValidator
{
    public const string ForwardedHeader = "X-ARR-ClientCert";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly CallerCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _pinned;
    private readonly X509Certificate2Collection _roots;

    public CallerCertificateValidator(IOptions<CallerCertificateOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _pinned = _options.PinnedThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        _roots = new X509Certificate2Collection(_options.TrustedRoots.Select(LoadRoot).ToArray());
    }

    public bool Required => _options.Required;

    /// <summary>
    /// The certificate a caller presented: on the TLS connection itself (<paramref name="connectionCertificate"/>), else
    /// as App Service forwards it (<paramref name="forwarded"/>, the base64 DER of <see cref="ForwardedHeader"/>); null
    /// when none was presented or the forwarded one cannot be read. The transport reads both from its request.
    /// </summary>
    public static X509Certificate2? ReadCertificate(X509Certificate2? connectionCertificate, string? forwarded)
    {
        if (connectionCertificate is not null)
        {
            return connectionCertificate;
        }
        if (string.IsNullOrEmpty(forwarded))
        {
            return null;
        }
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(forwarded));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The verdict on what a caller presented (see <see cref="ReadCertificate"/>).</summary>
    public CallerCertificateVerdict Validate(X509Certificate2? connectionCertificate, string? forwarded)
    {
        var certificate = ReadCertificate(connectionCertificate, forwarded);
        return certificate is null
            ? new CallerCertificateVerdict(false, null, null, "No client certificate was presented (or it could not be read).")
            : Validate(certificate);
    }

    public CallerCertificateVerdict Validate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var thumbprint = certificate.Thumbprint;
        var subject = certificate.Subject;
        var now = _time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return new(false, thumbprint, subject, $"The certificate is not valid now (valid {certificate.NotBefore:O} to {certificate.NotAfter:O}).");
        }
        if (!AllowsClientAuthentication(certificate))
        {
            return new(false, thumbprint, subject, "The certificate is not issued for client authentication.");
        }
        var sha256 = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_pinned.Contains(thumbprint.ToUpperInvariant()) || _pinned.Contains(sha256))
        {
            return new(true, thumbprint, subject, "Pinned certificate.");
        }
        if (_roots.Count == 0)
        {
            return new(false, thumbprint, subject, "The certificate is not pinned and no trusted root is configured.");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = _options.RevocationMode;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (chain.Build(certificate))
        {
            return new(true, thumbprint, subject, "Chains to a trusted root.");
        }
        var status = string.Join("; ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return new(false, thumbprint, subject, $"The certificate does not chain to a trusted root ({status}).");
    }

    private static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return usages is null || usages.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthenticationOid);
    }

    /// <summary>Whether <paramref name="text"/> loads as a root (start-up validation), with the reason when not.</summary>
    internal static bool TryLoadRoot(string text, out string? error)
    {
        try
        {
            using var root = LoadRoot(text);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            error = ex.Message;
            return false;
        }
    }

    private static X509Certificate2 LoadRoot(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(trimmed)
            : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(trimmed));
    }
}
