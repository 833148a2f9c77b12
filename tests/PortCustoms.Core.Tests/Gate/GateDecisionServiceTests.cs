using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Fixtures;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Gate;

public sealed class GateDecisionServiceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(T0.AddHours(2));
    private readonly InMemoryCustomsStateStore _states = new();
    private readonly InMemoryGateDecisionStore _decisions = new();
    private readonly TestMeterFactory _meters = new();
    private readonly GateOptions _options = new();

    public void Dispose() => _meters.Dispose();

    private GateDecisionService Service(CustomsLiveQueryClient? live = null) => new(
        _states,
        _decisions,
        live ?? CustomsLiveQueryClient.NotConfigured,
        new StaticOptionsMonitor<GateOptions>(_options),
        new StaticOptionsMonitor<CustomsAuthorityOptions>(new CustomsAuthorityOptions()),
        _time,
        new GateMetrics(_meters),
        NullLogger<GateDecisionService>.Instance);

    private static GateQuery Query(string transaction = "G-1", ContainerNumber? container = null) => new()
    {
        ContainerNumber = container ?? Msc,
        Direction = GateDirection.Out,
        GateTransactionId = transaction,
        Terminal = "NLRTM-ECT",
        RequestedAt = T0,
        Caller = "key:ect-tos",
    };

    private static ScriptedLiveQueryClient Answering(string code) =>
        new((_, _) => Task.FromResult(CustomsLiveQueryResult.Answer(code, "24NL-LIVE", TimeSpan.FromMilliseconds(12))));

    [Fact]
    public async Task DecideAsync_StoredRelease_ClearFromStoreAndAudited()
    {
        await _states.AddNotificationAsync(Notification("N1", CustomsStatus.Released, 0));

        var result = await Service().DecideAsync(Query());

        Assert.Equal(GateDecisionKind.Decided, result.Kind);
        var answer = result.Record.Answer;
        Assert.Equal((GateDecision.Clear, DecisionSource.Store, "Released by customs", "24NLN1"), (answer.Decision, answer.Source, answer.Reason, answer.CustomsReference));
        Assert.Equal(_time.GetUtcNow(), answer.DecidedAt);
        var audit = Assert.Single(_decisions.Records);
        Assert.Equal("key:ect-tos", audit.Query.Caller);
        Assert.Equal(DecisionRule.ReleasedAfterOrders, audit.Rule);
        Assert.Equal("N1", audit.KnownState!.Current.NotificationId);
    }

    [Fact]
    public async Task DecideAsync_NothingStoredAndNoCustomsPlatform_HoldDefault()
    {
        var answer = (await Service().DecideAsync(Query())).Record.Answer;
        Assert.Equal((GateDecision.Hold, DecisionSource.Default), (answer.Decision, answer.Source));
        Assert.Equal("No customs release received for this container", answer.Reason);
    }

    [Fact]
    public async Task DecideAsync_StoreUnreadableAndNoCustomsPlatform_HoldDefaultStoreUnavailable()
    {
        _states.FailReads = new IOException("storage down");
        var result = await Service().DecideAsync(Query());
        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.StoreUnavailable), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
    }

    [Fact]
    public async Task DecideAsync_StoreUnreadable_AsksCustomsLive()
    {
        _states.FailReads = new IOException("storage down");
        var result = await Service(Answering("4")).DecideAsync(Query());
        Assert.Equal((GateDecision.Clear, DecisionSource.Customs), (result.Record.Answer.Decision, result.Record.Answer.Source));
    }

    [Theory]
    [InlineData("4", GateDecision.Clear)]
    [InlineData("5", GateDecision.Inspect)]
    [InlineData("7", GateDecision.Hold)]
    public async Task DecideAsync_NothingStoredLiveAnswer_DecisionFromCustoms(string code, GateDecision decision)
    {
        var result = await Service(Answering(code)).DecideAsync(Query());
        Assert.Equal((decision, DecisionSource.Customs, "24NL-LIVE"), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Answer.CustomsReference));
        Assert.Equal(code, result.Record.LiveQuery!.Value.StatusCode);
        Assert.Equal("UN/EDIFACT 7365", result.Record.CustomsAuthority);
    }

    [Fact]
    public async Task DecideAsync_LiveAnswerWithACodeTheAuthorityDoesNotMap_HoldAndCountedAsUnmapped()
    {
        using var unmapped = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(_meters, GateMetrics.MeterName, "portcustoms.codes.unmapped");

        var answer = (await Service(Answering("ZZ")).DecideAsync(Query())).Record.Answer;

        Assert.Equal((GateDecision.Hold, DecisionSource.Customs), (answer.Decision, answer.Source));
        var measurement = Assert.Single(unmapped.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(("StatusAnswer", "statusCode"), ((string)measurement.Tags["messageType"]!, (string)measurement.Tags["field"]!));
    }

    [Fact]
    public async Task DecideAsync_LiveAnswerWithAMappedCode_NotCountedAsUnmapped()
    {
        using var unmapped = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(_meters, GateMetrics.MeterName, "portcustoms.codes.unmapped");

        await Service(Answering("4")).DecideAsync(Query());

        Assert.Empty(unmapped.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task DecideAsync_StoredStateExists_NeverAsksLive()
    {
        await _states.AddNotificationAsync(Notification("N1", CustomsStatus.Hold, 0));
        var live = Answering("4");
        var result = await Service(live).DecideAsync(Query());
        Assert.Equal(GateDecision.Hold, result.Record.Answer.Decision);
        Assert.Equal(0, live.Calls);
    }

    [Fact]
    public async Task DecideAsync_LiveQueryDisabled_HoldDefaultWithoutAsking()
    {
        _options.LiveQueryEnabled = false;
        var live = Answering("4");
        var result = await Service(live).DecideAsync(Query());
        Assert.Equal((GateDecision.Hold, DecisionSource.Default), (result.Record.Answer.Decision, result.Record.Answer.Source));
        Assert.Equal(0, live.Calls);
    }

    [Fact]
    public async Task DecideAsync_LiveQuerySlowerThanBudget_HoldDefaultTimeoutAndCounted()
    {
        var failures = new List<(long, string)>();
        using var listener = ListenToFailures(failures);
        var live = new ScriptedLiveQueryClient(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return CustomsLiveQueryResult.Answer("4", null, default);
        });

        var decision = Service(live).DecideAsync(Query());
        while (!decision.IsCompleted)
        {
            _time.Advance(_options.LiveQueryBudget);
            await Task.Yield();
            await Task.Delay(1);
        }
        var result = await decision;

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryTimeout), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
        Assert.Equal("Customs did not answer in time; no release known", result.Record.Answer.Reason);
        Assert.Contains((1L, "Timeout"), failures);
    }

    [Theory]
    [InlineData(CustomsLiveQueryOutcome.Unreachable)]
    [InlineData(CustomsLiveQueryOutcome.ServerError)]
    [InlineData(CustomsLiveQueryOutcome.Rejected)]
    [InlineData(CustomsLiveQueryOutcome.Malformed)]
    public async Task DecideAsync_LiveQueryFails_HoldDefaultAndCounted(CustomsLiveQueryOutcome outcome)
    {
        var failures = new List<(long, string)>();
        using var listener = ListenToFailures(failures);
        var live = new ScriptedLiveQueryClient((_, _) => Task.FromResult(CustomsLiveQueryResult.Failure(outcome, TimeSpan.FromMilliseconds(3))));

        var result = await Service(live).DecideAsync(Query());

        Assert.Equal((GateDecision.Hold, DecisionSource.Default), (result.Record.Answer.Decision, result.Record.Answer.Source));
        Assert.Contains((1L, outcome.ToString()), failures);
    }

    [Fact]
    public async Task DecideAsync_LiveClientThrows_HoldDefault()
    {
        var live = new ScriptedLiveQueryClient((_, _) => Task.FromException<CustomsLiveQueryResult>(new InvalidOperationException("bug")));
        var result = await Service(live).DecideAsync(Query());
        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryUnreachable), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
    }

    [Fact]
    public async Task DecideAsync_RepeatedTransaction_FirstAnswerAgainEvenAfterStatusChanged()
    {
        await _states.AddNotificationAsync(Notification("N1", CustomsStatus.Hold, 0));
        var service = Service();
        var first = await service.DecideAsync(Query());
        await _states.AddNotificationAsync(Notification("N2", CustomsStatus.Released, 5));
        _time.Advance(TimeSpan.FromSeconds(30));

        var again = await service.DecideAsync(Query());

        Assert.Equal(GateDecisionKind.Repeated, again.Kind);
        Assert.Equal(first.Record.Answer, again.Record.Answer);
        Assert.Single(_decisions.Records);
    }

    [Fact]
    public async Task DecideAsync_RepeatedTransactionOnLivePath_DoesNotAskCustomsAgain()
    {
        var live = Answering("4");
        var service = Service(live);
        var first = await service.DecideAsync(Query());
        var again = await service.DecideAsync(Query());
        Assert.Equal(first.Record.Answer, again.Record.Answer);
        Assert.Equal(1, live.Calls);
    }

    [Fact]
    public async Task DecideAsync_TransactionIdReusedForAnotherContainer_Conflict()
    {
        var service = Service();
        await service.DecideAsync(Query(container: Msc));
        var other = await service.DecideAsync(Query(container: Csq));
        Assert.Equal(GateDecisionKind.TransactionConflict, other.Kind);
        Assert.Equal(Msc, other.Record.Answer.ContainerNumber);
    }

    [Fact]
    public async Task DecideAsync_SameTransactionIdAtAnotherTerminal_IsItsOwnTransaction()
    {
        var service = Service();
        await service.DecideAsync(Query());
        var other = await service.DecideAsync(Query() with { Terminal = "NLRTM-APMT" });
        Assert.Equal(GateDecisionKind.Decided, other.Kind);
    }

    /// <summary>Live query failures as (count, outcome).</summary>
    private static MeterListener ListenToFailures(List<(long, string)> failures) =>
        Listen(failures, "portcustoms.gate.live_query.failures", tags => tags["outcome"]);

    /// <summary>Store failures as (count, "operation/kind").</summary>
    private static MeterListener ListenToStoreFailures(List<(long, string)> failures) =>
        Listen(failures, "portcustoms.gate.store.failures", tags => $"{tags["operation"]}/{tags["kind"]}");

    private static MeterListener Listen(List<(long, string)> measurements, string instrumentName, Func<IReadOnlyDictionary<string, string>, string> describe)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GateMetrics.MeterName && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            lock (measurements)
            {
                measurements.Add((value, describe(tagged)));
            }
        });
        listener.Start();
        return listener;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DecideAsync_StateReadPastStoreTimeout_HoldDefaultStoreUnavailableAndCounted(bool storeHonoursCancellation)
    {
        var failures = new List<(long, string)>();
        using var listener = ListenToStoreFailures(failures);
        var reading = Reached();
        _states.BeforeRead = ct => reading.Pass(storeHonoursCancellation ? Task.Delay(Timeout.InfiniteTimeSpan, ct) : new TaskCompletionSource().Task);

        var decision = Service().DecideAsync(Query());
        await AdvanceWhenReachedAsync(reading, _options.StoreTimeout);
        var result = await CompletedAsync(decision);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.StoreUnavailable), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
        Assert.Single(_decisions.Records);
        Assert.Equal([(1L, "StateRead/timeout")], failures);
    }

    [Fact]
    public async Task DecideAsync_StateReadPastStoreTimeout_CustomsIsAskedWithTheWholeLiveBudget()
    {
        var reading = Reached();
        _states.BeforeRead = ct => reading.Pass(Task.Delay(Timeout.InfiniteTimeSpan, ct));
        var (live, asking) = LiveQueryThatNeverAnswers();

        var decision = Service(live).DecideAsync(Query());
        await AdvanceWhenReachedAsync(reading, _options.StoreTimeout);
        // Defaults: 3 s answer budget - 250 ms read - 250 ms kept for the insert = the 2.5 s live budget, all of it.
        await AdvanceWhenReachedAsync(asking, _options.LiveQueryBudget);
        var result = await CompletedAsync(decision);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryTimeout), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
        Assert.Equal(_options.LiveQueryBudget, result.Record.LiveQuery!.Value.Elapsed);
    }

    [Fact]
    public async Task DecideAsync_SlowStoreRead_LiveQueryGetsOnlyWhatTheAnswerBudgetLeaves()
    {
        _options.AnswerBudget = TimeSpan.FromSeconds(1);
        var reading = Reached();
        _states.BeforeRead = ct => reading.Pass(Task.Delay(TimeSpan.FromMilliseconds(200), _time, ct));
        var (live, asking) = LiveQueryThatNeverAnswers();

        var decision = Service(live).DecideAsync(Query());
        await AdvanceWhenReachedAsync(reading, TimeSpan.FromMilliseconds(200));
        // 1 s - 200 ms spent reading - 250 ms kept for the insert. A longer live budget leaves the decision unfinished.
        await AdvanceWhenReachedAsync(asking, TimeSpan.FromMilliseconds(550));
        var result = await CompletedAsync(decision);

        Assert.Equal(DecisionRule.LiveQueryTimeout, result.Record.Rule);
        Assert.Equal(TimeSpan.FromMilliseconds(550), result.Record.LiveQuery!.Value.Elapsed);
    }

    [Fact]
    public async Task DecideAsync_StoreSpentTheWholeAnswerBudget_HoldWithoutAskingCustoms()
    {
        _options.AnswerBudget = TimeSpan.FromMilliseconds(400);
        var reading = Reached();
        _states.BeforeRead = ct => reading.Pass(Task.Delay(Timeout.InfiniteTimeSpan, ct));
        var (live, _) = LiveQueryThatNeverAnswers();

        var decision = Service(live).DecideAsync(Query());
        await AdvanceWhenReachedAsync(reading, _options.StoreTimeout);
        var result = await CompletedAsync(decision);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryTimeout), (result.Record.Answer.Decision, result.Record.Answer.Source, result.Record.Rule));
        Assert.Equal(0, live.Calls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DecideAsync_AuditInsertPastTheAnswerBudget_ThrowsTimeoutNotAnUnrecordedAnswer(bool storeHonoursCancellation)
    {
        var failures = new List<(long, string)>();
        using var listener = ListenToStoreFailures(failures);
        await _states.AddNotificationAsync(Notification("N1", CustomsStatus.Released, 0));
        var inserting = Reached();
        _decisions.BeforeAdd = ct => inserting.Pass(storeHonoursCancellation ? Task.Delay(Timeout.InfiniteTimeSpan, ct) : new TaskCompletionSource().Task);

        var decision = Service().DecideAsync(Query());
        // A store-answered decision leaves the insert the rest of the 3 s answer budget, not only one store timeout.
        await AdvanceWhenReachedAsync(inserting, _options.AnswerBudget - TimeSpan.FromMilliseconds(1));
        Assert.False(decision.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => CompletedAsync(decision));
        Assert.Contains("took longer than the 3000 ms it had", timeout.Message, StringComparison.Ordinal);
        Assert.Empty(_decisions.Records);
        Assert.Equal([(1L, "AuditInsert/timeout")], failures);
    }

    [Fact]
    public async Task DecideAsync_AfterALiveQueryThatTookItsWholeBudget_TheInsertStillHasAStoreTimeoutAndTheAnswerFitsTheBudget()
    {
        var (live, asking) = LiveQueryThatNeverAnswers();
        var inserting = Reached();
        _decisions.BeforeAdd = ct => inserting.Pass(Task.Delay(Timeout.InfiniteTimeSpan, ct));

        var decision = Service(live).DecideAsync(Query());
        await AdvanceWhenReachedAsync(asking, _options.LiveQueryBudget);
        // 2.5 s live budget + the 500 ms the budget still has for the insert = 3 s.
        await AdvanceWhenReachedAsync(inserting, TimeSpan.FromMilliseconds(500));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => CompletedAsync(decision));
        Assert.Contains("took longer than the 500 ms it had", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_StoreReadFailed_NoPreviousAnswerLookupBeforeAskingCustoms()
    {
        _states.FailReads = new IOException("storage down");
        var lookups = 0;
        var decisions = new CountingDecisionStore(_decisions, () => lookups++);
        var service = new GateDecisionService(
            _states, decisions, Answering("4"), new StaticOptionsMonitor<GateOptions>(_options), new StaticOptionsMonitor<CustomsAuthorityOptions>(new CustomsAuthorityOptions()),
            _time, new GateMetrics(_meters), NullLogger<GateDecisionService>.Instance);

        var result = await service.DecideAsync(Query());

        Assert.Equal((GateDecision.Clear, DecisionSource.Customs), (result.Record.Answer.Decision, result.Record.Answer.Source));
        Assert.Equal(0, lookups);
    }

    [Fact]
    public async Task DecideAsync_StateReadPastStoreTimeout_TheReadIsNotCancelledUntilAbandoned()
    {
        // Cancelling an HTTP request closes its connection: the gate stops waiting at the timeout but lets the read run on.
        CancellationToken readToken = default;
        var reading = Reached();
        _states.BeforeRead = ct =>
        {
            readToken = ct;
            return reading.Pass(Task.Delay(Timeout.InfiniteTimeSpan, ct));
        };

        var decision = Service().DecideAsync(Query());
        await AdvanceWhenReachedAsync(reading, _options.StoreTimeout);
        var result = await CompletedAsync(decision);

        Assert.Equal(DecisionRule.StoreUnavailable, result.Record.Rule);
        Assert.False(readToken.IsCancellationRequested);
        _time.Advance(GateDecisionService.StoreAbandonAfter - _options.StoreTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(readToken.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(readToken.IsCancellationRequested);
    }

    /// <summary>A point the code under test reaches; <see cref="Pass"/> marks it and hands on what the fake returns.</summary>
    private sealed class Checkpoint
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ReachedTask => _reached.Task;

        public T Pass<T>(T result)
        {
            _reached.TrySetResult();
            return result;
        }
    }

    private static Checkpoint Reached() => new();

    /// <summary>
    /// Moves the fake clock once the code under test waits at <paramref name="checkpoint"/> (its timers are set before a
    /// store or the live query is called, so none is missed). Steps are explicit: no test depends on thread timing.
    /// </summary>
    private async Task AdvanceWhenReachedAsync(Checkpoint checkpoint, TimeSpan by)
    {
        await checkpoint.ReachedTask.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(by);
    }

    /// <summary>The decision's outcome; a decision still waiting for the clock fails the test instead of hanging it.</summary>
    private static Task<GateDecisionResult> CompletedAsync(Task<GateDecisionResult> decision) => decision.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>A live query that waits for its token (the service's budget), marking the checkpoint when asked.</summary>
    private static (ScriptedLiveQueryClient Client, Checkpoint Asking) LiveQueryThatNeverAnswers()
    {
        var asking = Reached();
        var client = new ScriptedLiveQueryClient(async (_, ct) =>
        {
            await asking.Pass(Task.Delay(Timeout.InfiniteTimeSpan, ct));
            return CustomsLiveQueryResult.Answer("4", null, default);
        });
        return (client, asking);
    }

    private sealed class CountingDecisionStore(GateDecisionStore inner, Action onLookup) : GateDecisionStore
    {
        public override Task<GateDecisionRecord> AddOrGetExistingAsync(GateDecisionRecord record, CancellationToken cancellationToken = default) =>
            inner.AddOrGetExistingAsync(record, cancellationToken);

        public override Task<GateDecisionRecord?> GetAsync(string terminal, string gateTransactionId, CancellationToken cancellationToken = default)
        {
            onLookup();
            return inner.GetAsync(terminal, gateTransactionId, cancellationToken);
        }
    }
}
