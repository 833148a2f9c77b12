using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Security;

/// <summary>Whether customs notifications must carry the authority's signature.</summary>
public enum InboundSignatureMode
{
    /// <summary>Signatures are not checked (an authority that does not sign).</summary>
    Off,

    /// <summary>Every notification, whatever its format, must be signed by a trusted certificate of the authority; others are refused and kept for audit.</summary>
    Required,
}

/// <summary>
/// The customs authority's signatures on what it sends us (configuration section <c>CustomsPlatform:InboundSignatures</c>):
/// JSON with a detached JWS in <see cref="DetachedJws.HeaderName"/>, XML with an enveloped XML-DSig signature, EDIFACT
/// with an AUTACK (<see cref="Autack"/>). Trust comes from configuration only: the authority's signing certificates
/// (PEM, public part only) and, optionally, thumbprint pins, never from the message.
/// </summary>
public sealed class InboundSignatureOptions : IValidatableObject
{
    public const string SectionName = "CustomsPlatform:InboundSignatures";

    public InboundSignatureMode Mode { get; set; } = InboundSignatureMode.Off;

    /// <summary>
    /// PEM of the authority's signing certificates (each entry one or more <c>BEGIN CERTIFICATE</c> blocks; a chain's
    /// certificates are all trusted as signers). Several entries let a rotation overlap.
    /// </summary>
    public List<string> Certificates { get; } = [];

    /// <summary>
    /// Thumbprint pins (SHA-1 or SHA-256, hex). Set: only a certificate with one of these thumbprints is trusted, one of
    /// <see cref="Certificates"/> or, for XML, one the document presents in its <c>KeyInfo</c>.
    /// </summary>
    public List<string> Thumbprints { get; } = [];

    public bool IsRequired => Mode == InboundSignatureMode.Required;

    /// <summary>The configured certificates (pins applied); invalid PEM is reported by <see cref="Validate(DateTimeOffset)"/> at start.</summary>
    public IReadOnlyList<X509Certificate2> LoadCertificates()
    {
        var loaded = new List<X509Certificate2>();
        foreach (var pem in Certificates.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(pem);
            loaded.AddRange(collection.Where(c => Thumbprints.Count == 0 || IsPinned(c)));
        }
        return loaded;
    }

    /// <summary>Whether <paramref name="certificate"/>'s SHA-1 or SHA-256 thumbprint is one of <see cref="Thumbprints"/>.</summary>
    public bool IsPinned(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var sha1 = certificate.Thumbprint;
        var sha256 = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        return Thumbprints.Any(t => Normalize(t) is { } pin && (pin == sha1 || pin == sha256));
    }

    private static string Normalize(string thumbprint) =>
        new([.. thumbprint.Where(c => !char.IsWhiteSpace(c) && c != ':').Select(char.ToUpperInvariant)]);

    public IReadOnlyList<string> Validate(DateTimeOffset now)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            problems.Add($"{SectionName}:Mode must be Off or Required.");
        }
        foreach (var pin in Thumbprints)
        {
            var normalized = Normalize(pin ?? string.Empty);
            if (normalized.Length is not (40 or 64) || !normalized.All(Uri.IsHexDigit))
            {
                problems.Add($"{SectionName}:Thumbprints: '{pin}' is not a SHA-1 (40) or SHA-256 (64) hex thumbprint.");
            }
        }
        var all = new List<X509Certificate2>();
        for (var i = 0; i < Certificates.Count; i++)
        {
            try
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(Certificates[i] ?? string.Empty);
                if (collection.Count == 0)
                {
                    problems.Add($"{SectionName}:Certificates:{i} holds no PEM certificate.");
                }
                all.AddRange(collection);
            }
            catch (CryptographicException)
            {
                problems.Add($"{SectionName}:Certificates:{i} is not valid PEM.");
            }
        }
        if (IsRequired)
        {
            if (all.Count == 0 && Thumbprints.Count == 0)
            {
                problems.Add($"{SectionName}:Mode is Required but no certificate or thumbprint of the authority is configured: every notification would be refused.");
            }
            if (all.Count > 0 && Thumbprints.Count > 0 && !all.Any(IsPinned))
            {
                problems.Add($"{SectionName}: none of the configured certificates has a pinned thumbprint.");
            }
            if (all.Count > 0 && all.All(c => now > c.NotAfter))
            {
                problems.Add($"{SectionName}: every configured certificate has expired (the last on {all.Max(c => c.NotAfter):yyyy-MM-dd}); no notification could be accepted.");
            }
        }
        return problems;
    }

    /// <summary>For the source-generated validator: the problems above as validation results.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Validate(DateTimeOffset.UtcNow).Select(p => new ValidationResult(p));
}

/// <summary>Validates <see cref="InboundSignatureOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class InboundSignatureOptionsValidator : IValidateOptions<InboundSignatureOptions>
{
}
