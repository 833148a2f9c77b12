using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;

namespace PortCustoms.Cloud.Health;

/// <summary>
/// The customs client certificate's expiry, seen before it stops traffic: degraded (still 200) once it expires within
/// <see cref="CustomsClientCertificateOptions.ExpiryWarning"/> (default 30 days) or cannot be loaded, unhealthy once
/// expired (customs would refuse every call). The days left are also a gauge,
/// <c>portcustoms.certificates.days_to_expiry</c>, that the infrastructure's alert rule watches.
/// </summary>
public sealed class ClientCertificateHealthCheck : IHealthCheck, IDisposable
{
    public const string MeterName = "PortCustoms.Certificates";

    private readonly ClientCertificateProvider _certificates;
    private readonly CustomsClientCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly Meter _meter;

    public ClientCertificateHealthCheck(ClientCertificateProvider certificates, IOptions<CustomsPlatformOptions> options, TimeProvider time, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _options = options.Value.ClientCertificate;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge(
            "portcustoms.certificates.days_to_expiry",
            () => _certificates.Current is { } current
                ? [new Measurement<double>(DaysLeft(current.NotAfter), new KeyValuePair<string, object?>("certificate", _options.CertificateName))]
                : Array.Empty<Measurement<double>>(),
            unit: "d",
            description: "Days until the customs client certificate expires (the one in use).");
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_certificates.IsConfigured)
        {
            return HealthCheckResult.Healthy("No customs client certificate configured.");
        }

        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            // Loaded (or refreshed) through the provider's cache: Key Vault is asked at most once per refresh interval.
            certificate = await _certificates.GetCertificateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"The customs client certificate '{_options.CertificateName}' could not be loaded from Key Vault.", ex);
        }

        var daysLeft = DaysLeft(certificate.NotAfter);
        var expires = certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (daysLeft <= 0)
        {
            return HealthCheckResult.Unhealthy($"The customs client certificate '{_options.CertificateName}' expired at {expires}: customs will refuse every call. Rotate it in Key Vault.");
        }
        return daysLeft <= _options.ExpiryWarning.TotalDays
            ? HealthCheckResult.Degraded($"The customs client certificate '{_options.CertificateName}' expires at {expires}, in {Math.Floor(daysLeft)} days: rotate it in Key Vault.")
            : HealthCheckResult.Healthy($"The customs client certificate expires at {expires}.");
    }

    public void Dispose() => _meter.Dispose();

    private double DaysLeft(DateTime notAfter) => (notAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime).TotalDays;
}
