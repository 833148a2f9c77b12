using System.Security.Cryptography.X509Certificates;

namespace PortCustoms.Cloud.Security;

/// <summary>
/// How callers that authenticate with a client certificate (the customs platform pushing notifications) are checked
/// (section <c>CallerCertificates</c>). App Service forwards the certificate in <c>X-ARR-ClientCert</c> without
/// validating it, so the app does: a pinned thumbprint, or a chain to a configured root; always the validity period.
/// </summary>
public sealed class CallerCertificateOptions
{
    public const string SectionName = "CallerCertificates";

    /// <summary>When true, a request without a valid certificate is refused (401/403). Off by default for local runs.</summary>
    public bool Required { get; set; }

    /// <summary>Accepted certificates by SHA-1 thumbprint (as Azure shows them) or SHA-256 hash, hex.</summary>
    public IList<string> PinnedThumbprints { get; } = [];

    /// <summary>Trusted roots (PEM or base64 DER) for chain validation, e.g. the customs authority's CA.</summary>
    public IList<string> TrustedRoots { get; } = [];

    /// <summary>Revocation checking of the chain; <c>Online</c> needs the CA's CRL/OCSP endpoints reachable.</summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.NoCheck;
}
