using PortCustoms.Core.Model;

namespace PortCustoms.Core.Customs;

/// <summary>
/// Durable customs status per container: the notification history and the current state derived from it.
/// Implementations store a notification before they return, treat a repeated notification id as a no-op, and never lose
/// a concurrent update for the same container.
/// </summary>
public abstract class CustomsStateStore
{
    protected CustomsStateStore()
    {
    }

    /// <summary>Stores the notification in the container's history and, when it is the newest, makes it current.</summary>
    public abstract Task<NotificationOutcome> AddNotificationAsync(CustomsNotification notification, CancellationToken cancellationToken = default);

    /// <summary>The current state, or null when no notification was ever received for the container.</summary>
    public abstract Task<ContainerCustomsState?> GetStateAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    /// <summary>Every notification received for the container, ordered by issue time (then receipt time).</summary>
    public abstract Task<IReadOnlyList<StoredCustomsNotification>> GetHistoryAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a notification can ever be stored under this id (a store's key has limits). Checked when the notification
    /// is read: an id that can never be stored is refused naming the field, never answered 503 "send it again".
    /// </summary>
    public virtual bool CanStoreNotificationId(string notificationId) => true;
}
