using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Cloud.Reconciliation;

/// <summary>A run's chunks, results and reports in one blob container (<c>reconciliations</c>), overwritten by name.</summary>
public sealed class BlobReconciliationBlobs : IReconciliationBlobs
{
    public const string DefaultContainerName = "reconciliations";

    private readonly BlobContainerClient _container;
    private int _created;

    public BlobReconciliationBlobs(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    public async Task WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
        await _container.GetBlobClient(name).UploadAsync(new BinaryData(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReadOnlyMemory<byte>> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var result = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return result.Value.Content.ToMemory();
    }

    public Uri UriOf(string name) => _container.GetBlobClient(name).Uri;
}
