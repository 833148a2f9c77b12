using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Security.KeyVault.Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

public sealed class ClientCertificateProviderTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CertificateClient _keyVault = Substitute.For<CertificateClient>();
    private int _factoryCalls;

    public void Dispose() => _pki.Dispose();

    private ClientCertificateProvider Provider()
    {
        var options = new CustomsPlatformOptions();
        options.ClientCertificate.VaultUri = new Uri("https://v.vault.azure.net/");
        options.ClientCertificate.CertificateName = "customs-client";
        options.ClientCertificate.RefreshInterval = TimeSpan.FromHours(1);
        return new ClientCertificateProvider(() => { _factoryCalls++; return _keyVault; }, Options.Create(options), _time, NullLogger<ClientCertificateProvider>.Instance);
    }

    private void KeyVaultReturns(params X509Certificate2[] versions)
    {
        var queue = new Queue<X509Certificate2>(versions);
        _keyVault.DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(Response.FromValue(queue.Count > 1 ? queue.Dequeue() : queue.Peek(), Substitute.For<Response>())));
    }

    [Fact]
    public void Ctor_NothingRequested_KeyVaultNotTouched()
    {
        using var provider = Provider();
        Assert.Null(provider.Current);
        Assert.Equal(0, _factoryCalls);
    }

    [Fact]
    public async Task GetCertificateAsync_Repeatedly_DownloadsOnce()
    {
        using var client = _pki.IssueClient("portcustoms-client");
        KeyVaultReturns(client);
        using var provider = Provider();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(client.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
        }
        await _keyVault.Received(1).DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>());
        Assert.Same(provider.Current, await provider.GetCertificateAsync());
    }

    [Fact]
    public async Task GetCertificateAsync_AfterRefreshInterval_PicksUpRotatedCertificate()
    {
        using var first = _pki.IssueClient("v1");
        using var rotated = _pki.IssueClient("v2");
        KeyVaultReturns(first, rotated);
        using var provider = Provider();

        Assert.Equal(first.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(first.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(rotated.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
        Assert.Equal(rotated.Thumbprint, provider.Current!.Thumbprint);
    }

    [Fact]
    public async Task A_replaced_certificate_is_disposed_once_pooled_connections_made_with_it_are_gone()
    {
        var first = _pki.IssueClient("v1");
        using var rotated = _pki.IssueClient("v2");
        KeyVaultReturns(first, rotated);
        using var provider = Provider();

        await provider.GetCertificateAsync();
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(rotated.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);

        // Still usable while connections made with it may live (pool lifetime 5 min, plus a minute).
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotEqual(IntPtr.Zero, first.Handle);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(IntPtr.Zero, first.Handle);
        // The one in use is untouched.
        Assert.NotEqual(IntPtr.Zero, provider.Current!.Handle);
    }

    [Fact]
    public async Task GetCertificateAsync_CachedCertificateExpired_ReloadsBeforeInterval()
    {
        using var shortLived = _pki.IssueClient("short", notAfter: _time.GetUtcNow().AddMinutes(10));
        using var renewed = _pki.IssueClient("renewed");
        KeyVaultReturns(shortLived, renewed);
        using var provider = Provider();

        await provider.GetCertificateAsync();
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(renewed.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
    }

    [Fact]
    public async Task GetCertificateAsync_RefreshFailsWhileCachedStillValid_KeepsCached()
    {
        using var client = _pki.IssueClient("portcustoms-client");
        KeyVaultReturns(client);
        using var provider = Provider();
        await provider.GetCertificateAsync();

        _keyVault.DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>()).ThrowsAsync(new RequestFailedException(503, "Key Vault down"));
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(client.Thumbprint, (await provider.GetCertificateAsync()).Thumbprint);
    }

    [Fact]
    public async Task GetCertificateAsync_FirstLoadFails_Throws()
    {
        _keyVault.DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>()).ThrowsAsync(new RequestFailedException(403, "Forbidden"));
        using var provider = Provider();
        await Assert.ThrowsAsync<RequestFailedException>(async () => await provider.GetCertificateAsync());
    }

    [Fact]
    public async Task GetCertificateAsync_CertificateWithoutPrivateKey_Throws()
    {
        using var client = _pki.IssueClient("portcustoms-client");
        using var publicOnly = X509CertificateLoader.LoadCertificate(client.RawData);
        KeyVaultReturns(publicOnly);
        using var provider = Provider();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await provider.GetCertificateAsync());
    }
}
