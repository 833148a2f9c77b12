using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Reconciliation;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Functions.Reconciliation;

/// <summary>Whether a start made a new run or found the call's existing one.</summary>
public sealed record StartOutcome(string InstanceId, bool Started, int Run);

/// <summary>
/// Starts reconciliations: one instance per vessel call (id from IMO + voyage). A second start finds the running or
/// finished instance and returns it; only an explicit rerun replaces it (terminated if running, purged, started again
/// with the next run number, whose report is kept beside the earlier ones). Used by the HTTP start and the timer.
/// </summary>
public sealed class ReconciliationStarter(IOptions<ReconciliationOptions> options, TimeProvider time, ILogger<ReconciliationStarter> logger)
{
    private readonly ReconciliationSchedule _schedule = new(options.Value);

    public ReconciliationSchedule Schedule => _schedule;

    public async Task<StartOutcome> StartAsync(DurableTaskClient client, VesselCall vesselCall, bool rerun, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instanceId = ReconciliationRequest.InstanceIdFor(vesselCall);
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        var run = 1;
        if (existing is not null)
        {
            var previous = existing.ReadInputAs<ReconciliationRequest>();
            if (!rerun)
            {
                return new StartOutcome(instanceId, false, previous?.Run ?? 1);
            }
            run = (previous?.Run ?? 0) + 1;
            await ReplaceAsync(client, existing, cancellationToken).ConfigureAwait(false);
        }
        var now = time.GetUtcNow();
        var request = new ReconciliationRequest
        {
            VesselImo = vesselCall.Imo.ToString(),
            Voyage = vesselCall.Voyage,
            Run = run,
            Deadline = _schedule.DeadlineAfter(now),
            ResolveUntil = _schedule.ResolveUntil(now),
            ChunkSize = options.Value.ChunkSize,
            Trigger = trigger,
        };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ReconciliationOrchestration.Name, request, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !rerun)
        {
            // Two starts raced: the other one made the instance; it is the call's run.
            if (await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new StartOutcome(instanceId, false, run);
            }
            throw;
        }
        logger.ReconciliationStarted(instanceId, trigger, run);
        return new StartOutcome(instanceId, true, run);
    }

    /// <summary>The timer's work: pending discharge-list completions any time; inside the batch window, every call with a discharge list and no run.</summary>
    public async Task<int> StartDueAsync(DurableTaskClient client, BlobPendingReconciliations pending, IVesselCallCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(catalog);
        var started = 0;
        await foreach (var call in pending.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                // A new discharge list is new data: it reruns a call that already has a report.
                started += (await StartAsync(client, call, rerun: true, "discharge-list", cancellationToken).ConfigureAwait(false)).Started ? 1 : 0;
                await pending.RemoveAsync(call, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.ReconciliationStartFailed(ex, call.Key);
            }
        }
        if (_schedule.IsInBatchWindow(time.GetUtcNow()))
        {
            await foreach (var call in catalog.ListCallsWithDischargeListAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    started += (await StartAsync(client, call, rerun: false, "timer", cancellationToken).ConfigureAwait(false)).Started ? 1 : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.ReconciliationStartFailed(ex, call.Key);
                }
            }
        }
        return started;
    }

    private static async Task ReplaceAsync(DurableTaskClient client, OrchestrationMetadata existing, CancellationToken cancellationToken)
    {
        if (existing.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
        {
            await client.TerminateInstanceAsync(existing.InstanceId, new TerminateInstanceOptions { Output = "rerun" }, cancellationToken).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(30));
            while (true)
            {
                var state = await client.GetInstanceAsync(existing.InstanceId, wait.Token).ConfigureAwait(false);
                if (state is null || state.RuntimeStatus is OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed)
                {
                    break;
                }
                await Task.Delay(200, wait.Token).ConfigureAwait(false);
            }
        }
        await client.PurgeInstanceAsync(existing.InstanceId, cancellation: cancellationToken).ConfigureAwait(false);
    }
}
