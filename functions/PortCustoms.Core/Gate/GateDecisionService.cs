using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Customs;

namespace PortCustoms.Core.Gate;

/// <summary>How a gate query was answered.</summary>
public enum GateDecisionKind : byte
{
    /// <summary>A new decision, stored as the transaction's answer.</summary>
    Decided = 0,

    /// <summary>The gate transaction was already answered: the first answer, unchanged.</summary>
    Repeated = 1,

    /// <summary>The gate transaction id was already used for another container: no answer is given.</summary>
    TransactionConflict = 2,
}

/// <summary>The storage operations of one gate answer, as counted in <c>portcustoms.gate.store.failures</c>.</summary>
public enum StoreOperation : byte
{
    /// <summary>The point read of the container's customs state.</summary>
    StateRead = 0,

    /// <summary>The look-up of a gate transaction's first answer before a live query.</summary>
    PreviousAnswerRead = 1,

    /// <summary>The conditional insert of the decision: the audit record and the idempotency key.</summary>
    AuditInsert = 2,
}

/// <summary>The stored decision record and how it came about.</summary>
public sealed record GateDecisionResult(GateDecisionKind Kind, GateDecisionRecord Record);

/// <summary>
/// Answers gate queries: the stored customs state first (one point read); when the store has nothing and a customs
/// platform is configured, a live query within <see cref="GateOptions.LiveQueryBudget"/>; otherwise HOLD. Every decision
/// is stored (conditionally, per gate transaction) before it is returned. The whole answer fits in
/// <see cref="GateOptions.AnswerBudget"/>: the reads are cut at <see cref="GateOptions.StoreTimeout"/>, the live query
/// leaves one of those for the audit insert, and the insert has whatever is left. A slow or unreachable store makes the
/// gate answer HOLD (or 503 when the decision cannot be recorded), never wait.
/// </summary>
public sealed class GateDecisionService
{
    /// <summary>How long a storage operation the gate stopped waiting for may still run before it is cancelled.</summary>
    internal static readonly TimeSpan StoreAbandonAfter = TimeSpan.FromSeconds(10);

    private readonly CustomsStateStore _states;
    private readonly GateDecisionStore _decisions;
    private readonly CustomsLiveQueryClient _live;
    private readonly IOptionsMonitor<GateOptions> _options;
    private readonly IOptionsMonitor<CustomsAuthorityOptions> _authority;
    private readonly TimeProvider _time;
    private readonly GateMetrics _metrics;
    private readonly ILogger<GateDecisionService> _logger;

