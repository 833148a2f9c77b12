using Microsoft.Extensions.Time.Testing;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Events;
using PortCustoms.TestSupport;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Cloud.Tests.Events;

/// <summary>What waits for customs, against Azurite: every accepted event in queue order, with attempts and last error.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PendingDeliveryTests(AzuriteFixture azurite)
{
    private sealed class Publisher(bool fail = false) : ContainerEventPublisher
    {
        public List<ContainerStatusEvent> Sent { get; } = [];

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            if (fail)
            {
                throw new InvalidOperationException("queue down");
            }
            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }

    private sealed class Customs : CustomsEventSink
    {
        public CustomsDeliveryResult Next { get; set; } = CustomsDeliveryResult.TransientFailure("HTTP 503");

        public override Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default) => Task.FromResult(Next);
    }

    private TablePendingDeliveryStore NewStore() => new(azurite.CreateTableServiceClient(), "Pending" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task While_customs_is_down_every_waiting_event_shows_in_order_with_attempts_and_the_last_error()
    {
        var store = NewStore();
        var clock = new FakeTimeProvider(T0);
        var publisher = new PendingTrackingPublisher(new Publisher(), store, clock);
        var customs = new Customs();
        var sink = new PendingTrackingSink(customs, store, clock);

        await publisher.PublishAsync([Event("D-1", ContainerEventType.Discharged, 0, serial: 7), Event("G-1", ContainerEventType.GatedIn, 5, serial: 7)]);
        clock.Advance(TimeSpan.FromSeconds(3));
        await publisher.PublishAsync([Event("L-1", ContainerEventType.Loaded, 1, serial: 7)]);

        // The head event is tried twice; the others have not been tried yet.
        await sink.DeliverAsync(new CustomsStatusNotice(Event("D-1", ContainerEventType.Discharged, 0, serial: 7), 1, false));
        clock.Advance(TimeSpan.FromSeconds(10));
        await sink.DeliverAsync(new CustomsStatusNotice(Event("D-1", ContainerEventType.Discharged, 0, serial: 7), 1, false));

        var waiting = await store.ListAsync(Container(7));
        Assert.Equal(["D-1", "G-1", "L-1"], waiting.Select(w => w.EventId));
        Assert.Equal((2, "HTTP 503"), (waiting[0].Attempts, waiting[0].LastError));
        Assert.Equal((0, null), (waiting[1].Attempts, waiting[1].LastError));
        var summary = await store.SummarizeAsync();
        Assert.Equal((3, 0, T0), (summary.Waiting, summary.Refused, summary.OldestAcceptedAt));

        // Customs is back: each delivered event leaves the list.
        customs.Next = CustomsDeliveryResult.Delivered;
        await sink.DeliverAsync(new CustomsStatusNotice(Event("D-1", ContainerEventType.Discharged, 0, serial: 7), 1, false));
        Assert.Equal(["G-1", "L-1"], (await store.ListAsync(Container(7))).Select(w => w.EventId));
    }

    [Fact]
    public async Task An_event_sent_again_keeps_its_place_and_a_refused_one_is_marked()
    {
        var store = NewStore();
        var clock = new FakeTimeProvider(T0);
        var publisher = new PendingTrackingPublisher(new Publisher(), store, clock);
        await publisher.PublishAsync([Event("A", ContainerEventType.Discharged, 0, serial: 8)]);
        clock.Advance(TimeSpan.FromMinutes(1));
        await publisher.PublishAsync([Event("B", ContainerEventType.GatedIn, 1, serial: 8)]);
        await publisher.PublishAsync([Event("A", ContainerEventType.Discharged, 0, serial: 8)]);
        Assert.Equal(["A", "B"], (await store.ListAsync(Container(8))).Select(w => w.EventId));

        var sink = new PendingTrackingSink(new Customs { Next = CustomsDeliveryResult.PermanentFailure("HTTP 422") }, store, clock);
        await sink.DeliverAsync(new CustomsStatusNotice(Event("A", ContainerEventType.Discharged, 0, serial: 8), 1, false));
        Assert.True((await store.ListAsync(Container(8)))[0].Refused);
        Assert.Equal(1, (await store.SummarizeAsync()).Refused);
    }

    [Fact]
    public async Task When_the_queue_refuses_nothing_is_left_pending()
    {
        var store = NewStore();
        var publisher = new PendingTrackingPublisher(new Publisher(fail: true), store, TimeProvider.System);
        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.PublishAsync([Event("X", ContainerEventType.Discharged, 0, serial: 9)]));
        Assert.Empty(await store.ListAsync(Container(9)));
    }
}
