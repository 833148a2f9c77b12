using PortCustoms.Core.Customs;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Customs;

public sealed class ContainerCustomsStateTests
{
    [Fact]
    public void Receive_OlderNotificationOfAnotherKind_CountsForItsKindAndCurrentUnchanged()
    {
        var state = ContainerCustomsState.Start(Notification("N2", CustomsStatus.Hold, 10));
        var (after, outcome) = state.Receive(Notification("N1", CustomsStatus.Released, 5));

        Assert.Equal(NotificationOutcome.Applied, outcome);
        Assert.Equal("N2", after.Current.NotificationId);
        Assert.Equal("N1", after.LatestRelease!.NotificationId);
        Assert.Equal(2, after.NotificationCount);
    }

    [Fact]
    public void Receive_OlderThanTheNewestOfItsKind_StaleAndNothingMoves()
    {
        var state = ContainerCustomsState.Start(Notification("N2", CustomsStatus.Hold, 10));
        var (after, outcome) = state.Receive(Notification("N1", CustomsStatus.Hold, 5));

        Assert.Equal(NotificationOutcome.Stale, outcome);
        Assert.Equal(("N2", "N2"), (after.Current.NotificationId, after.LatestHold!.NotificationId));
    }

    [Fact]
    public void Receive_LateOlderHoldAfterANewerCompletion_IsTheNewestHold()
    {
        // Issue 10, point 1: the hold must count even though a newer notification (the completion) is current.
        var state = ContainerCustomsState.Start(Notification("A", CustomsStatus.Released, 30))
            .Receive(Notification("B", CustomsStatus.InspectionCompleted, 40)).State;
        var (after, outcome) = state.Receive(Notification("C", CustomsStatus.Hold, 35));

        Assert.Equal(NotificationOutcome.Applied, outcome);
        Assert.Equal(("B", "C"), (after.Current.NotificationId, after.LatestHold!.NotificationId));
    }

    [Fact]
    public void Receive_ReleaseWithoutZone_KeptApartFromReleases()
    {
        var (after, _) = ContainerCustomsState.Start(Notification("N1", CustomsStatus.Hold, 0))
            .Receive(Notification("N2", CustomsStatus.Released, 5) with { IssuedAtZoned = false });

        Assert.Null(after.LatestRelease);
        Assert.Equal("N2", after.LatestUnzonedRelease!.NotificationId);
    }

    [Fact]
    public void Receive_NewerNotification_AppliedAndCurrent()
    {
        var state = ContainerCustomsState.Start(Notification("N1", CustomsStatus.Hold, 0));
        var (after, outcome) = state.Receive(Notification("N2", CustomsStatus.Released, 5));

        Assert.Equal(NotificationOutcome.Applied, outcome);
        Assert.Equal(CustomsStatus.Released, after.Current.Status);
        Assert.Equal("N1", after.LatestHold!.NotificationId);
        Assert.Equal("N2", after.LatestRelease!.NotificationId);
    }

    [Fact]
    public void Receive_SameInstantSameStatus_HigherIdWinsWhateverTheOrder()
    {
        var a = Notification("N-A", CustomsStatus.Hold, 0);
        var b = Notification("N-B", CustomsStatus.Hold, 0);
        Assert.Equal("N-B", ContainerCustomsState.Start(a).Receive(b).State.Current.NotificationId);
        Assert.Equal("N-B", ContainerCustomsState.Start(b).Receive(a).State.Current.NotificationId);
    }

    [Fact]
    public void Receive_OtherContainer_Throws() =>
        Assert.Throws<ArgumentException>(() => ContainerCustomsState.Start(Notification("N1", CustomsStatus.Hold, 0))
            .Receive(Notification("N2", CustomsStatus.Hold, 1, Csq)));
}
