using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PortCustoms.Cloud.Reconciliation;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Intake;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Reconciliation;

/// <summary>
/// The reconciliation's HTTP edge and timer: start a run (<c>POST /api/v1/reconciliations</c>), read its state and
/// report links (<c>GET /api/v1/reconciliations/{id}</c>), resolve a discrepancy (an external event), and the timer
/// that starts pending and nightly runs. Thin: parsing and mapping only; the rules are in Core.
/// </summary>
public sealed class ReconciliationFunctions(ReconciliationStarter starter, IReconciliationBlobs blobs, BlobPendingReconciliations pending, IVesselCallCatalog catalog, TimeProvider time)
{
    public const string StartName = "ReconciliationStart";
    public const string StatusName = "ReconciliationStatus";
    public const string ResolveName = "ReconciliationResolve";
    public const string TimerName = "ReconciliationTimer";

    [Function(StartName)]
    [CallerRoles(CallerRole.Operator, RateGroup = "reconciliations")]
    [ProducesResponseType<ReconciliationStarted>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ReconciliationStarted>(StatusCodes.Status200OK)]
    public async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/reconciliations")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (start, problem) = await HttpBody.ReadJsonObjectAsync<ReconciliationStartRequest>(
            request, ReconciliationRequests.MaxBodyBytes, JsonBodySchema.ReconciliationStart, ReconciliationRequests.ParseStart, cancellationToken).ConfigureAwait(false);
        if (start is null)
        {
            return problem!;
        }
        var outcome = await starter.StartAsync(client, start.VesselCall, start.Rerun, "http", cancellationToken).ConfigureAwait(false);
        var answer = new ReconciliationStarted(outcome.InstanceId, StatusUrl(request, outcome.InstanceId), outcome.Run, outcome.Started);
        return outcome.Started ? new AcceptedResult(answer.StatusUrl, answer) : new OkObjectResult(answer);
    }

    [Function(StatusName)]
    [CallerRoles(CallerRole.Operator, RateGroup = "reconciliations")]
    [ProducesResponseType<ReconciliationStatus>(StatusCodes.Status200OK)]
    public async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/reconciliations/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await Find(client, id, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return NotFound(id);
        }
        var input = instance.ReadInputAs<ReconciliationRequest>();
        var progress = instance.ReadCustomStatusAs<ReconciliationProgress>();
        var report = progress?.Report ?? input?.Report;
        return new OkObjectResult(new ReconciliationStatus(
            instance.InstanceId,
            input?.VesselImo,
            input?.Voyage,
            input?.Run,
            instance.RuntimeStatus.ToString(),
            progress?.State ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending ? ReconciliationProgress.Preparing : instance.RuntimeStatus.ToString().ToLowerInvariant()),
            progress?.Escalated ?? false,
            input?.Deadline,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            progress?.ErrorCode is { } code ? new ReconciliationError(code, progress.ErrorMessage) : null,
            report?.Total,
            report?.Critical,
            report?.Resolved,
            report?.Counts,
            report is null ? null : new ReconciliationReportLinks(blobs.UriOf(report.Json), blobs.UriOf(report.Csv), report.GeneratedAt)));
    }

    [Function(ResolveName)]
    [CallerRoles(CallerRole.Operator, RateGroup = "reconciliations")]
    [ProducesResponseType<ResolutionAccepted>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> ResolveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/reconciliations/{id}/discrepancies/{n}/resolution")] HttpRequest request,
        string id,
        string n,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (resolution, problem) = await HttpBody.ReadJsonObjectAsync(request, ReconciliationRequests.MaxBodyBytes, JsonBodySchema.DiscrepancyResolution,
            (JsonElement body, out FieldErrors errors) => ReconciliationRequests.ParseResolution(body, n, out errors), cancellationToken).ConfigureAwait(false);
        if (resolution is null)
        {
            return problem!;
        }
        var instance = await Find(client, id, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return NotFound(id);
        }
        var report = instance.ReadCustomStatusAs<ReconciliationProgress>()?.Report;
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Running || report is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "No report to resolve",
                instance.RuntimeStatus == OrchestrationRuntimeStatus.Running ? "The run has not produced its report yet; try again when its state is 'reported'." : "The run is over; resolutions are no longer taken (rerun to reconcile again).");
        }
        if (resolution.Number > report.Total)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such discrepancy", $"The report has {report.Total} discrepancies; there is no number {resolution.Number}.");
        }
        await client.RaiseEventAsync(instance.InstanceId, ReconciliationOrchestration.ResolutionEvent,
            new ResolutionRequest(resolution.Number, resolution.ResolvedBy, resolution.Note, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return new AcceptedResult(StatusUrl(request, instance.InstanceId), new ResolutionAccepted(instance.InstanceId, resolution.Number, StatusUrl(request, instance.InstanceId)));
    }

    // Every five minutes: pending completions start within minutes at any hour; the batch window is checked in code,
    // in the port's own time zone (CRON on Flex is UTC or WEBSITE_TIME_ZONE, which Linux plans do not honour).
    [Function(TimerName)]
    public Task TimerAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        starter.StartDueAsync(client, pending, catalog, cancellationToken);

    private static async Task<OrchestrationMetadata?> Find(DurableTaskClient client, string id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) || !id.StartsWith("recon-", StringComparison.Ordinal) || id.Length > 100
            ? null
            : await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);

    private static ObjectResult NotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, "No such reconciliation", $"There is no reconciliation '{id}'.");

    private static string StatusUrl(HttpRequest request, string id) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/api/v1/reconciliations/{Uri.EscapeDataString(id)}";
}

/// <summary>The answer to a start: the run's id, where to read its state, its number, and whether this call started it.</summary>
[VisibleTo(CallerRole.Operator)]
public sealed record ReconciliationStarted(string Id, string StatusUrl, int Run, bool Started);

/// <summary>A run's state, escalation, counts per discrepancy kind and report links.</summary>
[VisibleTo(CallerRole.Operator)]
public sealed record ReconciliationStatus(
    string Id,
    string? VesselImo,
    string? Voyage,
    int? Run,
    string RuntimeStatus,
    string State,
    bool Escalated,
    DateTimeOffset? Deadline,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    ReconciliationError? Error,
    int? Total,
    int? Critical,
    int? Resolved,
    IReadOnlyDictionary<string, int>? Counts,
    ReconciliationReportLinks? Report);

[VisibleTo(CallerRole.Operator)]
public sealed record ReconciliationError(string Code, string? Message);

[VisibleTo(CallerRole.Operator)]
public sealed record ReconciliationReportLinks(Uri Json, Uri Csv, DateTimeOffset GeneratedAt);

/// <summary>A resolution taken (an external event to the run).</summary>
[VisibleTo(CallerRole.Operator)]
public sealed record ResolutionAccepted(string Id, int Number, string StatusUrl);
