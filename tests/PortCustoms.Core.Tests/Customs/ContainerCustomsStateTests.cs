using PortCustoms.Core.Customs;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Customs;

public sealed class ContainerCustomsStateTests
{
    [Fact]
    public void Receive_OlderNotification_StaleAndStatusUnchanged()
    {
        var state = ContainerCustomsState.Start(Notification("N2", CustomsStatus.Hold, 10));
        var (after, outcome) = state.Receive(Notification("N1", CustomsStatus.Released, 5));

        Assert.Equal(NotificationOutcome.Stale, outcome);
        Assert.Equal("N2", after.Current.NotificationId);
        Assert.Null(after.LatestRelease);
        Assert.Equal(2, after.NotificationCount);
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
