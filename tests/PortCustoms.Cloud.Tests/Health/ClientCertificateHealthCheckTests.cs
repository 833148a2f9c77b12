using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Security.KeyVault.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Cloud.Health;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Health;

/// <summary>The customs client certificate's expiry shows in health and in a gauge before it stops traffic.</summary>
public sealed class ClientCertificateHealthCheckTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CertificateClient _keyVault = Substitute.For<CertificateClient>();
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CustomsPlatformOptions _options = new();

    public ClientCertificateHealthCheckTests()
    {
        _options.ClientCertificate.VaultUri = new Uri("https://v.vault.azure.net/");
        _options.ClientCertificate.CertificateName = "customs-client";
    }

    public void Dispose()
    {
        _pki.Dispose();
        _metrics.Dispose();
    }

    private (ClientCertificateHealthCheck Check, ClientCertificateProvider Provider) Check()
    {
        var provider = new ClientCertificateProvider(() => _keyVault, Options.Create(_options), _time, NullLogger<ClientCertificateProvider>.Instance);
        return (new ClientCertificateHealthCheck(provider, Options.Create(_options), _time, _metrics.GetRequiredService<IMeterFactory>()), provider);
    }

    private void KeyVaultHolds(X509Certificate2 certificate) =>
        _keyVault.DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(Response.FromValue(certificate, Substitute.For<Response>())));

    [Fact]
    public async Task A_certificate_valid_beyond_the_warning_is_healthy()
    {
        KeyVaultHolds(_pki.IssueClient("portcustoms", notAfter: _time.GetUtcNow().AddDays(200)));
        var (check, _) = Check();

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task A_certificate_expiring_within_the_warning_is_degraded_and_says_when()
    {
        KeyVaultHolds(_pki.IssueClient("portcustoms", notAfter: _time.GetUtcNow().AddDays(10)));
        var (check, _) = Check();

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("customs-client", result.Description, StringComparison.Ordinal);
        Assert.Contains("rotate", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warning_window_is_configurable()
    {
        _options.ClientCertificate.ExpiryWarning = TimeSpan.FromDays(5);
        KeyVaultHolds(_pki.IssueClient("portcustoms", notAfter: _time.GetUtcNow().AddDays(10)));
        var (check, _) = Check();

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task A_certificate_past_its_expiry_is_unhealthy()
    {
        KeyVaultHolds(_pki.IssueClient("portcustoms", notAfter: _time.GetUtcNow().AddDays(3)));
        var (check, provider) = Check();
        await provider.GetCertificateAsync();
        _time.Advance(TimeSpan.FromDays(4));
        // Key Vault still holds only the expired one.

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("expired", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_is_degraded_not_a_crash()
    {
        _keyVault.DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>()).ThrowsAsync(new RequestFailedException(403, "Forbidden"));
        var (check, _) = Check();

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.IsType<RequestFailedException>(result.Exception);
    }

    [Fact]
    public async Task No_certificate_configured_is_healthy()
    {
        _options.ClientCertificate.VaultUri = null;
        _options.ClientCertificate.CertificateName = null;
        var (check, _) = Check();

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        await _keyVault.DidNotReceiveWithAnyArgs().DownloadCertificateAsync(default!, default, default);
    }

    [Fact]
    public async Task The_days_left_are_a_gauge_once_the_certificate_is_in_use()
    {
        KeyVaultHolds(_pki.IssueClient("portcustoms", notAfter: _time.GetUtcNow().AddDays(12)));
        var (_, provider) = Check();
        using var collector = new MetricCollector<double>(_metrics.GetRequiredService<IMeterFactory>(), ClientCertificateHealthCheck.MeterName, "portcustoms.certificates.days_to_expiry");

        collector.RecordObservableInstruments();
        Assert.Empty(collector.GetMeasurementSnapshot());

        await provider.GetCertificateAsync();
        collector.RecordObservableInstruments();

        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.InRange(measurement.Value, 11.9, 12.0);
        Assert.Equal("customs-client", measurement.Tags["certificate"]);
    }
}
