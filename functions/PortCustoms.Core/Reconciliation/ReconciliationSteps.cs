using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Manifests;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// What the orchestration's activities do, as a plain class: load the call's documents and cut them into chunks,
/// match a chunk, assemble and publish the report, apply a resolution. Each step reads and writes blobs by name and
/// returns only references and counts, so payloads never travel through the orchestration history; each is idempotent
/// (the same input writes the same blobs).
/// </summary>
public sealed partial class ReconciliationSteps
{
    private readonly IVesselCallDocumentStore _documents;
    private readonly IReconciliationBlobs _blobs;
    private readonly ReconciliationOptions _options;
    private readonly ManifestReconciliation _reconciliation;
    private readonly ILogger<ReconciliationSteps> _logger;

    public ReconciliationSteps(IVesselCallDocumentStore documents, IReconciliationBlobs blobs, IOptions<ReconciliationOptions> options, ILogger<ReconciliationSteps> logger,
        CodeLists.CodeListService? codeLists = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _documents = documents;
        _blobs = blobs;
        _options = options.Value;
        _reconciliation = new ManifestReconciliation(_options, codeLists);
        _logger = logger;
    }

    public static string RunPrefix(string instanceId, int run) => $"{instanceId}/run-{run}";

    public async Task<PreparedRun> PrepareAsync(string instanceId, ReconciliationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.VesselCall;
        var manifests = new List<SourcedManifest>();
        var documents = new List<ReportDocument>();
        DischargeList? dischargeList = null;
        VesselCallDocument? dischargeDocument = null;
        await foreach (var document in _documents.ListAsync(call, cancellationToken).ConfigureAwait(false))
        {
            documents.Add(new ReportDocument(document.Kind == VesselCallDocumentKind.Manifest ? "manifest" : "dischargeList", document.DocumentId, document.Source, document.ReceivedAt));
            if (document.Kind == VesselCallDocumentKind.Manifest)
            {
                manifests.Add(new SourcedManifest($"{document.Source} ({document.DocumentId})", await _documents.ReadManifestAsync(document, cancellationToken).ConfigureAwait(false)));
            }
            else
            {
                // The newest list is the terminal's latest word on the call; earlier ones stay listed in the report.
                dischargeDocument = document;
            }
        }
        if (dischargeDocument is not null)
        {
            dischargeList = await _documents.ReadDischargeListAsync(dischargeDocument, cancellationToken).ConfigureAwait(false);
        }
        PreparedReconciliation prepared;
        try
        {
            prepared = _reconciliation.Prepare(call, manifests, dischargeList);
        }
        catch (ReconciliationInputException ex)
        {
            LogInputRefused(_logger, call.Key, ex.Code);
            return new PreparedRun { ErrorCode = ex.Code, ErrorMessage = ex.Message, Documents = documents };
        }
        var total = prepared.Manifested.Count + prepared.Discharged.Count;
        var chunkCount = Math.Clamp((total + request.ChunkSize - 1) / Math.Max(1, request.ChunkSize), 1, 256);
        var (manifested, discharged) = ManifestReconciliation.Split(prepared, chunkCount);
        var prefix = RunPrefix(instanceId, request.Run);
        var chunks = new string[chunkCount];
        for (var i = 0; i < chunkCount; i++)
        {
            chunks[i] = $"{prefix}/chunks/{i:D3}.json";
            await WriteJsonAsync(chunks[i], new ReconciliationChunk(manifested[i], discharged[i]), cancellationToken).ConfigureAwait(false);
        }
        var findings = $"{prefix}/findings.json";
        await WriteJsonAsync(findings, prepared.Findings, cancellationToken).ConfigureAwait(false);
        return new PreparedRun
        {
            Chunks = chunks,
            Findings = findings,
            Documents = documents,
            ManifestedContainers = prepared.Manifested.Count,
            DischargedContainers = prepared.Discharged.Count,
        };
    }

    public async Task<ChunkResult> MatchChunkAsync(string chunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var input = await ReadJsonAsync<ReconciliationChunk>(chunk, cancellationToken).ConfigureAwait(false);
        var found = _reconciliation.Matcher.Match(input.Manifested, input.Discharged);
        var result = chunk.Replace("/chunks/", "/results/", StringComparison.Ordinal);
        await WriteJsonAsync(result, found, cancellationToken).ConfigureAwait(false);
        return new ChunkResult(result, found.Count);
    }

    public async Task<(ReportSummary Summary, ReconciliationReport Report)> AssembleAsync(AssembleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = new List<Discrepancy>();
        if (request.Prepared.Findings is { } findings)
        {
            all.AddRange(await ReadJsonAsync<List<Discrepancy>>(findings, cancellationToken).ConfigureAwait(false));
        }
        foreach (var result in request.Results)
        {
            all.AddRange(await ReadJsonAsync<List<Discrepancy>>(result.Discrepancies, cancellationToken).ConfigureAwait(false));
        }
        var report = ReconciliationReport.Assemble(request.Request.VesselCall, all, request.Prepared.Documents,
            request.Prepared.ManifestedContainers, request.Prepared.DischargedContainers, request.GeneratedAt);
        return (await PublishAsync(request.InstanceId, request.Request.Run, report, cancellationToken).ConfigureAwait(false), report);
    }

    /// <summary>Applies an operator's resolution to the published report; an unknown number changes nothing.</summary>
    public async Task<ReportSummary> ResolveAsync(string instanceId, ReconciliationRequest request, ResolutionRequest resolution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resolution);
        var summary = request.Report ?? throw new InvalidOperationException("There is no report to resolve yet.");
        var report = ReconciliationReportWriter.FromJson((await _blobs.ReadAsync(summary.Json, cancellationToken).ConfigureAwait(false)).Span);
        if (!report.TryResolve(resolution.Number, new DiscrepancyResolution(resolution.ResolvedBy, resolution.ResolvedAt, resolution.Note), out var resolved))
        {
            LogResolutionUnknown(_logger, instanceId, resolution.Number);
            return summary;
        }
        return await PublishAsync(instanceId, request.Run, resolved, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReportSummary> PublishAsync(string instanceId, int run, ReconciliationReport report, CancellationToken cancellationToken)
    {
        var prefix = RunPrefix(instanceId, run);
        var json = $"{prefix}/report.json";
        var csv = $"{prefix}/report.csv";
        await _blobs.WriteAsync(json, ReconciliationReportWriter.ToJson(report), "application/json", cancellationToken).ConfigureAwait(false);
        await _blobs.WriteAsync(csv, System.Text.Encoding.UTF8.GetBytes(ReconciliationReportWriter.ToCsv(report)), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);
        return ReportSummary.Of(report, json, csv);
    }

    private Task WriteJsonAsync<T>(string name, T value, CancellationToken cancellationToken) =>
        _blobs.WriteAsync(name, JsonSerializer.SerializeToUtf8Bytes(value, ReconciliationReportWriter.JsonOptions), "application/json", cancellationToken);

    private async Task<T> ReadJsonAsync<T>(string name, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<T>((await _blobs.ReadAsync(name, cancellationToken).ConfigureAwait(false)).Span, ReconciliationReportWriter.JsonOptions)
        ?? throw new JsonException($"Blob '{name}' holds null.");

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Reconciliation of vessel call {VesselCall} refused its input: {Code}.")]
    private static partial void LogInputRefused(ILogger logger, string vesselCall, string code);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Reconciliation {InstanceId}: no discrepancy number {Number} to resolve.")]
    private static partial void LogResolutionUnknown(ILogger logger, string instanceId, int number);
}
