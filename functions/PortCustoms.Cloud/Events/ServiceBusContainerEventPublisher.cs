using Azure.Messaging.ServiceBus;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Sends events to the session-enabled queue: SessionId = container number, MessageId = event id (the queue's duplicate
/// detection then drops resends). Each container's events go in one batch, in the order given, so they stay in order.
/// </summary>
public sealed class ServiceBusContainerEventPublisher : ContainerEventPublisher
{
    private readonly ServiceBusSender _sender;

    public ServiceBusContainerEventPublisher(ServiceBusSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
    }

    public static ServiceBusMessage CreateMessage(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        var message = new ServiceBusMessage(ContainerStatusEventWriter.ToUtf8Bytes(statusEvent))
        {
            MessageId = statusEvent.EventId,
            SessionId = statusEvent.ContainerNumber.ToString(),
            ContentType = "application/json",
            Subject = statusEvent.Type.ToWireName(),
        };
        message.ApplicationProperties["occurredAt"] = statusEvent.OccurredAt;
        return message;
    }

    public override async Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var container in events.GroupBy(e => e.ContainerNumber))
        {
            // A batch is sent atomically; a container whose events outgrow one batch is sent in several, in order.
            var batch = await _sender.CreateMessageBatchAsync(cancellationToken);
            try
            {
                foreach (var statusEvent in container)
                {
                    var message = CreateMessage(statusEvent);
                    if (batch.TryAddMessage(message))
                    {
                        continue;
                    }
                    if (batch.Count == 0)
                    {
                        throw new InvalidOperationException($"Event {statusEvent.EventId} is too large for one Service Bus message.");
                    }
                    await _sender.SendMessagesAsync(batch, cancellationToken);
                    batch.Dispose();
                    batch = await _sender.CreateMessageBatchAsync(cancellationToken);
                    if (!batch.TryAddMessage(message))
                    {
                        throw new InvalidOperationException($"Event {statusEvent.EventId} is too large for one Service Bus message.");
                    }
                }
                if (batch.Count > 0)
                {
                    await _sender.SendMessagesAsync(batch, cancellationToken);
                }
            }
            finally
            {
                batch.Dispose();
            }
        }
    }
}
