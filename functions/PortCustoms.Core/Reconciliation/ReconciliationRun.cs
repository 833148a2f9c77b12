using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// The input of one reconciliation orchestration. Every instant it needs is decided by whoever starts it (the deadline,
/// how long resolutions are taken), so the orchestrator reads no clock and replays identically.
/// </summary>
public sealed record ReconciliationRequest
{
    public required string VesselImo { get; init; }

    public required string Voyage { get; init; }

    /// <summary>1 for the first run of the call; a rerun counts up (its report is kept beside the earlier ones).</summary>
    public int Run { get; init; } = 1;

    /// <summary>Not complete by then: escalate (metric and error log), and keep going.</summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>Operators' resolutions are taken until then; afterwards the instance completes.</summary>
    public DateTimeOffset ResolveUntil { get; init; }

    /// <summary>Manifest entries plus discharge rows per chunk, roughly: the fan-out width follows the call's size.</summary>
    public int ChunkSize { get; init; } = 5_000;

    /// <summary>What started it: <c>http</c>, <c>timer</c>, <c>discharge-list</c>.</summary>
    public string Trigger { get; init; } = "http";

    /// <summary>The run missed its deadline (kept across continue-as-new, for the status).</summary>
    public bool Escalated { get; init; }

    /// <summary>Set once the report exists: the orchestration continues as new, waiting for resolutions only.</summary>
    public ReportSummary? Report { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public VesselCall VesselCall => new(ImoNumber.Parse(VesselImo), Voyage);

    /// <summary>The durable instance id of a call's reconciliation: one per vessel call, from IMO + voyage.</summary>
    public static string InstanceIdFor(VesselCall vesselCall) => "recon-" + vesselCall.Key;
}

/// <summary>What the prepare activity left in blob storage: the chunk blobs and the document-level findings.</summary>
public sealed record PreparedRun
{
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public IReadOnlyList<string> Chunks { get; init; } = [];

    public string? Findings { get; init; }

    public IReadOnlyList<ReportDocument> Documents { get; init; } = [];

    public int ManifestedContainers { get; init; }

    public int DischargedContainers { get; init; }
}

/// <summary>One chunk: every manifest entry and discharge row whose container number hashes to it.</summary>
public sealed record ReconciliationChunk(IReadOnlyList<ManifestedContainer> Manifested, IReadOnlyList<DischargedContainer> Discharged);

/// <summary>A matched chunk: where its discrepancies are, and how many.</summary>
public sealed record ChunkResult(string Discrepancies, int Count);

/// <summary>What the assemble activity needs: the results of every chunk and the prepared run.</summary>
public sealed record AssembleRequest(string InstanceId, ReconciliationRequest Request, PreparedRun Prepared, IReadOnlyList<ChunkResult> Results, DateTimeOffset GeneratedAt);

/// <summary>The report's whereabouts and counts: what <c>GET /api/v1/reconciliations/{id}</c> shows.</summary>
public sealed record ReportSummary
{
    public required string Json { get; init; }

    public required string Csv { get; init; }

    public int Total { get; init; }

    public int Critical { get; init; }

    public int Resolved { get; init; }

    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();

    public DateTimeOffset GeneratedAt { get; init; }

    public static ReportSummary Of(ReconciliationReport report, string json, string csv) => new()
    {
        Json = json,
        Csv = csv,
        Total = report.Total,
        Critical = report.Critical,
        Resolved = report.Resolved,
        Counts = report.Counts,
        GeneratedAt = report.GeneratedAt,
    };
}

/// <summary>An operator's resolution of discrepancy <see cref="Number"/>: the external event's payload.</summary>
public sealed record ResolutionRequest(int Number, string ResolvedBy, string Note, DateTimeOffset ResolvedAt);

/// <summary>The orchestration's custom status: where the run is, for the status endpoint.</summary>
public sealed record ReconciliationProgress
{
    public required string State { get; init; }

    public int Run { get; init; }

    public int Chunks { get; init; }

    public bool Escalated { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public ReportSummary? Report { get; init; }

    public const string Preparing = "preparing";
    public const string Matching = "matching";
    public const string Reported = "reported";
    public const string Failed = "failed";
}

/// <summary>
/// Blob storage for a run's intermediate and final documents, addressed by name (<c>{instance}/run-{n}/...</c>).
/// Writes overwrite: a retried activity writes the same bytes to the same name, so activities stay idempotent.
/// </summary>
public interface IReconciliationBlobs
{
    Task WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Where a blob can be fetched (the report links).</summary>
    Uri UriOf(string name);
}

/// <summary>The vessel calls that have a discharge list, for the nightly batch window (the batch flow keys them by call).</summary>
public interface IVesselCallCatalog
{
    IAsyncEnumerable<VesselCall> ListCallsWithDischargeListAsync(CancellationToken cancellationToken);
}
