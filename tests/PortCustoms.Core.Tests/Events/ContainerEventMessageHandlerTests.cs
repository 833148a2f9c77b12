using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Core.Tests.Events;

public sealed class ContainerEventMessageHandlerTests
{
    private readonly InMemoryContainerTimelineStore _store = new();
    private readonly RecordingCustomsSink _sink = new();

    internal static ContainerEventOptions FastOptions(TimeSpan? hold = null, int maxDeliveryCount = 10) => new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(4),
        MaxHoldDuration = hold ?? TimeSpan.FromHours(1),
        MaxDeliveryCount = maxDeliveryCount,
    };

    private ContainerEventMessageHandler Handler(ContainerEventOptions? options = null, ICustomsReleaseLookup? releases = null, ContainerEventMetrics? metrics = null) =>
        new(_store, _sink, releases ?? new FixedReleaseLookup(CustomsClearance.Released), Options.Create(options ?? FastOptions()), metrics ?? new ContainerEventMetrics());

    [Fact]
    public async Task HandleAsync_CustomsAccepts_DeliversStoresCheckpointsAndCompletes()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var message = FakeSessionMessage.For(e);
        await Handler().HandleAsync(message);

        Assert.Equal("Complete", message.Settlement);
        Assert.Equal("E-1", Assert.Single(_sink.Delivered).Event.EventId);
        var stored = await _store.LoadAsync(e.ContainerNumber);
        Assert.True(Assert.Single(stored.Entries).Delivered);
        Assert.Equal("E-1", SessionCheckpoint.Read(message.Session.State).LastDeliveredEventId);
    }

    [Fact]
    public async Task HandleAsync_NotJson_DeadLettersAtOnceAsMalformed()
    {
        var message = new FakeSessionMessage("MSCU1234566", "m-1", Encoding.UTF8.GetBytes("{ not json"));
        await Handler().HandleAsync(message);
        Assert.Equal("DeadLetter", message.Settlement);
        Assert.Equal(DeadLetterReasons.MalformedBody, message.DeadLetterReason);
        Assert.Equal(0, _sink.Attempts);
    }

    [Fact]
    public async Task HandleAsync_SchemaInvalid_DeadLettersAtOnceNamingTheField()
    {
        var body = Encoding.UTF8.GetBytes("""{ "eventId": "E-1", "containerNumber": "MSCU1234567", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z" }""");
        var message = new FakeSessionMessage("MSCU1234567", "E-1", body);
        await Handler().HandleAsync(message);
        Assert.Equal(DeadLetterReasons.SchemaInvalid, message.DeadLetterReason);
        Assert.Contains("containerNumber", message.DeadLetterDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_SessionIsAnotherContainer_DeadLetters()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var message = new FakeSessionMessage(Container(2).ToString(), "E-1", Body(e));
        await Handler().HandleAsync(message);
        Assert.Equal(DeadLetterReasons.SessionMismatch, message.DeadLetterReason);
    }

    [Fact]
    public async Task HandleAsync_CustomsDownForManyAttempts_HoldsSessionThenDeliversWithoutBurningDeliveries()
    {
        _sink.Then(Enumerable.Range(0, 40).Select(_ => CustomsDeliveryResult.TransientFailure("HTTP 503")).ToArray());
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0));
        await Handler().HandleAsync(message);

        Assert.Equal("Complete", message.Settlement);
        Assert.Equal(41, _sink.Attempts);
        Assert.Single(_sink.Delivered);
        Assert.True(message.Session.LockRenewals >= 40);
    }

    [Fact]
    public async Task HandleAsync_CustomsDownBeyondHold_AbandonsAndKeepsTheEvent()
    {
        _sink.Otherwise = CustomsDeliveryResult.TransientFailure("connection refused");
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var message = FakeSessionMessage.For(e);
        await Handler(FastOptions(hold: TimeSpan.Zero)).HandleAsync(message);

        Assert.Equal("Abandon", message.Settlement);
        var stored = await _store.LoadAsync(e.ContainerNumber);
        Assert.False(Assert.Single(stored.Entries).Delivered);
    }

    [Fact]
    public async Task HandleAsync_CustomsDownOnLastAllowedDelivery_DeadLettersAsUnavailable()
    {
        _sink.Otherwise = CustomsDeliveryResult.TransientFailure("connection refused");
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0), deliveryCount: 10);
        await Handler(FastOptions(hold: TimeSpan.Zero, maxDeliveryCount: 10)).HandleAsync(message);
        Assert.Equal(DeadLetterReasons.CustomsUnavailable, message.DeadLetterReason);
    }

    [Fact]
    public async Task HandleAsync_CustomsRefuses_DeadLettersAsRejected()
    {
        _sink.Otherwise = CustomsDeliveryResult.PermanentFailure("HTTP 422");
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0));
        await Handler().HandleAsync(message);
        Assert.Equal(DeadLetterReasons.CustomsRejected, message.DeadLetterReason);
        Assert.Equal("HTTP 422", message.DeadLetterDescription);
    }

    [Fact]
    public async Task HandleAsync_AbandonedThenRedelivered_DeliversOnce()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var session = new FakeSession();
        _sink.Then(CustomsDeliveryResult.TransientFailure("down"));
        var first = FakeSessionMessage.For(e, 1, session);
        await Handler(FastOptions(hold: TimeSpan.Zero)).HandleAsync(first);
        var second = FakeSessionMessage.For(e, 2, session);
        await Handler(FastOptions(hold: TimeSpan.Zero)).HandleAsync(second);

        Assert.Equal("Abandon", first.Settlement);
        Assert.Equal("Complete", second.Settlement);
        Assert.Single(_sink.Delivered);
        var stored = await _store.LoadAsync(e.ContainerNumber);
        Assert.Equal(0, Assert.Single(stored.Entries).DuplicateArrivals);
    }

    [Fact]
    public async Task HandleAsync_ResendAfterDelivery_CompletesWithoutSecondDeliveryAndCountsDuplicate()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        await Handler().HandleAsync(FakeSessionMessage.For(e));
        // A resend outside the queue's duplicate window arrives in a new session instance (no checkpoint).
        var resend = FakeSessionMessage.For(e);
        await Handler().HandleAsync(resend);

        Assert.Equal("Complete", resend.Settlement);
        Assert.Single(_sink.Delivered);
        var view = await new ContainerTimelineService(_store, Options.Create(FastOptions())).GetAsync(e.ContainerNumber);
        Assert.Contains(view.Anomalies, a => a.Kind == ContainerAnomalyKind.Duplicate && a.EventId == "E-1");
    }

    [Fact]
    public async Task HandleAsync_StoreFailsWithNoHold_AbandonsThenDeadLettersOnLastDelivery()
    {
        var handler = new ContainerEventMessageHandler(new FailingStore(), _sink, UnknownCustomsReleaseLookup.Instance, Options.Create(FastOptions(hold: TimeSpan.Zero, maxDeliveryCount: 3)), new ContainerEventMetrics());
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var early = FakeSessionMessage.For(e, deliveryCount: 1);
        await handler.HandleAsync(early);
        var last = FakeSessionMessage.For(e, deliveryCount: 3);
        await handler.HandleAsync(last);

        Assert.Equal("Abandon", early.Settlement);
        Assert.Equal(DeadLetterReasons.ProcessingFailed, last.DeadLetterReason);
        Assert.Equal(0, _sink.Attempts);
    }

    [Fact]
    public async Task HandleAsync_GateOutWithoutRelease_RecordsAlarmAndCountsIt()
    {
        var metrics = new ContainerEventMetrics();
        using var listener = new AnomalyListener(metrics);
        var handler = Handler(releases: new FixedReleaseLookup(CustomsClearance.NotReleased), metrics: metrics);
        await handler.HandleAsync(FakeSessionMessage.For(Event("D", ContainerEventType.Discharged, 0)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("G", ContainerEventType.GatedOut, 60)));

        var view = await new ContainerTimelineService(_store, Options.Create(FastOptions())).GetAsync(Container(1));
        var alarm = Assert.Single(view.Anomalies);
        Assert.Equal(ContainerAnomalyKind.GatedOutWithoutRelease, alarm.Kind);
        Assert.Equal(AnomalySeverity.Alarm, alarm.Severity);
        Assert.Equal(1, listener.Count("GATED_OUT_WITHOUT_RELEASE"));
        Assert.Equal(2, _sink.Delivered.Count);
    }

    [Fact]
    public async Task HandleAsync_ReleasedGateOut_NoAlarm()
    {
        var handler = Handler(releases: new FixedReleaseLookup(CustomsClearance.Released));
        await handler.HandleAsync(FakeSessionMessage.For(Event("D", ContainerEventType.Discharged, 0)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("G", ContainerEventType.GatedOut, 60)));
        var view = await new ContainerTimelineService(_store, Options.Create(FastOptions())).GetAsync(Container(1));
        Assert.Empty(view.Anomalies);
    }

    [Fact]
    public async Task HandleAsync_LoadedWithoutExportClearanceWhereRequired_RecordsAlarm()
    {
        var options = FastOptions();
        options.ExportClearanceRequired = true;
        var handler = Handler(options, new FixedReleaseLookup(CustomsClearance.Released, export: CustomsClearance.NotReleased));
        await handler.HandleAsync(FakeSessionMessage.For(Event("I", ContainerEventType.GatedIn, 0)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("L", ContainerEventType.Loaded, 60)));
        var view = await new ContainerTimelineService(_store, Options.Create(options)).GetAsync(Container(1));
        Assert.Equal(ContainerAnomalyKind.LoadedWithoutExportClearance, Assert.Single(view.Anomalies).Kind);
    }

    [Fact]
    public async Task HandleAsync_GateOutLongAfterDischarge_RecordsDwell()
    {
        var options = FastOptions();
        options.MaxDwell = TimeSpan.FromDays(3);
        var handler = Handler(options);
        await handler.HandleAsync(FakeSessionMessage.For(Event("D", ContainerEventType.Discharged, 0)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("G", ContainerEventType.GatedOut, (int)TimeSpan.FromDays(4).TotalMinutes)));
        var view = await new ContainerTimelineService(_store, Options.Create(options)).GetAsync(Container(1));
        Assert.Equal(ContainerAnomalyKind.DwellExceeded, Assert.Single(view.Anomalies).Kind);
    }

    [Fact]
    public async Task GetAsync_StillInTerminalBeyondDwell_ShowsOpenDwellAnomaly()
    {
        var options = FastOptions();
        options.MaxDwell = TimeSpan.FromDays(3);
        await Handler(options).HandleAsync(FakeSessionMessage.For(Event("D", ContainerEventType.Discharged, 0)));
        var clock = new ManualTimeProvider(T0.AddDays(2));
        var service = new ContainerTimelineService(_store, Options.Create(options), clock);
        Assert.Empty((await service.GetAsync(Container(1))).Anomalies);
        clock.Now = T0.AddDays(5);
        var view = await service.GetAsync(Container(1));
        Assert.Equal(ContainerAnomalyKind.DwellExceeded, Assert.Single(view.Anomalies).Kind);
        Assert.Equal(ContainerPresence.InTerminal, view.Presence);
    }

    [Fact]
    public async Task HandleAsync_LateEvent_DeliveredFlaggedOutOfOrderAndCounted()
    {
        var metrics = new ContainerEventMetrics();
        using var listener = new AnomalyListener(metrics);
        var handler = Handler(metrics: metrics);
        await handler.HandleAsync(FakeSessionMessage.For(Event("G", ContainerEventType.GatedOut, 60)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("D", ContainerEventType.Discharged, 0)));

        var delivered = _sink.Delivered.ToArray();
        Assert.Equal(["G", "D"], delivered.Select(n => n.Event.EventId));
        Assert.True(delivered[1].OutOfOrder);
        Assert.Equal(1, listener.Count("OUT_OF_ORDER"));
        Assert.Equal(1, listener.Count("IMPOSSIBLE_TRANSITION"));
        var view = await new ContainerTimelineService(_store, Options.Create(FastOptions())).GetAsync(Container(1));
        Assert.Equal(["D", "G"], view.Events.Select(e => e.Event.EventId));
        Assert.DoesNotContain(view.Anomalies, a => a.Kind == ContainerAnomalyKind.ImpossibleTransition);
    }

    /// <summary>Runs the handler on a fake clock, advancing it a second at a time until the message is settled.</summary>
    private static async Task RunOnFakeClockAsync(Task handling, Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        for (var step = 0; !handling.IsCompleted && step < 20_000; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }
        Assert.True(handling.IsCompleted, "the handler did not settle within 20,000 fake seconds");
        await handling;
    }

    private static ContainerEventOptions OutageOptions() => new()
    {
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(30),
        MaxHoldDuration = TimeSpan.FromMinutes(30),
        MaxDeliveryCount = 10,
    };

    [Fact]
    public async Task HandleAsync_StorageDownFourMinutes_WaitsWithBackoffAndDeliversOnTheSameDelivery()
    {
        // Issue 10, point 9: storage down for about four minutes once dead-lettered accepted events after ten fast deliveries.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var store = new OutageStore(_store, time, time.GetUtcNow().AddMinutes(4));
        var handler = new ContainerEventMessageHandler(store, _sink, UnknownCustomsReleaseLookup.Instance, Options.Create(OutageOptions()), new ContainerEventMetrics(), time);
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0), deliveryCount: 1);

        await RunOnFakeClockAsync(handler.HandleAsync(message), time);

        Assert.Equal("Complete", message.Settlement);
        Assert.Equal(1, _sink.Attempts);
        Assert.True(store.Failures >= 5, $"only {store.Failures} failed attempts: the back-off did not retry");
        Assert.True(store.Failures <= 4 * 60, $"{store.Failures} failed attempts in four minutes: no back-off");
        Assert.True(message.Session.LockRenewals >= store.Failures, "the session lock was not renewed while waiting");
        // Another attempt of the same delivery is not a resend.
        var view = await new ContainerTimelineService(_store, Options.Create(FastOptions())).GetAsync(Container(1));
        Assert.DoesNotContain(view.Anomalies, a => a.Kind == ContainerAnomalyKind.Duplicate);
    }

    [Fact]
    public async Task HandleAsync_StorageDownPastMaxHold_AbandonsOnceAfterHolding()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var store = new OutageStore(_store, time, DateTimeOffset.MaxValue);
        var handler = new ContainerEventMessageHandler(store, _sink, UnknownCustomsReleaseLookup.Instance, Options.Create(OutageOptions()), new ContainerEventMetrics(), time);
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0), deliveryCount: 1);
        var began = time.GetUtcNow();

        await RunOnFakeClockAsync(handler.HandleAsync(message), time);

        Assert.Equal("Abandon", message.Settlement);
        Assert.True(time.GetUtcNow() - began >= TimeSpan.FromMinutes(29), $"gave up after {time.GetUtcNow() - began} of a 30 minute hold");
    }

    [Fact]
    public async Task HandleAsync_CustomsDown_WaitsDoublingToMaxBackoffWithJitterOnTheTimeProvider()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var sink = new TimedSink(time, failures: 6);
        var options = new ContainerEventOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(4), MaxHoldDuration = TimeSpan.FromMinutes(5), MaxDeliveryCount = 10 };
        var handler = new ContainerEventMessageHandler(_store, sink, UnknownCustomsReleaseLookup.Instance, Options.Create(options), new ContainerEventMetrics(), time);
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0));

        var handling = handler.HandleAsync(message);
        for (var step = 0; !handling.IsCompleted && step < 10_000; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        await handling;

        Assert.Equal("Complete", message.Settlement);
        var waits = sink.Attempts.Zip(sink.Attempts.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        double[] planned = [1, 2, 4, 4, 4, 4];
        Assert.Equal(planned.Length, waits.Length);
        for (var i = 0; i < waits.Length; i++)
        {
            Assert.InRange(waits[i], (0.8 * planned[i]) - 0.001, (1.2 * planned[i]) + 0.101);
        }
        Assert.Equal(6, message.Session.LockRenewals);
    }

    /// <summary>Customs unavailable for the first attempts; notes the fake time of each attempt.</summary>
    private sealed class TimedSink(TimeProvider time, int failures) : CustomsEventSink
    {
        public List<DateTimeOffset> Attempts { get; } = [];

        public override Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
        {
            Attempts.Add(time.GetUtcNow());
            return Task.FromResult(Attempts.Count <= failures ? CustomsDeliveryResult.TransientFailure("HTTP 503") : CustomsDeliveryResult.Delivered);
        }
    }

    /// <summary>The real in-memory store behind an outage that ends at a time on the fake clock.</summary>
    private sealed class OutageStore(ContainerTimelineStore inner, TimeProvider time, DateTimeOffset until) : ContainerTimelineStore
    {
        public int Failures { get; private set; }

        public override Task<ContainerTimeline> LoadAsync(PortCustoms.Core.Model.ContainerNumber containerNumber, CancellationToken cancellationToken = default)
        {
            if (time.GetUtcNow() < until)
            {
                Failures++;
                throw new IOException("table storage unreachable");
            }
            return inner.LoadAsync(containerNumber, cancellationToken);
        }

        public override Task SaveAsync(ContainerTimeline timeline, CancellationToken cancellationToken = default) =>
            time.GetUtcNow() < until ? throw new IOException("table storage unreachable") : inner.SaveAsync(timeline, cancellationToken);
    }

    private sealed class FailingStore : ContainerTimelineStore
    {
        public override Task<ContainerTimeline> LoadAsync(PortCustoms.Core.Model.ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
            throw new IOException("table storage unreachable");

        public override Task SaveAsync(ContainerTimeline timeline, CancellationToken cancellationToken = default) => throw new IOException("table storage unreachable");
    }

    /// <summary>Counts the anomalies counter by kind tag.</summary>
    private sealed class AnomalyListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public AnomalyListener(ContainerEventMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // Only this test's meter: other test classes run in parallel with meters of the same name.
                if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "portcustoms.events.anomalies")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind")
                    {
                        lock (_counts)
                        {
                            _counts[(string)tag.Value!] = _counts.GetValueOrDefault((string)tag.Value!) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string kind)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(kind);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

public sealed class ContainerEventMessageHandlerCheckpointTests
{
    [Fact]
    public async Task HandleAsync_ResendInSameSessionRightAfterDelivery_IsCountedAsDuplicateAndNotDeliveredAgain()
    {
        var store = new InMemoryContainerTimelineStore();
        var sink = new RecordingCustomsSink();
        var handler = new ContainerEventMessageHandler(store, sink, new FixedReleaseLookup(CustomsClearance.Released),
            Options.Create(ContainerEventMessageHandlerTests.FastOptions()), new ContainerEventMetrics());
        var session = new FakeSession();
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        await handler.HandleAsync(FakeSessionMessage.For(e, 1, session));
        var resend = FakeSessionMessage.For(e, 1, session);
        await handler.HandleAsync(resend);

        Assert.Equal("Complete", resend.Settlement);
        Assert.Single(sink.Delivered);
        Assert.Equal(1, Assert.Single((await store.LoadAsync(e.ContainerNumber)).Entries).DuplicateArrivals);
    }
}
