namespace PortCustoms.Core.Manifests;

/// <summary>What a stored vessel-call document is.</summary>
public enum VesselCallDocumentKind : byte
{
    Manifest = 1,
    DischargeList = 2,
}

/// <summary>
/// A reference to one stored manifest or discharge list: small enough to pass between durable activities, where the
/// document itself never travels.
/// </summary>
/// <param name="VesselCall">The vessel call the document belongs to.</param>
/// <param name="Kind">Manifest or discharge list.</param>
/// <param name="DocumentId">Stable id chosen by the writer (for a batch file: its content hash plus the message
/// reference), so that storing the same document twice keeps one.</param>
/// <param name="Source">Where it came from, for reports: <c>{broker}/{file}</c>, <c>http</c>, ...</param>
/// <param name="ReceivedAt">When the store first received it.</param>
public sealed record VesselCallDocument(
    VesselCall VesselCall,
    VesselCallDocumentKind Kind,
    string DocumentId,
    string Source,
    DateTimeOffset ReceivedAt);

/// <summary>
/// The manifest store keyed by vessel call (IMO + voyage): the batch-file flow writes manifests (CUSCAR, IFTMCS/IFTMAN)
/// and discharge lists into it; manifest reconciliation reads them. Writes are idempotent on
/// (vessel call, kind, document id): a second put of the same id keeps the first and returns its reference.
/// </summary>
public interface IVesselCallDocumentStore
{
    Task<VesselCallDocument> PutManifestAsync(VesselCall vesselCall, string documentId, string source, CargoManifest manifest, CancellationToken cancellationToken);

    Task<VesselCallDocument> PutDischargeListAsync(VesselCall vesselCall, string documentId, string source, DischargeList dischargeList, CancellationToken cancellationToken);

    /// <summary>Every document held for the call, oldest first.</summary>
    IAsyncEnumerable<VesselCallDocument> ListAsync(VesselCall vesselCall, CancellationToken cancellationToken);

    Task<CargoManifest> ReadManifestAsync(VesselCallDocument document, CancellationToken cancellationToken);

    Task<DischargeList> ReadDischargeListAsync(VesselCallDocument document, CancellationToken cancellationToken);
}

/// <summary>
/// Told when a discharge list for a vessel call has been stored complete (the batch flow calls it after the ledger
/// records the file), so that reconciliation can start without waiting for the nightly window. Implementations must be
/// idempotent: the same call twice starts at most one run.
/// </summary>
public interface IDischargeListCompletion
{
    Task DischargeListCompletedAsync(VesselCall vesselCall, CancellationToken cancellationToken);
}
