using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Reconciliation;

/// <summary>
/// <see cref="IDischargeListCompletion"/> as an outbox: the batch flow's call leaves a marker blob
/// (<c>pending/{call}</c>, create-if-absent, so the same completion twice is one marker), and the reconciliation timer
/// starts a run for each marker and removes it. The batch function needs no durable client, and a start that fails is
/// retried at the next tick instead of being lost.
/// </summary>
public sealed class BlobPendingReconciliations : IDischargeListCompletion
{
    private const string Prefix = "pending/";

    private readonly BlobContainerClient _container;
    private int _created;

    public BlobPendingReconciliations(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    public async Task DischargeListCompletedAsync(VesselCall vesselCall, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _container.GetBlobClient(Prefix + vesselCall.Key).UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string> { ["imo"] = vesselCall.Imo.ToString(), ["voyage"] = Uri.EscapeDataString(vesselCall.Voyage) },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already pending: one run will start.
        }
    }

    public async IAsyncEnumerable<VesselCall> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix, Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (item.Metadata.TryGetValue("imo", out var imo) && ImoNumber.TryParse(imo, out var number) && item.Metadata.TryGetValue("voyage", out var voyage))
            {
                yield return new VesselCall(number, Uri.UnescapeDataString(voyage));
            }
        }
    }

    public Task RemoveAsync(VesselCall vesselCall, CancellationToken cancellationToken) =>
        _container.GetBlobClient(Prefix + vesselCall.Key).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }
}
