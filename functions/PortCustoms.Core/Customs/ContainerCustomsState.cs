using PortCustoms.Core.Model;

namespace PortCustoms.Core.Customs;

/// <summary>
/// The customs status held for one container: the current notification plus, per kind of notification, the latest one
/// applied. The release rules (<see cref="Gate.ReleaseDecision"/>) read only this, so a gate query costs one point read.
/// Holds no customs intelligence.
/// </summary>
public sealed record ContainerCustomsState
{
    public required ContainerNumber ContainerNumber { get; init; }

    /// <summary>The notification that set the current status: the latest issued (ties go to the more restrictive status).</summary>
    public required NotificationReference Current { get; init; }

    public NotificationReference? LatestRelease { get; init; }

    public NotificationReference? LatestHold { get; init; }

    public NotificationReference? LatestInspectionRequired { get; init; }

    public NotificationReference? LatestInspectionCompleted { get; init; }

    /// <summary>How many distinct notifications the container's history holds (applied and stale).</summary>
    public int NotificationCount { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The state after the first notification for a container.</summary>
    public static ContainerCustomsState Start(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var reference = NotificationReference.From(notification);
        return Record(new ContainerCustomsState
        {
            ContainerNumber = notification.ContainerNumber,
            Current = reference,
            NotificationCount = 1,
            UpdatedAt = notification.ReceivedAt,
        }, reference);
    }

    /// <summary>
    /// True when <paramref name="notification"/> would become the current status: issued later than the current one, or at
    /// the same instant with a more restrictive status (or, same status, a higher id, so the outcome never depends on
    /// arrival order). Older notifications go to the history only (contracts/http-api.md).
    /// </summary>
    public bool Supersedes(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var byTime = notification.IssuedAt.CompareTo(Current.IssuedAt);
        if (byTime != 0)
        {
            return byTime > 0;
        }
        var byStatus = ((byte)notification.Status).CompareTo((byte)Current.Status);
        return byStatus != 0
            ? byStatus > 0
            : string.CompareOrdinal(notification.NotificationId, Current.NotificationId) > 0;
    }

    /// <summary>
    /// The state after receiving one more (new, not duplicate) notification. Issued before the current one: stale, history
    /// only. Issued at the same instant: it counts for its kind of order (so same-instant notifications give the same
    /// decision in any arrival order) and becomes current if it supersedes. Issued later: current.
    /// </summary>
    public (ContainerCustomsState State, NotificationOutcome Outcome) Receive(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.ContainerNumber != ContainerNumber)
        {
            throw new ArgumentException("The notification is for another container.", nameof(notification));
        }
        var counted = this with { NotificationCount = NotificationCount + 1, UpdatedAt = notification.ReceivedAt };
        if (notification.IssuedAt < Current.IssuedAt)
        {
            return (counted, NotificationOutcome.Stale);
        }
        var reference = NotificationReference.From(notification);
        var recorded = Record(counted, reference);
        return (Supersedes(notification) ? recorded with { Current = reference } : recorded, NotificationOutcome.Applied);
    }

    private static ContainerCustomsState Record(ContainerCustomsState state, NotificationReference reference) => reference.Status switch
    {
        CustomsStatus.Released => state with { LatestRelease = Latest(state.LatestRelease, reference) },
        CustomsStatus.Hold => state with { LatestHold = Latest(state.LatestHold, reference) },
        CustomsStatus.InspectionRequired => state with { LatestInspectionRequired = Latest(state.LatestInspectionRequired, reference) },
        CustomsStatus.InspectionCompleted => state with { LatestInspectionCompleted = Latest(state.LatestInspectionCompleted, reference) },
        _ => throw new ArgumentOutOfRangeException(nameof(reference), reference.Status, "No customs status."),
    };

    private static NotificationReference Latest(NotificationReference? held, NotificationReference received) =>
        held is null
        || received.IssuedAt > held.IssuedAt
        || (received.IssuedAt == held.IssuedAt && string.CompareOrdinal(received.NotificationId, held.NotificationId) > 0)
            ? received
            : held;
}

/// <summary>The parts of a notification the release rules need: no free text, no intelligence.</summary>
public sealed record NotificationReference(string NotificationId, CustomsStatus Status, DateTimeOffset IssuedAt, string? CustomsReference)
{
    public static NotificationReference From(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new(notification.NotificationId, notification.Status, notification.IssuedAt, notification.CustomsReference);
    }
}
