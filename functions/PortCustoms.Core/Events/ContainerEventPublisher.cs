namespace PortCustoms.Core.Events;

/// <summary>
/// Puts validated events on the ordered queue: one session per container (SessionId = container number), MessageId = event
/// id so the queue's duplicate detection drops resends. Events of one container keep the order given.
/// Throws when the queue cannot take them; a resend of the whole request is then safe.
/// </summary>
public abstract class ContainerEventPublisher
{
    public abstract Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default);
}
