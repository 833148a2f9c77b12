using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Functions.Reconciliation;

/// <summary>Inputs of the activities: references and small records only, never documents.</summary>
public sealed record PrepareInput(string InstanceId, ReconciliationRequest Request);

public sealed record ResolveInput(string InstanceId, ReconciliationRequest Request, ResolutionRequest Resolution);

public sealed record EscalationNotice(string InstanceId, string VesselCall, DateTimeOffset Deadline);

/// <summary>
/// The reconciliation of one vessel call as a durable orchestration. Phase one: prepare (load and chunk), fan out one
/// match per chunk, fan in and assemble the report, racing a durable timer at the deadline that escalates without
/// stopping the work. Phase two (continued as new, so history stays short): wait for operators' resolutions until the
/// resolution window closes. Deterministic: times come from the input and <c>CurrentUtcDateTime</c>, logging is
/// replay-safe, every effect is an activity.
/// </summary>
public static class ReconciliationOrchestration
{
    public const string Name = "ReconcileVesselCall";
    public const string PrepareActivity = "ReconcilePrepare";
    public const string MatchActivity = "ReconcileMatchChunk";
    public const string AssembleActivity = "ReconcileAssemble";
    public const string ResolveActivity = "ReconcileResolve";
    public const string EscalateActivity = "ReconcileEscalate";
    public const string ResolutionEvent = "Resolution";

    [Function(Name)]
    public static async Task<ReportSummary?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.GetInput<ReconciliationRequest>() ?? throw new InvalidOperationException("The orchestration needs a ReconciliationRequest.");
        var logger = context.CreateReplaySafeLogger(typeof(ReconciliationOrchestration).FullName!);
        if (request.Report is { } reported)
        {
            return await AwaitResolutionAsync(context, request, reported).ConfigureAwait(true);
        }

        var progress = new ReconciliationProgress { State = ReconciliationProgress.Preparing, Run = request.Run };
        context.SetCustomStatus(progress);
        using var deadlineCancel = new CancellationTokenSource();
        var work = ReconcileAsync(context, request, p => context.SetCustomStatus(progress = p with { Escalated = progress.Escalated }));
        var deadline = context.CreateTimer(request.Deadline.UtcDateTime, deadlineCancel.Token);
        if (await Task.WhenAny(work, deadline).ConfigureAwait(true) == deadline)
        {
            progress = progress with { Escalated = true };
            context.SetCustomStatus(progress);
            await context.CallActivityAsync(EscalateActivity, new EscalationNotice(context.InstanceId, request.VesselCall.Key, request.Deadline)).ConfigureAwait(true);
        }
        else
        {
            deadlineCancel.Cancel();
        }
        var outcome = await work.ConfigureAwait(true);
        if (outcome.Error is { } error)
        {
            context.SetCustomStatus(progress with { State = ReconciliationProgress.Failed, ErrorCode = error.ErrorCode, ErrorMessage = error.ErrorMessage });
            logger.ReconciliationRefused(context.InstanceId, error.ErrorCode!);
            return null;
        }
        var total = outcome.Summary!.Total;
        logger.ReconciliationReported(context.InstanceId, total);
        context.SetCustomStatus(progress with { State = ReconciliationProgress.Reported, Report = outcome.Summary });
        context.ContinueAsNew(request with { Report = outcome.Summary, Escalated = progress.Escalated });
        return outcome.Summary;
    }

    private sealed record Outcome(ReportSummary? Summary, PreparedRun? Error);

    private static async Task<Outcome> ReconcileAsync(TaskOrchestrationContext context, ReconciliationRequest request, Action<ReconciliationProgress> report)
    {
        var prepared = await context.CallActivityAsync<PreparedRun>(PrepareActivity, new PrepareInput(context.InstanceId, request)).ConfigureAwait(true);
        if (prepared.ErrorCode is not null)
        {
            return new Outcome(null, prepared);
        }
        report(new ReconciliationProgress { State = ReconciliationProgress.Matching, Run = request.Run, Chunks = prepared.Chunks.Count });
        // Fan out: chunks are closed under container number, so they match independently.
        var matches = prepared.Chunks.Select(chunk => context.CallActivityAsync<ChunkResult>(MatchActivity, chunk)).ToList();
        var results = await Task.WhenAll(matches).ConfigureAwait(true);
        var summary = await context.CallActivityAsync<ReportSummary>(AssembleActivity,
            new AssembleRequest(context.InstanceId, request, prepared, results, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero))).ConfigureAwait(true);
        return new Outcome(summary, null);
    }

    private static async Task<ReportSummary> AwaitResolutionAsync(TaskOrchestrationContext context, ReconciliationRequest request, ReportSummary reported)
    {
        context.SetCustomStatus(new ReconciliationProgress { State = ReconciliationProgress.Reported, Run = request.Run, Report = reported, Escalated = request.Escalated });
        using var cancel = new CancellationTokenSource();
        var resolution = context.WaitForExternalEvent<ResolutionRequest>(ResolutionEvent, cancel.Token);
        var closes = context.CreateTimer(request.ResolveUntil.UtcDateTime, cancel.Token);
        if (await Task.WhenAny(resolution, closes).ConfigureAwait(true) == closes)
        {
            return reported;
        }
        cancel.Cancel();
        var summary = await context.CallActivityAsync<ReportSummary>(ResolveActivity, new ResolveInput(context.InstanceId, request, resolution.Result)).ConfigureAwait(true);
        context.SetCustomStatus(new ReconciliationProgress { State = ReconciliationProgress.Reported, Run = request.Run, Report = summary, Escalated = request.Escalated });
        context.ContinueAsNew(request with { Report = summary });
        return summary;
    }
}

/// <summary>The orchestration's activities: thin, the work is <see cref="ReconciliationSteps"/>.</summary>
public sealed class ReconciliationActivities(ReconciliationSteps steps, ReconciliationMetrics metrics, ILogger<ReconciliationActivities> logger)
{
    [Function(ReconciliationOrchestration.PrepareActivity)]
    public Task<PreparedRun> PrepareAsync([ActivityTrigger] PrepareInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return steps.PrepareAsync(input.InstanceId, input.Request);
    }

    [Function(ReconciliationOrchestration.MatchActivity)]
    public Task<ChunkResult> MatchAsync([ActivityTrigger] string chunk) => steps.MatchChunkAsync(chunk);

    [Function(ReconciliationOrchestration.AssembleActivity)]
    public async Task<ReportSummary> AssembleAsync([ActivityTrigger] AssembleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (summary, report) = await steps.AssembleAsync(request).ConfigureAwait(false);
        metrics.Reported(report);
        return summary;
    }

    [Function(ReconciliationOrchestration.ResolveActivity)]
    public Task<ReportSummary> ResolveAsync([ActivityTrigger] ResolveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return steps.ResolveAsync(input.InstanceId, input.Request, input.Resolution);
    }

    [Function(ReconciliationOrchestration.EscalateActivity)]
    public void Escalate([ActivityTrigger] EscalationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        metrics.DeadlineMissed(notice.VesselCall);
        logger.ReconciliationDeadlineMissed(notice.InstanceId, notice.VesselCall, notice.Deadline);
    }
}
