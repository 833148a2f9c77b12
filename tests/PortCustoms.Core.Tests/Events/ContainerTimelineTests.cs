using PortCustoms.Core.Events;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Core.Tests.Events;

public sealed class ContainerTimelineTests
{
    [Fact]
    public void Apply_InOrder_AppendsWithoutAnomalies()
    {
        var timeline = new ContainerTimeline(Container(1));
        timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        timeline.Apply(Event("B", ContainerEventType.GatedOut, 10));
        Assert.Equal(["A", "B"], timeline.Entries.Select(e => e.Event.EventId));
        Assert.Empty(timeline.GetAnomalies());
        Assert.Equal(ContainerPresence.Departed, timeline.Presence);
    }

    [Fact]
    public void Apply_SameEventTwice_SecondIsDuplicateWithNoEffect()
    {
        var timeline = new ContainerTimeline(Container(1));
        timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        var again = timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        Assert.Equal(SequencingOutcome.Duplicate, again.Outcome);
        Assert.Single(timeline.Entries);
        Assert.Equal(1, timeline.ArrivalCount);
    }

    [Fact]
    public void Apply_OlderThanLast_InsertedInPlaceAndFlagged()
    {
        var timeline = new ContainerTimeline(Container(1));
        timeline.Apply(Event("GATE-OUT", ContainerEventType.GatedOut, 10));
        var late = timeline.Apply(Event("DISCH", ContainerEventType.Discharged, 0));
        Assert.True(late.OutOfOrder);
        Assert.Equal(0, late.Position);
        Assert.Equal(["DISCH", "GATE-OUT"], timeline.Entries.Select(e => e.Event.EventId));
        Assert.Contains(timeline.GetAnomalies(), a => a.Kind == ContainerAnomalyKind.OutOfOrder && a.EventId == "DISCH");
    }

    [Fact]
    public void Apply_GatedOutBeforeDischarged_IsImpossibleTransition_UntilTheLateDischargeArrives()
    {
        var timeline = new ContainerTimeline(Container(1));
        var gateOut = timeline.Apply(Event("GATE-OUT", ContainerEventType.GatedOut, 10));
        Assert.Single(gateOut.NewTransitionAnomalies);
        Assert.Single(timeline.TransitionAnomalies);

        timeline.Apply(Event("DISCH", ContainerEventType.Discharged, 0));
        Assert.Empty(timeline.TransitionAnomalies);
    }

    [Fact]
    public void Apply_LoadedAfterGateOutWithoutGateIn_IsImpossibleTransition()
    {
        var timeline = new ContainerTimeline(Container(1));
        timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        timeline.Apply(Event("B", ContainerEventType.GatedOut, 10));
        var loaded = timeline.Apply(Event("C", ContainerEventType.Loaded, 20));
        var anomaly = Assert.Single(loaded.NewTransitionAnomalies);
        Assert.Equal("C", anomaly.EventId);
        Assert.Contains("GATED_OUT", anomaly.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SameInstant_OrdersByEventId()
    {
        var timeline = new ContainerTimeline(Container(1));
        timeline.Apply(Event("B", ContainerEventType.Stripped, 0));
        timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        Assert.Equal(["A", "B"], timeline.Entries.Select(e => e.Event.EventId));
    }

    [Fact]
    public void Apply_OtherContainer_Throws()
    {
        var timeline = new ContainerTimeline(Container(1));
        Assert.Throws<ArgumentException>(() => timeline.Apply(Event("A", ContainerEventType.Discharged, 0, serial: 2)));
    }

    [Fact]
    public async Task InMemoryStore_SaveThenLoad_RestoresTimelineAndFlags()
    {
        var store = new InMemoryContainerTimelineStore();
        var timeline = await store.LoadAsync(Container(1));
        timeline.Apply(Event("B", ContainerEventType.GatedOut, 10));
        var late = timeline.Apply(Event("A", ContainerEventType.Discharged, 0));
        timeline.MarkDelivered(late.Entry);
        await store.SaveAsync(timeline);

        var reloaded = await store.LoadAsync(Container(1));
        Assert.Equal(["A", "B"], reloaded.Entries.Select(e => e.Event.EventId));
        Assert.True(reloaded.Entries[0].OutOfOrder);
        Assert.True(reloaded.Entries[0].Delivered);
        Assert.Equal(2, reloaded.ArrivalCount);
        Assert.Empty(reloaded.TransitionAnomalies);
    }

    [Fact]
    public async Task InMemoryStore_StaleSave_ThrowsConcurrency()
    {
        var store = new InMemoryContainerTimelineStore();
        var first = await store.LoadAsync(Container(1));
        var second = await store.LoadAsync(Container(1));
        first.Apply(Event("A", ContainerEventType.Discharged, 0));
        await store.SaveAsync(first);
        second.Apply(Event("B", ContainerEventType.Discharged, 1));
        await Assert.ThrowsAsync<TimelineConcurrencyException>(() => store.SaveAsync(second));
    }
}
