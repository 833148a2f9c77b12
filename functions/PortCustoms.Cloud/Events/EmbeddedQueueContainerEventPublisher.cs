using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Puts events on the embedded session queue (local runs), with the same session and message ids as on Service Bus. The
/// queue is in memory: not durable, and every 202 says so (<see cref="IsDurable"/>).
/// </summary>
public sealed class EmbeddedQueueContainerEventPublisher : ContainerEventPublisher
{
    private readonly EmbeddedSessionQueue _queue;

    public EmbeddedQueueContainerEventPublisher(EmbeddedSessionQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _queue = queue;
    }

    public override bool IsDurable => false;

    public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var statusEvent in events)
        {
            // A false return is a duplicate dropped by detection: accepted, as Service Bus accepts and drops it.
            _queue.Send(statusEvent.ContainerNumber.ToString(), statusEvent.EventId, ContainerStatusEventWriter.ToUtf8Bytes(statusEvent));
        }
        return Task.CompletedTask;
    }
}
