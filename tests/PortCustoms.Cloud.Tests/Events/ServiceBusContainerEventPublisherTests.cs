using Azure.Messaging.ServiceBus;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.Events;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Cloud.Tests.Events;

public sealed class ServiceBusContainerEventPublisherTests
{
    [Fact]
    public async Task Each_event_gets_its_container_as_session_and_its_id_as_message_id_in_order()
    {
        var sender = new RecordingSender();
        var events = new[]
        {
            Event("A1", ContainerEventType.Discharged, 0, serial: 1),
            Event("B1", ContainerEventType.Discharged, 0, serial: 2),
            Event("A2", ContainerEventType.GatedOut, 10, serial: 1),
        };
        await new ServiceBusContainerEventPublisher(sender).PublishAsync(events);

        Assert.Equal(2, sender.Batches.Count);
        var a = sender.Batches[0];
        Assert.Equal(["A1", "A2"], a.Select(m => m.MessageId));
        Assert.All(a, m => Assert.Equal(Container(1).ToString(), m.SessionId));
        Assert.Equal("B1", Assert.Single(sender.Batches[1]).MessageId);
        Assert.Equal(Container(2).ToString(), sender.Batches[1][0].SessionId);
        Assert.True(ContainerStatusEventReader.TryReadSingle(a[0].Body.ToArray(), out var read, out _, out _));
        Assert.Equal("A1", read!.EventId);
    }

    [Fact]
    public void Http_status_classification_retries_only_what_can_succeed_later()
    {
        Assert.Equal(CustomsDeliveryOutcome.Delivered, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.Accepted).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.Delivered, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.Conflict).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.ServiceUnavailable).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.TooManyRequests).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.RequestTimeout).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.PermanentFailure, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.BadRequest).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.PermanentFailure, HttpCustomsEventSink.Classify(System.Net.HttpStatusCode.UnprocessableEntity).Outcome);
    }

    /// <summary>A sender without a broker (the SDK's protected constructor and virtual methods).</summary>
    private sealed class RecordingSender : ServiceBusSender
    {
        private readonly List<List<ServiceBusMessage>> _open = [];

        public List<List<ServiceBusMessage>> Batches { get; } = [];

        public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        {
            var store = new List<ServiceBusMessage>();
            _open.Add(store);
            return ValueTask.FromResult(ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, store, new CreateMessageBatchOptions(), _ => true));
        }

        public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
        {
            // The factory's batch writes into the list handed to it; the last created batch is the one sent.
            Batches.Add([.. _open[^1]]);
            return Task.CompletedTask;
        }
    }
}
