using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Gate;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Translation;
using PortCustoms.TestSupport;

using PortCustoms.Core.Tests.Batch.Fixtures;

namespace PortCustoms.Cloud.Tests.Batch.Fixtures;

/// <summary>
/// One test's batch flow against the shared Azurite: its own broker folder, ledger table and customs table, real
/// blob and table clients, recording stand-ins for the queue and the vessel-call store.
/// </summary>
internal sealed class BatchDropHarness
{
    public static readonly string[] Containers = [BatchDropProcessor.InboundContainer, BatchDropProcessor.ProcessedContainer, BatchDropProcessor.QuarantineContainer, BatchDropProcessor.OutboundContainer];

    private BatchDropHarness(AzuriteFixture azurite, BatchOptions options, TimeProvider time, TimeSpan? lockDuration)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Broker = "broker" + suffix;
        // The SDK's own pipeline seam: a policy that adds the x-ms-owner header a hierarchical-namespace account
        // returns (Azurite has none), so the processor reads the owner exactly as it does from Azure.
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(new OwnerHeaderPolicy(this), Azure.Core.HttpPipelinePosition.PerCall);
        Blobs = new BlobServiceClient(azurite.ConnectionString, blobOptions);
        var tables = azurite.CreateTableServiceClient();
        LedgerTable = tables.GetTableClient("Ledger" + suffix);
        Ledger = new BatchLedger(tables, "Ledger" + suffix);
        CustomsStore = new TableCustomsStateStore(tables, NullLogger<TableCustomsStateStore>.Instance, "Customs" + suffix);
        Pipeline = new BatchFilePipeline(Options.Create(options), new EdifactTranslator(), Publisher,
            new CustomsNotificationService(CustomsStore, new GateMetrics(new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<CustomsNotificationService>.Instance), Documents, Completion);
        Locks = new BatchBrokerLocks(Blobs, lockDuration);
        Processor = new BatchDropProcessor(new BatchLandingStorage(Blobs), Ledger, Locks, Pipeline, time);
    }

    public string Broker { get; }

    /// <summary>The owner the landing account reports for a blob path (<c>{container}/{broker}/{name}</c>); null: none.</summary>
    public Func<string, string?> OwnerOf { get; set; } = static _ => null;

    public BlobServiceClient Blobs { get; }

    public BatchLedger Ledger { get; }

    /// <summary>The ledger's table itself, for tests that plant rows as an older version wrote them.</summary>
    public Azure.Data.Tables.TableClient LedgerTable { get; }

    /// <summary>The broker locks, on the same Azurite (as host storage).</summary>
    public BatchBrokerLocks Locks { get; }

    public TableCustomsStateStore CustomsStore { get; }

    public RecordingEventPublisher Publisher { get; } = new();

    public RecordingDocumentStore Documents { get; } = new();

    public RecordingCompletion Completion { get; } = new();

    public BatchFilePipeline Pipeline { get; }

    public BatchDropProcessor Processor { get; }

    public static async Task<BatchDropHarness> CreateAsync(AzuriteFixture azurite, Action<BatchOptions, string>? configure = null, TimeProvider? time = null, TimeSpan? lockDuration = null)
    {
        var options = new BatchOptions();
        var harness = new BatchDropHarness(azurite, options, time ?? TimeProvider.System, lockDuration);
        configure?.Invoke(options, harness.Broker);
        foreach (var container in Containers)
        {
            await harness.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }
        return harness;
    }

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "PortCustoms.Core.Tests", "Translation", "Fixtures", name), Encoding.Latin1);

    public BlobClient Blob(string container, string name) => Blobs.GetBlobContainerClient(container).GetBlobClient($"{Broker}/{name}");

    public async Task<BlobClient> DropAsync(string name, string content) => await DropAsync(name, Encoding.UTF8.GetBytes(content));

    public async Task<BlobClient> DropAsync(string name, byte[] content)
    {
        var blob = Blob(BatchDropProcessor.InboundContainer, name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return blob;
    }

    public Task<BatchDropResult> ProcessAsync(string name) => Processor.ProcessAsync(Broker, name);

    public async Task<byte[]?> ReadAsync(string container, string name)
    {
        try
        {
            return (await Blob(container, name).DownloadContentAsync()).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> ReadTextAsync(string container, string name) =>
        await ReadAsync(container, name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Every blob of this broker in every flow container, as <c>{container}/{name}</c>.</summary>
    public async Task<List<string>> ListAsync()
    {
        var names = new List<string>();
        foreach (var container in Containers)
        {
            await foreach (var item in Blobs.GetBlobContainerClient(container).GetBlobsAsync(new GetBlobsOptions { Prefix = Broker + "/" }))
            {
                names.Add($"{container}/{item.Name[(Broker.Length + 1)..]}");
            }
        }
        return names.Order(StringComparer.Ordinal).ToList();
    }
}
