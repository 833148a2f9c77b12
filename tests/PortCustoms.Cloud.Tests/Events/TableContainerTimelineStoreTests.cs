using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Events;
using PortCustoms.TestSupport;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Cloud.Tests.Events;

/// <summary>The timeline store against a real Azurite table.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableContainerTimelineStoreTests(AzuriteFixture azurite)
{
    private TableContainerTimelineStore NewStore(string table) =>
        new(azurite.CreateTableServiceClient().GetTableClient(table));

    [Fact]
    public async Task Timeline_survives_a_restart_in_order_with_flags_and_recorded_anomalies()
    {
        var store = NewStore("timelinesrestart");
        var timeline = await store.LoadAsync(Container(1));
        timeline.Apply(Event("G/1", ContainerEventType.GatedOut, 60));
        var late = timeline.Apply(Event("D#1", ContainerEventType.Discharged, 0));
        timeline.Record(new ContainerAnomaly(ContainerAnomalyKind.GatedOutWithoutRelease, AnomalySeverity.Alarm, "G/1", T0.AddMinutes(60), "no release"));
        await store.SaveAsync(timeline);
        timeline.MarkDelivered(late.Entry);
        await store.SaveAsync(timeline);

        // A new store instance: as after a process restart.
        var reloaded = await NewStore("timelinesrestart").LoadAsync(Container(1));
        Assert.Equal(["D#1", "G/1"], reloaded.Entries.Select(e => e.Event.EventId));
        Assert.True(reloaded.Entries[0].OutOfOrder);
        Assert.True(reloaded.Entries[0].Delivered);
        Assert.False(reloaded.Entries[1].Delivered);
        Assert.Equal(2, reloaded.ArrivalCount);
        Assert.Equal(ContainerAnomalyKind.GatedOutWithoutRelease, Assert.Single(reloaded.RecordedAnomalies).Kind);
        Assert.Empty(reloaded.TransitionAnomalies);
        Assert.Equal(ContainerPresence.Departed, reloaded.Presence);
    }

    [Fact]
    public async Task A_stale_writer_is_refused_by_the_conditional_write()
    {
        var store = NewStore("timelinesstale");
        var first = await store.LoadAsync(Container(2));
        var stale = await store.LoadAsync(Container(2));

        first.Apply(Event("A", ContainerEventType.Discharged, 0, serial: 2));
        await store.SaveAsync(first);
        stale.Apply(Event("B", ContainerEventType.Discharged, 5, serial: 2));
        await Assert.ThrowsAsync<TimelineConcurrencyException>(() => store.SaveAsync(stale));

        var current = await store.LoadAsync(Container(2));
        Assert.Equal(["A"], current.Entries.Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task The_same_event_written_twice_by_two_loads_is_refused_not_duplicated()
    {
        var store = NewStore("timelinesdup");
        var one = await store.LoadAsync(Container(3));
        var two = await store.LoadAsync(Container(3));
        one.Apply(Event("A", ContainerEventType.Discharged, 0, serial: 3));
        two.Apply(Event("A", ContainerEventType.Discharged, 0, serial: 3));
        await store.SaveAsync(one);
        await Assert.ThrowsAsync<TimelineConcurrencyException>(() => store.SaveAsync(two));

        var reloaded = await store.LoadAsync(Container(3));
        Assert.Single(reloaded.Entries);
        // Retried on fresh state, the same event is a duplicate with no effect.
        Assert.Equal(SequencingOutcome.Duplicate, reloaded.Apply(Event("A", ContainerEventType.Discharged, 0, serial: 3)).Outcome);
    }

    [Fact]
    public async Task Unknown_container_loads_as_an_empty_timeline()
    {
        var timeline = await NewStore("timelinesempty").LoadAsync(Container(99));
        Assert.Empty(timeline.Entries);
        Assert.Equal(ContainerPresence.Unknown, timeline.Presence);
    }
}
