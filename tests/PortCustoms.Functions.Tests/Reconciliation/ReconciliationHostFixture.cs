using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.LocalHost;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Reconciliation;

/// <summary>
/// The app on LocalHost (Kestrel, the in-process Durable Task host, a private Azurite), with a log recorder and a
/// switch that slows the document store down (to pass a deadline).
/// </summary>
public sealed class ReconciliationHostFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public LogRecorder Logs { get; } = new();

    public SlowDown Slow { get; } = new();

    public LocalFunctionsHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IVesselCallDocumentStore Store => Host.Services.GetRequiredService<IVesselCallDocumentStore>();

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var options = new LocalFunctionsHostOptions
        {
            Port = 0,
            ConfigureServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(Logs);
                services.AddSingleton(Slow);
                // The app's store, behind a switchable delay: the deadline test needs a run that outlives its deadline.
                services.AddSingleton<IVesselCallDocumentStore>(sp => new SlowDocumentStore(sp.GetRequiredService<Cloud.Reconciliation.BlobVesselCallDocumentStore>(), Slow));
            },
        };
        options.Settings["AzureWebJobsStorage"] = Azurite.ConnectionString;
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        options.Settings["Logging:LogLevel:PortCustoms"] = "Information";
        options.Settings["LocalHost:TimerInterval"] = "00:00:00";
        Host = await LocalFunctionsHost.StartAsync(options);
        Client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }

    /// <summary>Polls the status endpoint until <paramref name="done"/> holds (a reported run stays Running, waiting for resolutions).</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var response = await Client.GetAsync($"api/v1/reconciliations/{id}", cts.Token);
            if (response.IsSuccessStatusCode)
            {
                var status = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                if (done(status))
                {
                    return status;
                }
            }
            await Task.Delay(250, cts.Token);
        }
    }

    public static bool IsReported(JsonElement status) => status.GetProperty("state").GetString() == "reported";
}

[CollectionDefinition(Name)]
public sealed class ReconciliationHostCollection : ICollectionFixture<ReconciliationHostFixture>
{
    public const string Name = "ReconciliationHost";
}

public sealed class SlowDown
{
    public TimeSpan Delay { get; set; }
}

internal sealed class SlowDocumentStore(IVesselCallDocumentStore inner, SlowDown slow) : IVesselCallDocumentStore
{
    public Task<VesselCallDocument> PutManifestAsync(VesselCall vesselCall, string documentId, string source, CargoManifest manifest, CancellationToken cancellationToken) =>
        inner.PutManifestAsync(vesselCall, documentId, source, manifest, cancellationToken);

    public Task<VesselCallDocument> PutDischargeListAsync(VesselCall vesselCall, string documentId, string source, DischargeList dischargeList, CancellationToken cancellationToken) =>
        inner.PutDischargeListAsync(vesselCall, documentId, source, dischargeList, cancellationToken);

    public async IAsyncEnumerable<VesselCallDocument> ListAsync(VesselCall vesselCall, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (slow.Delay > TimeSpan.Zero)
        {
            await Task.Delay(slow.Delay, cancellationToken);
        }
        await foreach (var document in inner.ListAsync(vesselCall, cancellationToken))
        {
            yield return document;
        }
    }

    public Task<CargoManifest> ReadManifestAsync(VesselCallDocument document, CancellationToken cancellationToken) => inner.ReadManifestAsync(document, cancellationToken);

    public Task<DischargeList> ReadDischargeListAsync(VesselCallDocument document, CancellationToken cancellationToken) => inner.ReadDischargeListAsync(document, cancellationToken);
}

/// <summary>Every log record of the host, for replay-safety assertions (a replayed orchestrator must not log again).</summary>
public sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, int EventId, string Message)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue((category, logLevel, eventId.Id, formatter(state, exception)));
    }
}

internal static class Calls
{
    private static int s_next = 100;

    /// <summary>A fresh vessel call per test: every test's instance id is its own.</summary>
    public static VesselCall Next() => new(ImoNumber.Parse("9811000"), "V" + Interlocked.Increment(ref s_next));

    public static string Valid(string owner, int serial)
    {
        var first = owner + "U" + serial.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        return first + ContainerNumber.ComputeCheckDigit(first);
    }
}
