namespace PortCustoms.Core.Events;

/// <summary>
/// Puts validated events on the ordered queue: one session per container (SessionId = container number), MessageId = event
/// id so the queue's duplicate detection drops resends. Events of one container keep the order given.
/// Throws when the queue cannot take them; a resend of the whole request is then safe.
/// </summary>
public abstract class ContainerEventPublisher
{
    /// <summary>
    /// False for a queue that lives in the process (LocalHost's embedded queue): what it accepted is lost if the process
    /// dies before delivery. Every 202 says which it is, so no caller mistakes a local run for the real guarantee.
    /// </summary>
    public virtual bool IsDurable => true;

    public abstract Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default);
}
