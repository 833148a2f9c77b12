using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Cloud.CustomsPlatform;

/// <summary>The customs platform adapter (configuration section <c>CustomsPlatform</c>). Unset <see cref="BaseAddress"/>: no live queries.</summary>
public sealed class CustomsPlatformOptions : IValidatableObject
{
    public const string SectionName = "CustomsPlatform";

    /// <summary>The platform's base address, e.g. <c>https://customs.example/api/</c>. HTTPS, or plain HTTP to loopback only (the simulator).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The message format name (<c>json</c>; <c>edifact</c> and <c>xml</c> when those formats are registered).</summary>
    public string Format { get; set; } = "json";

    /// <summary>The live status query's operation, relative to <see cref="BaseAddress"/>.</summary>
    public string StatusQueryOperation { get; set; } = "v1/status-queries";

    /// <summary>The client certificate for mutual TLS, from Key Vault. Unset: no client certificate is presented.</summary>
    public CustomsClientCertificateOptions ClientCertificate { get; } = new();

    /// <summary>
    /// The certificate that signs what goes to customs (JSON: detached JWS; XML: XML-DSig), from Key Vault. Unset:
    /// messages go unsigned. It may be the client certificate's vault and even the same certificate.
    /// </summary>
    public CustomsClientCertificateOptions Signing { get; } = new();

    /// <summary>
    /// PEM of a private root CA that signs the platform's server certificate, when it is not publicly trusted. The chain is
    /// then built against this root only.
    /// </summary>
    public string? TrustedServerCertificateAuthority { get; set; }

    /// <summary>How long a connection is reused; new connections pick up a rotated client certificate.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => BaseAddress is not null;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BaseAddress is { } address)
        {
            if (!address.IsAbsoluteUri)
            {
                problems.Add("CustomsPlatform:BaseAddress must be an absolute URL.");
            }
            else if (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && address.IsLoopback))
            {
                problems.Add("CustomsPlatform:BaseAddress must be https (plain http is allowed to loopback only, for the simulator).");
            }
        }
        if (string.IsNullOrWhiteSpace(Format))
        {
            problems.Add("CustomsPlatform:Format is required.");
        }
        if (string.IsNullOrWhiteSpace(StatusQueryOperation) || Uri.TryCreate(StatusQueryOperation, UriKind.Absolute, out _))
        {
            problems.Add("CustomsPlatform:StatusQueryOperation must be a relative path.");
        }
        if ((ClientCertificate.VaultUri is null) != string.IsNullOrWhiteSpace(ClientCertificate.CertificateName))
        {
            problems.Add("CustomsPlatform:ClientCertificate needs both VaultUri and CertificateName, or neither.");
        }
        if (ClientCertificate.ExpiryWarning < TimeSpan.Zero)
        {
            problems.Add("CustomsPlatform:ClientCertificate:ExpiryWarning must not be negative.");
        }
        if (ClientCertificate.RefreshInterval <= TimeSpan.Zero)
        {
            problems.Add("CustomsPlatform:ClientCertificate:RefreshInterval must be positive.");
        }
        if ((Signing.VaultUri is null) != string.IsNullOrWhiteSpace(Signing.CertificateName))
        {
            problems.Add("CustomsPlatform:Signing needs both VaultUri and CertificateName, or neither.");
        }
        if (PooledConnectionLifetime <= TimeSpan.Zero)
        {
            problems.Add("CustomsPlatform:PooledConnectionLifetime must be positive.");
        }
        return problems;
    }

    /// <summary>For the source-generated validator: the problems above as validation results.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(p => new ValidationResult(p));
}

/// <summary>Validates <see cref="CustomsPlatformOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class CustomsPlatformOptionsValidator : IValidateOptions<CustomsPlatformOptions>
{
}

/// <summary>Where the mutual TLS client certificate lives (a Key Vault certificate with its private key).</summary>
public sealed class CustomsClientCertificateOptions
{
    public Uri? VaultUri { get; set; }

    /// <summary>The certificate's name, without a version: the current version is used, so rotation needs no configuration change.</summary>
    public string? CertificateName { get; set; }

    /// <summary><c>managedidentity</c> (what the infrastructure writes): Key Vault is read with the app's managed identity only.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>How long before its expiry the certificate turns health degraded (and the alert rule fires).</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the current version is looked up again (rotation is picked up within this time).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    public bool IsConfigured => VaultUri is not null && !string.IsNullOrWhiteSpace(CertificateName);
}
