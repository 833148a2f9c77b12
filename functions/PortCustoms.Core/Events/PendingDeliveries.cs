using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>One accepted event not yet delivered to customs, as the container view shows it while customs is down.</summary>
public sealed record PendingDelivery(
    string EventId,
    ContainerNumber ContainerNumber,
    ContainerEventType Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset AcceptedAt,
    int Attempts,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    bool Refused,
    bool DeadLettered = false);

/// <summary>
/// The accepted events waiting for delivery, per container, in the order they were accepted: written when the queue
/// takes an event, updated on each failed attempt, removed on delivery. The queue stays the source of truth for
/// delivery; this index is what lets an operator see everything that waits, not only the event at the head.
/// </summary>
public abstract class PendingDeliveryStore
{
    public abstract Task AcceptedAsync(IReadOnlyList<ContainerStatusEvent> events, DateTimeOffset acceptedAt, CancellationToken cancellationToken = default);

    public abstract Task DeliveredAsync(ContainerNumber containerNumber, string eventId, CancellationToken cancellationToken = default);

    public abstract Task AttemptFailedAsync(ContainerNumber containerNumber, string eventId, CustomsDeliveryResult result, DateTimeOffset at, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<PendingDelivery>> ListAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    /// <summary>Across every container: how many wait, how many customs refused, and since when the oldest waits.</summary>
    public abstract Task<PendingSummary> SummarizeAsync(CancellationToken cancellationToken = default);

    /// <summary>The queue dead-lettered the event: it still waits (for a fix and a replay), counted in the dead-letter depth.</summary>
    public virtual Task DeadLetteredAsync(ContainerNumber containerNumber, string eventId, string reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>
    /// The event was put back on the queue by a replay: it waits again (no longer dead-lettered nor refused), keeping its
    /// place when its row is there, added when it is not.
    /// </summary>
    public virtual Task ReplayedAsync(ContainerStatusEvent statusEvent, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        AcceptedAsync([statusEvent], at, cancellationToken);
}

/// <summary>
/// The queue as operators see it: events waiting (including those customs refused or the queue dead-lettered, which
/// wait for a fix and a replay), how many of them are dead-lettered (refused ones included), and the oldest's accepted time.
/// </summary>
public sealed record PendingSummary(long Waiting, long Refused, DateTimeOffset? OldestAcceptedAt, long DeadLettered = 0);

/// <summary>Records what the queue accepted before it is published (and forgets it if the publish fails).</summary>
public sealed class PendingTrackingPublisher(ContainerEventPublisher inner, PendingDeliveryStore pending, TimeProvider time) : ContainerEventPublisher
{
    /// <summary>The transport that really publishes.</summary>
    public ContainerEventPublisher Inner => inner;

    public override bool IsDurable => inner.IsDurable;

    public override async Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Written first: an event on the queue always has its pending row, so the view never misses one that waits.
        await pending.AcceptedAsync(events, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var e in events)
            {
                await pending.DeliveredAsync(e.ContainerNumber, e.EventId, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
    }
}

/// <summary>Updates the pending rows with each delivery's outcome; the delivery itself is the inner sink's.</summary>
public sealed class PendingTrackingSink(CustomsEventSink inner, PendingDeliveryStore pending, TimeProvider time) : CustomsEventSink
{
    /// <summary>The sink of the configured format, which really delivers.</summary>
    public CustomsEventSink Inner => inner;

    public override string MessageTypeFor(ContainerStatusEvent statusEvent) => inner.MessageTypeFor(statusEvent);

    public override async Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
    {
        var result = await inner.DeliverAsync(notice, cancellationToken).ConfigureAwait(false);
        try
        {
            if (result.Outcome == CustomsDeliveryOutcome.Delivered)
            {
                await pending.DeliveredAsync(notice.Event.ContainerNumber, notice.Event.EventId, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await pending.AttemptFailedAsync(notice.Event.ContainerNumber, notice.Event.EventId, result, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The index is for the view: its failure never changes what delivery did.
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
        }
        return result;
    }
}
