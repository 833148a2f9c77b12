using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace PortCustoms.Cloud.Security;

/// <summary>
/// How callers that authenticate with a client certificate (the customs platform pushing notifications) are checked
/// (section <c>CallerCertificates</c>). App Service forwards the certificate in <c>X-ARR-ClientCert</c> without
/// validating it, so the app does: a pinned thumbprint, or a chain to a configured root; always the validity period.
/// </summary>
public sealed class CallerCertificateOptions : IValidatableObject
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

    /// <summary>
    /// At start: a requirement nobody can meet (required, but nothing trusted) would refuse every caller; a thumbprint that
    /// is not hex, or a root that does not load, would never match.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Required && PinnedThumbprints.Count == 0 && TrustedRoots.Count == 0)
        {
            yield return new ValidationResult($"{SectionName}:Required is true but neither {SectionName}:PinnedThumbprints nor {SectionName}:TrustedRoots is set: every caller would be refused.");
        }
        for (var i = 0; i < PinnedThumbprints.Count; i++)
        {
            var hex = PinnedThumbprints[i].Replace(":", string.Empty, StringComparison.Ordinal).Trim();
            if (hex.Length is not (40 or 64) || !hex.All(char.IsAsciiHexDigit))
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:PinnedThumbprints:{i} is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint."));
            }
        }
        for (var i = 0; i < TrustedRoots.Count; i++)
        {
            if (!CallerCertificateValidator.TryLoadRoot(TrustedRoots[i], out var error))
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:TrustedRoots:{i} is not a certificate (PEM or base64 DER): {error}"));
            }
        }
        if (!Enum.IsDefined(RevocationMode))
        {
            yield return new ValidationResult($"{SectionName}:RevocationMode must be NoCheck, Online or Offline.");
        }
    }
}

/// <summary>Validates <see cref="CallerCertificateOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class CallerCertificateOptionsValidator : IValidateOptions<CallerCertificateOptions>
{
}
