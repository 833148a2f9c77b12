using CsCheck;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Core.Tests.Events;

/// <summary>
/// Random interleavings of events across many containers, with duplicates, late (reordered) arrivals and customs
/// failing at random, through the real handler and a store reloaded for every message (as after a restart).
/// </summary>
public sealed class SequencingPropertyTests
{
    private static readonly ContainerEventType[] Types = Enum.GetValues<ContainerEventType>().Where(t => t != ContainerEventType.None).ToArray();

    /// <summary>A scenario: events per container, then a seed that orders arrivals and chooses duplicates and failures.</summary>
    private static readonly Gen<(int[] EventsPerContainer, int Seed)> Scenarios =
        Gen.Select(Gen.Int[1, 8].Array[1, 12], Gen.Int);

    [Fact]
    public void Timeline_AnyArrivalOrderWithDuplicates_IsOrderedAndHoldsEachEventOnce()
    {
        Scenarios.Sample(scenario =>
        {
            var (events, arrivals) = Build(scenario.EventsPerContainer, scenario.Seed);
            var timelines = new Dictionary<string, ContainerTimeline>();
            foreach (var e in arrivals)
            {
                var key = e.ContainerNumber.ToString();
                if (!timelines.TryGetValue(key, out var timeline))
                {
                    timelines[key] = timeline = new ContainerTimeline(e.ContainerNumber);
                }
                timeline.Apply(e);
            }
            foreach (var (container, expected) in events)
            {
                var entries = timelines[container].Entries;
                Assert.Equal(expected.OrderBy(e => e.Key).Select(e => e.EventId), entries.Select(e => e.Event.EventId));
            }
        }, iter: 300);
    }

    [Fact]
    public async Task Handler_AnyInterleavingWithDuplicatesReorderingAndCustomsFailures_DeliversEachEventOnceAndKeepsTimelinesOrdered()
    {
        await Scenarios.SampleAsync(async scenario =>
        {
            var (events, arrivals) = Build(scenario.EventsPerContainer, scenario.Seed);
            var random = new Random(scenario.Seed);
            var store = new InMemoryContainerTimelineStore();
            var sink = new FlakySink(random);
            var options = ContainerEventMessageHandlerTests.FastOptions(hold: TimeSpan.Zero, maxDeliveryCount: 1000);
            var handler = new ContainerEventMessageHandler(store, sink, UnknownCustomsReleaseLookup.Instance, Options.Create(options), new ContainerEventMetrics());
            var sessions = new Dictionary<string, FakeSession>();

            foreach (var e in arrivals)
            {
                var session = sessions.TryGetValue(e.ContainerNumber.ToString(), out var s) ? s : sessions[e.ContainerNumber.ToString()] = new FakeSession();
                // Session FIFO: an abandoned message is redelivered before the session's next one.
                for (var delivery = 1; ; delivery++)
                {
                    var message = FakeSessionMessage.For(e, delivery, session);
                    await handler.HandleAsync(message);
                    Assert.NotEqual("DeadLetter", message.Settlement);
                    if (message.Settlement == "Complete")
                    {
                        break;
                    }
                    Assert.Equal("Abandon", message.Settlement);
                }
            }

            var delivered = sink.Delivered;
            Assert.Equal(events.Sum(c => c.Value.Count), delivered.Count);
            Assert.Equal(delivered.Count, delivered.Select(n => n.Event.EventId).Distinct().Count());
            foreach (var (container, expected) in events)
            {
                // Delivered in arrival order of each event's first copy: the order the queue gave them.
                var firstArrivals = arrivals.Where(a => a.ContainerNumber.ToString() == container).Select(a => a.EventId).Distinct();
                Assert.Equal(firstArrivals, delivered.Where(n => n.Event.ContainerNumber.ToString() == container).Select(n => n.Event.EventId));

                var timeline = await store.LoadAsync(expected[0].ContainerNumber);
                Assert.Equal(expected.OrderBy(e => e.Key).Select(e => e.EventId), timeline.Entries.Select(e => e.Event.EventId));
                Assert.All(timeline.Entries, entry => Assert.True(entry.Delivered));
                // Flagged out of order exactly when something that happened later had arrived first.
                var seen = new List<ContainerStatusEvent>();
                foreach (var id in firstArrivals)
                {
                    var entry = timeline.Entries.Single(x => x.Event.EventId == id);
                    Assert.Equal(seen.Any(s => s.Key > entry.Key), entry.OutOfOrder);
                    seen.Add(entry.Event);
                }
            }
        }, iter: 150);
    }

    private static (Dictionary<string, List<ContainerStatusEvent>> Events, List<ContainerStatusEvent> Arrivals) Build(int[] eventsPerContainer, int seed)
    {
        var random = new Random(seed);
        var events = new Dictionary<string, List<ContainerStatusEvent>>();
        var arrivals = new List<ContainerStatusEvent>();
        for (var c = 0; c < eventsPerContainer.Length; c++)
        {
            var container = Container(c + 1);
            var list = new List<ContainerStatusEvent>();
            for (var i = 0; i < eventsPerContainer[c]; i++)
            {
                // Some share an instant, so the event-id tie-break is exercised too.
                var e = new ContainerStatusEvent($"E-{c}-{i}", container, Types[random.Next(Types.Length)], T0.AddMinutes(random.Next(0, 5) * 10));
                list.Add(e);
                arrivals.Add(e);
                for (var d = random.Next(0, 3); d > 0; d--)
                {
                    arrivals.Add(e);
                }
            }
            events[container.ToString()] = list;
        }
        // Any interleaving across containers, and any reordering within one (late events, late duplicates).
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(arrivals));
        return (events, arrivals);
    }

    private sealed class FlakySink(Random random) : CustomsEventSink
    {
        public List<CustomsStatusNotice> Delivered { get; } = [];

        public override Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
        {
            if (random.Next(4) == 0)
            {
                return Task.FromResult(CustomsDeliveryResult.TransientFailure("HTTP 503"));
            }
            Delivered.Add(notice);
            return Task.FromResult(CustomsDeliveryResult.Delivered);
        }
    }
}
