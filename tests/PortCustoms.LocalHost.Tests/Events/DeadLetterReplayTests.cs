using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using PortCustoms.LocalHost.Events;
using PortCustoms.TestSupport;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.LocalHost.Tests.Events;

/// <summary>
/// Replay of dead-lettered status events on LocalHost's durable queue, against Azurite, with the real handler, consumer,
/// timeline store and pending index: customs down past the last delivery dead-letters a container's events; customs
/// fixed, the replay puts them back, they wait again in the index, and customs gets them in order, once.
/// </summary>
public sealed class DeadLetterReplayTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    private TableServiceClient Tables => azurite.CreateTableServiceClient();

    [Fact]
    public async Task Events_dead_lettered_while_customs_was_down_are_replayed_in_order_once_and_recorded()
    {
        var queue = new TableSessionQueue(Tables.GetTableClient("q" + _suffix), TimeSpan.FromSeconds(3), maxDeliveryCount: 2);
        var pending = new TablePendingDeliveryStore(Tables, "pending" + _suffix);
        var ledger = new TableDeadLetterReplayLedger(Tables, "ledger" + _suffix);
        var customs = new RecordingCustomsSink { Otherwise = CustomsDeliveryResult.TransientFailure("HTTP 503") };
        var timelines = new TableContainerTimelineStore(Tables.GetTableClient("timelines" + _suffix));
        var handler = new ContainerEventMessageHandler(
            timelines,
            new PendingTrackingSink(customs, pending, TimeProvider.System),
            new FixedReleaseLookup(CustomsClearance.Released),
            Options.Create(new ContainerEventOptions { MaxDeliveryCount = 2, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(2), MaxHoldDuration = TimeSpan.FromMilliseconds(20) }),
            new ContainerEventMetrics(),
            pending: pending);
        var publisher = new PendingTrackingPublisher(new TableQueueContainerEventPublisher(queue), pending, TimeProvider.System);
        var discharged = Event("EV-1", ContainerEventType.Discharged, 0);
        var gatedOut = Event("EV-2", ContainerEventType.GatedOut, 60);
        var container = discharged.ContainerNumber;

        // Customs down: each event is held, abandoned, and on its second delivery dead-lettered CustomsUnavailable.
        await publisher.PublishAsync([discharged, gatedOut]);
        await RunConsumerUntilAsync(queue, handler, async () => (await queue.GetDeadLettersAsync()).Count == 2);
        Assert.Empty(customs.Delivered);
        Assert.All(await queue.GetDeadLettersAsync(), l => Assert.Equal(DeadLetterReasons.CustomsUnavailable, l.Reason));
        Assert.Equal([true, true], (await pending.ListAsync(container)).Select(p => p.DeadLettered));
        Assert.Equal(2, (await pending.SummarizeAsync()).DeadLettered);

        // Customs fixed. Listed first, then all replayed.
        customs.Otherwise = CustomsDeliveryResult.Delivered;
        var replayer = new DeadLetterReplayer(new TableSessionQueueDeadLetters(queue), ledger, pending, TimeProvider.System);
        Assert.Equal(["EV-1", "EV-2"], (await replayer.ListAsync(container.ToString())).Select(l => l.Letter.MessageId));
        var results = await replayer.ReplayAllAsync(null, "ops.jansen", "customs platform back after outage");

        Assert.All(results, r => Assert.True(r.Replayed, r.Error));
        Assert.Empty(await queue.GetDeadLettersAsync());
        Assert.Equal(2, await queue.CountActiveMessagesAsync());
        // Waiting again, in their first place, no longer dead-lettered: the dead-letter depth drops to zero.
        var waiting = await pending.ListAsync(container);
        Assert.Equal(["EV-1", "EV-2"], waiting.Select(p => p.EventId));
        Assert.All(waiting, p => Assert.False(p.DeadLettered));
        var summary = await pending.SummarizeAsync();
        Assert.Equal((2L, 0L), (summary.Waiting, summary.DeadLettered));

        await RunConsumerUntilAsync(queue, handler, async () => await queue.CountActiveMessagesAsync() == 0);
        Assert.Equal(["EV-1", "EV-2"], customs.Delivered.Select(n => n.Event.EventId));
        Assert.Empty(await pending.ListAsync(container));
        var timeline = await timelines.LoadAsync(container);
        Assert.All(timeline.Entries, e => Assert.True(e.Delivered));
        // A replay is not a resend: no duplicate arrival is counted.
        Assert.All(timeline.Entries, e => Assert.Equal(0, e.DuplicateArrivals));

        var history = await ledger.ListAsync(container.ToString());
        Assert.Equal(["EV-1", "EV-2"], history.Select(r => r.MessageId));
        Assert.All(history, r =>
        {
            Assert.Equal(DeadLetterReplayState.Settled, r.State);
            Assert.Equal("ops.jansen", r.By);
            Assert.Equal("customs platform back after outage", r.Reason);
            Assert.Equal(DeadLetterReasons.CustomsUnavailable, r.DeadLetterReason);
            Assert.Equal(DeadLetterReplayer.ReplayMessageId(r.MessageId, r.ReplayId), r.ReplayMessageId);
        });

        // The same dead letter again: refused, nothing sent.
        var again = await replayer.ReplayAsync(container.ToString(), "EV-1", "ops.jansen", null);
        Assert.False(again.Replayed);
        Assert.Contains("replayed already", again.Error, StringComparison.Ordinal);
        Assert.Empty(await replayer.ReplayAllAsync(null, "ops.jansen", null));
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
        Assert.Equal(2, customs.Delivered.Count);
    }

    private static async Task RunConsumerUntilAsync(TableSessionQueue queue, ContainerEventMessageHandler handler, Func<Task<bool>> done)
    {
        using var consumer = new TableSessionQueueConsumer(queue, handler.HandleAsync, () => true, workers: 2, TimeSpan.FromMilliseconds(50), NullLogger.Instance);
        await consumer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!await done())
            {
                Assert.True(DateTime.UtcNow < deadline, "The consumer did not get there in 90 s.");
                await Task.Delay(100);
            }
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }
}