    public GateDecisionService(
        CustomsStateStore states,
        GateDecisionStore decisions,
        CustomsLiveQueryClient live,
        IOptionsMonitor<GateOptions> options,
        IOptionsMonitor<CustomsAuthorityOptions> authority,
        TimeProvider time,
        GateMetrics metrics,
        ILogger<GateDecisionService> logger)
    {
        _states = states ?? throw new ArgumentNullException(nameof(states));
        _decisions = decisions ?? throw new ArgumentNullException(nameof(decisions));
        _live = live ?? throw new ArgumentNullException(nameof(live));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _authority = authority ?? throw new ArgumentNullException(nameof(authority));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<GateDecisionResult> DecideAsync(GateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.ContainerNumber.IsEmpty)
        {
            throw new ArgumentException("A gate query needs a container number.", nameof(query));
        }

        var options = _options.CurrentValue;
        var started = _time.GetTimestamp();
        ContainerCustomsState? state = null;
        var storeFailed = false;
        try
        {
            state = await WithinAsync(
                StoreOperation.StateRead, options.StoreTimeout, ct => _states.GetStateAsync(query.ContainerNumber, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // An unreadable or slow store is "no usable answer": the live query may still give one, and else the gate holds.
            storeFailed = true;
            _logger.StateReadFailed(ex, query.ContainerNumber);
        }

        GateVerdict verdict;
        DecisionSource source;
        CustomsLiveQueryResult? live = null;
        string? authorityName = null;
        if (state is not null)
        {
            verdict = ReleaseDecision.Decide(state);
            source = DecisionSource.Store;
        }
        else if (options.LiveQueryEnabled && _live.IsConfigured)
        {
            // A retried transaction must not ask customs again (and may not get the same answer): look for the first
            // answer. Not when the store just failed: the lookup would only spend the budget, and the conditional insert
            // after the decision still catches a repeat.
            var previous = storeFailed ? null : await TryGetPreviousAsync(query, options, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return Repeat(query, previous);
            }
            var authority = _authority.CurrentValue;
            // What the answer budget leaves, less one store timeout kept for the audit insert.
            var forLive = options.AnswerBudget - _time.GetElapsedTime(started) - options.StoreTimeout;
            live = await QueryLiveAsync(query, forLive < options.LiveQueryBudget ? forLive : options.LiveQueryBudget, cancellationToken).ConfigureAwait(false);
            verdict = ReleaseDecision.Decide(live.Value, authority);
            if (verdict.Rule == DecisionRule.LiveQueryUnknownCode)
            {
                // Held like an unmapped code in a notification, and counted alike so it is mapped before it stops traffic.
                _metrics.UnmappedCode("StatusAnswer", "statusCode");
            }
            source = live.Value.Outcome == CustomsLiveQueryOutcome.Answered ? DecisionSource.Customs : DecisionSource.Default;
            authorityName = authority.Name;
        }
        else
        {
            verdict = storeFailed ? ReleaseDecision.StoreUnavailable() : ReleaseDecision.NoCustomsRecord();
            source = DecisionSource.Default;
        }

        var decidedAt = _time.GetUtcNow();
        var record = new GateDecisionRecord
        {
            Query = query,
            Answer = new GateAnswer
            {
                ContainerNumber = query.ContainerNumber,
                // DEFAULT is always HOLD, whatever a mapping says.
                Decision = source == DecisionSource.Default ? GateDecision.Hold : verdict.Decision,
                Reason = verdict.Reason,
                DecisionId = Guid.CreateVersion7(decidedAt).ToString(),
                CustomsReference = verdict.CustomsReference,
                Source = source,
                DecidedAt = decidedAt,
            },
            Rule = verdict.Rule,
            KnownState = state,
            LiveQuery = live,
            CustomsAuthority = authorityName,
        };

        // The insert may use what is left of the answer budget (at least one store timeout, which the live query left
        // it). Past that this throws: without a stored decision there is nothing to answer a repeat with.
        var left = options.AnswerBudget - _time.GetElapsedTime(started);
        var stored = await WithinAsync(
            StoreOperation.AuditInsert, left > options.StoreTimeout ? left : options.StoreTimeout, ct => _decisions.AddOrGetExistingAsync(record, ct), cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(stored, record) && stored.Answer.DecisionId != record.Answer.DecisionId)
        {
            return Repeat(query, stored);
        }
        _metrics.Decided(record.Answer.Decision, source, _time.GetElapsedTime(started));
        _logger.GateDecided(query.GateTransactionId, query.Terminal, query.ContainerNumber, record.Answer.Decision, source, verdict.Rule);
        return new GateDecisionResult(GateDecisionKind.Decided, record);
    }

    private GateDecisionResult Repeat(GateQuery query, GateDecisionRecord first)
    {
        if (first.Answer.ContainerNumber != query.ContainerNumber)
        {
            _logger.GateTransactionConflict(query.GateTransactionId, query.Terminal, first.Answer.ContainerNumber, query.ContainerNumber);
            return new GateDecisionResult(GateDecisionKind.TransactionConflict, first);
        }
        _logger.GateRepeated(query.GateTransactionId, query.Terminal, first.Answer.DecisionId);
        return new GateDecisionResult(GateDecisionKind.Repeated, first);
    }

    private async Task<GateDecisionRecord?> TryGetPreviousAsync(GateQuery query, GateOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await WithinAsync(
                StoreOperation.PreviousAnswerRead, options.StoreTimeout, ct => _decisions.GetAsync(query.Terminal, query.GateTransactionId, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The conditional insert after the decision still catches a repeat.
            _logger.StateReadFailed(ex, query.ContainerNumber);
            return null;
        }
    }

    /// <summary>
    /// Waits for one storage operation for at most <paramref name="timeout"/>; a timeout is a
    /// <see cref="TimeoutException"/>, and every failure is counted by operation. The operation itself may run on for up
    /// to <see cref="StoreAbandonAfter"/> before it is cancelled: cancelling an HTTP request closes its connection, and
    /// under load cancelling at the timeout turned slowness into connection churn and then collapse (gate-load.sh at half
    /// load: a third of the answers 503). A late result is dropped; a late audit insert is what the terminal's retry with
    /// the same gateTransactionId then finds.
    /// </summary>
    private async Task<T> WithinAsync<T>(StoreOperation operation, TimeSpan timeout, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        // Both clocks start before the operation does.
        using var waitTimeout = new CancellationTokenSource(timeout, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitTimeout.Token);
        var abandon = new CancellationTokenSource(StoreAbandonAfter > timeout ? StoreAbandonAfter : timeout, _time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandon.Token);
        Task<T> running;
        try
        {
            running = run(linked.Token);
        }
        catch
        {
            linked.Dispose();
            abandon.Dispose();
            throw;
        }
        // The sources live as long as the operation, which may outlive this wait.
        _ = running.ContinueWith(
            static (task, sources) =>
            {
                _ = task.Exception; // observed: a late failure has nobody left to tell
                foreach (var source in (CancellationTokenSource[])sources!)
                {
                    source.Dispose();
                }
            },
            new[] { linked, abandon },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            return await running.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (waitTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _metrics.StoreFailed(operation, timedOut: true);
            throw new TimeoutException($"The gate's {operation} took longer than the {timeout.TotalMilliseconds:0} ms it had (Gate:StoreTimeout, Gate:AnswerBudget).", ex);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.StoreFailed(operation, timedOut: false);
            throw;
        }
    }

    private async Task<CustomsLiveQueryResult> QueryLiveAsync(GateQuery query, TimeSpan budget, CancellationToken cancellationToken)
    {
        // With no time left (the store took the answer budget) it is a timeout without asking.
        var result = budget > TimeSpan.Zero
            ? await AskCustomsAsync(query, budget, cancellationToken).ConfigureAwait(false)
            : CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Timeout, TimeSpan.Zero);
        _metrics.LiveQueried(result);
        if (result.Outcome != CustomsLiveQueryOutcome.Answered)
        {
            _logger.LiveQueryFailed(query.ContainerNumber, result.Outcome, (long)result.Elapsed.TotalMilliseconds);
        }
        return result;
    }

    private async Task<CustomsLiveQueryResult> AskCustomsAsync(GateQuery query, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        // The adapter enforces the budget in its resilience pipeline too; this one holds even for an adapter that does not.
        using var budgetSource = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetSource.Token);
        try
        {
            return await _live.QueryStatusAsync(query.ContainerNumber, linked.Token)
                .WaitAsync(budget, _time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Timeout, _time.GetElapsedTime(started));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LiveQueryThrew(ex, query.ContainerNumber);
            return CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Unreachable, _time.GetElapsedTime(started));
        }
    }
}
