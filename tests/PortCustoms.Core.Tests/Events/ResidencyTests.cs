using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;
using PortCustoms.Core.Residency;
using PortCustoms.Core.Tests.Events.Fixtures;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Core.Tests.Events;

public sealed class ResidencyTests
{
    private static ResidencyGuard OutsideApprovedRegions()
    {
        var options = new ResidencyOptions();
        options.AllowedRegions.Add("westeurope");
        return new ResidencyGuard(Options.Create(options), "East US");
    }

    [Fact]
    public async Task HandleAsync_OutsideApprovedRegions_GivesTheMessageBackUnreadAndSendsNothing()
    {
        var store = new InMemoryContainerTimelineStore();
        var sink = new RecordingCustomsSink();
        var handler = new ContainerEventMessageHandler(store, sink, UnknownCustomsReleaseLookup.Instance,
            Options.Create(ContainerEventMessageHandlerTests.FastOptions()), new ContainerEventMetrics(), residency: OutsideApprovedRegions());
        var message = FakeSessionMessage.For(Event("E-1", ContainerEventType.Discharged, 0));
        await handler.HandleAsync(message);

        Assert.False(handler.MayProcess);
        Assert.Equal("Abandon", message.Settlement);
        Assert.Equal(0, sink.Attempts);
        Assert.Equal(0, store.SaveCount);
    }

    [Fact]
    public async Task AcceptAsync_OutsideApprovedRegions_ThrowsAndQueuesNothing()
    {
        var publisher = new CountingPublisher();
        var intake = new ContainerEventIntake(publisher, new ContainerEventMetrics(), residency: OutsideApprovedRegions());
        await Assert.ThrowsAsync<ResidencyViolationException>(() => intake.AcceptAsync(System.Text.Encoding.UTF8.GetBytes(ValidJson)));
        Assert.Equal(0, publisher.Count);
    }

    private sealed class CountingPublisher : ContainerEventPublisher
    {
        public int Count { get; private set; }

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            Count += events.Count;
            return Task.CompletedTask;
        }
    }
}
