using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PortCustoms.Shared;
using Xunit;

namespace PortCustoms.TestSupport;

/// <summary>
/// A real Azurite (blob, queue, table) on free loopback ports, in memory, for one test collection.
/// Started from the repository's pinned npm dependency; the process tree is killed on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public int BlobPort => Azurite.BlobPort;

    public int QueuePort => Azurite.QueuePort;

    public int TablePort => Azurite.TablePort;

    public string ConnectionString => Azurite.ConnectionString;

    private AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>A development-storage connection string to ports of one's choosing (a dead port simulates storage being down).</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        AzuriteProcess.BuildConnectionString(blobPort, queuePort, tablePort);

    public BlobServiceClient CreateBlobServiceClient() => new(ConnectionString);

    public TableServiceClient CreateTableServiceClient() => new(ConnectionString);

    public async Task InitializeAsync()
    {
        if (!File.Exists(AzuriteProcess.ScriptPath(RepositoryPaths.Root)))
        {
            throw new InvalidOperationException($"Azurite is not installed: run 'npm ci' in {RepositoryPaths.Root}.");
        }
        Exception? last = null;
        // Free ports can be taken between the check and Azurite's bind: try again with new ones.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ports = FreePorts.Take(3);
            try
            {
                _azurite = await AzuriteProcess.StartAsync(
                    RepositoryPaths.Root, ports[0], ports[1], ports[2], location: null, TimeSpan.FromSeconds(30), CancellationToken.None);
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                last = ex;
            }
        }
        throw new InvalidOperationException("Azurite did not start.", last);
    }

    public Task DisposeAsync()
    {
        _azurite?.Dispose();
        _azurite = null;
        return Task.CompletedTask;
    }
}
