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

/// <summary>The stored decision record and how it came about.</summary>
public sealed record GateDecisionResult(GateDecisionKind Kind, GateDecisionRecord Record);

/// <summary>
/// Answers gate queries: the stored customs state first (one point read); when the store has nothing and a customs
/// platform is configured, a live query within <see cref="GateOptions.LiveQueryBudget"/>; otherwise HOLD. Every decision
/// is stored (conditionally, per gate transaction) before it is returned.
/// </summary>
public sealed class GateDecisionService
{
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

        ContainerCustomsState? state = null;
        var storeFailed = false;
        try
        {
            state = await _states.GetStateAsync(query.ContainerNumber, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // An unreadable store is "no usable answer": the live query may still give one, and else the gate holds.
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
        else if (_options.CurrentValue.LiveQueryEnabled && _live.IsConfigured)
        {
            // A retried transaction must not ask customs again (and may not get the same answer): look for the first answer.
            var previous = await TryGetPreviousAsync(query, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return Repeat(query, previous);
            }
            var authority = _authority.CurrentValue;
            live = await QueryLiveAsync(query, cancellationToken).ConfigureAwait(false);
            verdict = ReleaseDecision.Decide(live.Value, authority);
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

        var stored = await _decisions.AddOrGetExistingAsync(record, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(stored, record) && stored.Answer.DecisionId != record.Answer.DecisionId)
        {
            return Repeat(query, stored);
        }
        _metrics.Decided(record.Answer.Decision, source);
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

    private async Task<GateDecisionRecord?> TryGetPreviousAsync(GateQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await _decisions.GetAsync(query.Terminal, query.GateTransactionId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The conditional insert after the decision still catches a repeat.
            _logger.StateReadFailed(ex, query.ContainerNumber);
            return null;
        }
    }

    private async Task<CustomsLiveQueryResult> QueryLiveAsync(GateQuery query, CancellationToken cancellationToken)
    {
        var budget = _options.CurrentValue.LiveQueryBudget;
        var started = _time.GetTimestamp();
        CustomsLiveQueryResult result;
        // The adapter enforces the budget in its resilience pipeline too; this one holds even for an adapter that does not.
        using var budgetSource = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetSource.Token);
        try
        {
            result = await _live.QueryStatusAsync(query.ContainerNumber, linked.Token)
                .WaitAsync(budget, _time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            result = CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Timeout, _time.GetElapsedTime(started));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LiveQueryThrew(ex, query.ContainerNumber);
            result = CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Unreachable, _time.GetElapsedTime(started));
        }
        _metrics.LiveQueried(result);
        if (result.Outcome != CustomsLiveQueryOutcome.Answered)
        {
            _logger.LiveQueryFailed(query.ContainerNumber, result.Outcome, (long)result.Elapsed.TotalMilliseconds);
        }
        return result;
    }
}
