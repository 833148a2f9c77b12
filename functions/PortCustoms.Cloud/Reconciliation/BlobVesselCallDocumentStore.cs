using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Translation;

namespace PortCustoms.Cloud.Reconciliation;

/// <summary>
/// Manifests and discharge lists in one blob container, keyed by vessel call:
/// <c>{call}/{manifest|discharge-list}/{sha256(document id)}.json</c>, the canonical JSON of the document, with the
/// document id, source and first receipt in metadata. A put is a create-if-absent (<c>If-None-Match: *</c>), so the
/// same document id stored twice keeps the first and both callers get the same reference.
/// </summary>
public sealed class BlobVesselCallDocumentStore : IVesselCallDocumentStore, IVesselCallCatalog
{
    public const string DefaultContainerName = "vessel-calls";

    private const string ManifestFolder = "manifest";
    private const string DischargeListFolder = "discharge-list";

    private readonly BlobContainerClient _container;
    private readonly TimeProvider _time;
    private int _created;

    public BlobVesselCallDocumentStore(BlobContainerClient container, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _time = time ?? TimeProvider.System;
    }

    public Task<VesselCallDocument> PutManifestAsync(VesselCall vesselCall, string documentId, string source, CargoManifest manifest, CancellationToken cancellationToken) =>
        PutAsync(vesselCall, VesselCallDocumentKind.Manifest, documentId, source, JsonSerializer.SerializeToUtf8Bytes(manifest, CanonicalJson.ManifestOptions), cancellationToken);

    public Task<VesselCallDocument> PutDischargeListAsync(VesselCall vesselCall, string documentId, string source, DischargeList dischargeList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dischargeList);
        if (dischargeList.VesselCall.Key != vesselCall.Key)
        {
            // Filed under the wrong call it would be reconciled against the wrong manifests: refuse at the door.
            throw new ArgumentException($"The discharge list is for {dischargeList.VesselCall}, not {vesselCall}.", nameof(dischargeList));
        }
        return PutAsync(vesselCall, VesselCallDocumentKind.DischargeList, documentId, source, JsonSerializer.SerializeToUtf8Bytes(dischargeList, CanonicalJson.ManifestOptions), cancellationToken);
    }

    public async IAsyncEnumerable<VesselCallDocument> ListAsync(VesselCall vesselCall, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var documents = new List<VesselCallDocument>();
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = vesselCall.Key + "/", Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            documents.Add(FromMetadata(vesselCall, item.Name, item.Metadata));
        }
        foreach (var document in documents.OrderBy(d => d.ReceivedAt).ThenBy(d => d.DocumentId, StringComparer.Ordinal))
        {
            yield return document;
        }
    }

    public async Task<CargoManifest> ReadManifestAsync(VesselCallDocument document, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<CargoManifest>(await DownloadAsync(document, VesselCallDocumentKind.Manifest, cancellationToken).ConfigureAwait(false), CanonicalJson.ManifestOptions)
        ?? throw new JsonException($"The stored manifest '{document.DocumentId}' is null.");

    public async Task<DischargeList> ReadDischargeListAsync(VesselCallDocument document, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<DischargeList>(await DownloadAsync(document, VesselCallDocumentKind.DischargeList, cancellationToken).ConfigureAwait(false), CanonicalJson.ManifestOptions)
        ?? throw new JsonException($"The stored discharge list '{document.DocumentId}' is null.");

    public async IAsyncEnumerable<VesselCall> ListCallsWithDischargeListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 3 && parts[1] == DischargeListFolder && seen.Add(parts[0])
                && item.Metadata.TryGetValue("imo", out var imo) && ImoNumber.TryParse(imo, out var number)
                && item.Metadata.TryGetValue("voyage", out var voyage))
            {
                yield return new VesselCall(number, Uri.UnescapeDataString(voyage));
            }
        }
    }

    public static string BlobName(VesselCall vesselCall, VesselCallDocumentKind kind, string documentId) =>
        $"{vesselCall.Key}/{(kind == VesselCallDocumentKind.Manifest ? ManifestFolder : DischargeListFolder)}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(documentId)))}.json";

    private async Task<VesselCallDocument> PutAsync(VesselCall vesselCall, VesselCallDocumentKind kind, string documentId, string source, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(source);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = _container.GetBlobClient(BlobName(vesselCall, kind, documentId));
        var receivedAt = _time.GetUtcNow();
        // Metadata is ASCII only: ids, sources and voyages are escaped.
        var metadata = new Dictionary<string, string>
        {
            ["documentid"] = Uri.EscapeDataString(documentId),
            ["source"] = Uri.EscapeDataString(source),
            ["receivedat"] = receivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["imo"] = vesselCall.Imo.ToString(),
            ["voyage"] = Uri.EscapeDataString(vesselCall.Voyage),
        };
        try
        {
            await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = metadata,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken).ConfigureAwait(false);
            return new VesselCallDocument(vesselCall, kind, documentId, source, receivedAt);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromMetadata(vesselCall, blob.Name, existing.Value.Metadata);
        }
    }

    private async Task<byte[]> DownloadAsync(VesselCallDocument document, VesselCallDocumentKind expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Kind != expected)
        {
            throw new ArgumentException($"'{document.DocumentId}' is a {document.Kind}, not a {expected}.", nameof(document));
        }
        var result = await _container.GetBlobClient(BlobName(document.VesselCall, document.Kind, document.DocumentId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return result.Value.Content.ToArray();
    }

    private static VesselCallDocument FromMetadata(VesselCall vesselCall, string name, IDictionary<string, string> metadata)
    {
        var kind = name.Split('/')[1] == ManifestFolder ? VesselCallDocumentKind.Manifest : VesselCallDocumentKind.DischargeList;
        // The call as the writer spelled it ("124E"), not as this reader asked for it ("124 e"): the key is the same.
        if (metadata.TryGetValue("voyage", out var voyage))
        {
            vesselCall = vesselCall with { Voyage = Uri.UnescapeDataString(voyage) };
        }
        return new VesselCallDocument(
            vesselCall,
            kind,
            Uri.UnescapeDataString(metadata["documentid"]),
            Uri.UnescapeDataString(metadata["source"]),
            DateTimeOffset.Parse(metadata["receivedat"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind));
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }
}
