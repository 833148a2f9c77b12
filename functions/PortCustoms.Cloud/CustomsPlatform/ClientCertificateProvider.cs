using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PortCustoms.Cloud.CustomsPlatform;

/// <summary>
/// The mutual TLS client certificate, from Key Vault (<see cref="CertificateClient.DownloadCertificateAsync(string, string, CancellationToken)"/>,
/// version-less, so a rotated certificate is picked up). Loaded lazily on the first send, never at app start (Flex
/// Consumption must start in 30 s); cached; looked up again after the refresh interval or when the cached one expires.
/// A failed refresh keeps a still-valid cached certificate.
/// </summary>
public class ClientCertificateProvider : IDisposable
{
    private readonly Func<CertificateClient>? _client;
    private readonly CustomsClientCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientCertificateProvider> _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TimeSpan _retireAfter;
    private readonly List<ITimer> _retirements = [];
    private volatile Loaded? _loaded;

    protected ClientCertificateProvider()
    {
        _options = new CustomsClientCertificateOptions();
        _time = TimeProvider.System;
        _logger = null!;
    }

    public ClientCertificateProvider(Func<CertificateClient> client, IOptions<CustomsPlatformOptions> options, TimeProvider time, ILogger<ClientCertificateProvider> logger)
        // Connections made with a replaced certificate live at most the pool's connection lifetime; a minute more and
        // nothing holds it any longer.
        : this(client, (options ?? throw new ArgumentNullException(nameof(options))).Value.ClientCertificate, options.Value.PooledConnectionLifetime + TimeSpan.FromMinutes(1), time, logger)
    {
    }

    /// <summary>A provider for another Key Vault certificate of the adapter (the signing certificate), retired after <paramref name="retireAfter"/>.</summary>
    public ClientCertificateProvider(Func<CertificateClient> client, CustomsClientCertificateOptions certificate, TimeSpan retireAfter, TimeProvider time, ILogger<ClientCertificateProvider> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = certificate ?? throw new ArgumentNullException(nameof(certificate));
        _retireAfter = retireAfter;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>False when no client certificate is configured: nothing is presented.</summary>
    public virtual bool IsConfigured => _options.IsConfigured;

    /// <summary>The certificate last loaded (for the TLS handshake's synchronous selection callback), or null before the first load.</summary>
    public virtual X509Certificate2? Current => _loaded?.Certificate;

    /// <summary>The current certificate, loading or refreshing it first when due.</summary>
    public virtual async ValueTask<X509Certificate2> GetCertificateAsync(CancellationToken cancellationToken = default)
    {
        var loaded = _loaded;
        if (loaded is not null && !IsDue(loaded))
        {
            return loaded.Certificate;
        }
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            loaded = _loaded;
            if (loaded is not null && !IsDue(loaded))
            {
                return loaded.Certificate;
            }
            return await LoadAsync(loaded, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<X509Certificate2> LoadAsync(Loaded? previous, CancellationToken cancellationToken)
    {
        var name = _options.CertificateName ?? throw new InvalidOperationException("No client certificate is configured (CustomsPlatform:ClientCertificate).");
        try
        {
            var response = await _client!().DownloadCertificateAsync(name, version: null, cancellationToken).ConfigureAwait(false);
            var certificate = response.Value;
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"Key Vault certificate '{name}' has no private key (is it exportable?).");
            }
            if (previous is null)
            {
                _logger.ClientCertificateLoaded(name, certificate.Thumbprint, certificate.NotAfter);
            }
            else if (previous.Certificate.Thumbprint != certificate.Thumbprint)
            {
                _logger.ClientCertificateRotated(name, previous.Certificate.Thumbprint, certificate.Thumbprint);
            }
            // The previous instance (rotated, or the same certificate downloaded again) is disposed only once pooled
            // connections made with it are gone.
            if (previous is not null && !ReferenceEquals(previous.Certificate, certificate))
            {
                RetireLater(previous.Certificate);
            }
            _loaded = new Loaded(certificate, _time.GetUtcNow());
            return certificate;
        }
        catch (Exception ex) when (previous is not null && IsStillValid(previous.Certificate) && !cancellationToken.IsCancellationRequested)
        {
            _logger.ClientCertificateRefreshFailed(ex, name);
            // Try again after another interval rather than on every send.
            _loaded = previous with { LoadedAt = _time.GetUtcNow() };
            return previous.Certificate;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.ClientCertificateUnavailable(ex, name);
            throw;
        }
    }

    private void RetireLater(X509Certificate2 replaced)
    {
        lock (_retirements)
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                replaced.Dispose();
                lock (_retirements)
                {
                    _retirements.Remove(timer!);
                }
                timer!.Dispose();
            }, null, _retireAfter, Timeout.InfiniteTimeSpan);
            _retirements.Add(timer);
        }
    }

    private bool IsDue(Loaded loaded) =>
        _time.GetUtcNow() - loaded.LoadedAt >= _options.RefreshInterval || !IsStillValid(loaded.Certificate);

    private bool IsStillValid(X509Certificate2 certificate) => certificate.NotAfter.ToUniversalTime() > _time.GetUtcNow().UtcDateTime;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _loading.Dispose();
            lock (_retirements)
            {
                foreach (var timer in _retirements)
                {
                    timer.Dispose();
                }
                _retirements.Clear();
            }
        }
    }

    private sealed record Loaded(X509Certificate2 Certificate, DateTimeOffset LoadedAt);
}
