using PortCustoms.Core.Model;

namespace PortCustoms.Core.Customs;

/// <summary>
/// The customs status held for one container: per kind of notification, the newest one received, whatever order they
/// arrived in, plus the newest overall for display. The release rules (<see cref="Gate.ReleaseDecision"/>) read only the
/// per-kind newest, so a late, older-stamped order still counts and a gate query still costs one point read.
/// Holds no customs intelligence.
/// </summary>
public sealed record ContainerCustomsState
{
    /// <summary>
    /// How far a time read without a zone may lie from the instant it names (UTC-12 .. UTC+14). An order without a zone
    /// counts as if issued this much later, so no release outranks it on a guess; a release without a zone never releases.
    /// </summary>
    public static readonly TimeSpan UnzonedUncertainty = TimeSpan.FromHours(14);

    public required ContainerNumber ContainerNumber { get; init; }

    /// <summary>The newest notification issued (ties go to the more restrictive status). Shown, never decided on.</summary>
    public required NotificationReference Current { get; init; }

    /// <summary>The newest release whose time had a zone: the only kind that can clear.</summary>
    public NotificationReference? LatestRelease { get; init; }

    /// <summary>The newest release whose time had no zone: kept to say why the gate holds.</summary>
    public NotificationReference? LatestUnzonedRelease { get; init; }

    public NotificationReference? LatestHold { get; init; }

    public NotificationReference? LatestInspectionRequired { get; init; }

    public NotificationReference? LatestInspectionCompleted { get; init; }

    /// <summary>How many distinct notifications the container's history holds.</summary>
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
        }, reference).State;
    }

    /// <summary>
    /// True when <paramref name="notification"/> would become the one shown as current: issued later than the current one,
    /// or at the same instant with a more restrictive status (or, same status, a higher id, so the outcome never depends on
    /// arrival order).
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
    /// The state after receiving one more (new, not duplicate) notification. Every notification counts for its kind,
    /// whenever it arrives: <see cref="NotificationOutcome.Applied"/> when it is now the newest of its kind (it can change
    /// the decision), <see cref="NotificationOutcome.Stale"/> when a newer one of its kind is already held (history only).
    /// </summary>
    public (ContainerCustomsState State, NotificationOutcome Outcome) Receive(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.ContainerNumber != ContainerNumber)
        {
            throw new ArgumentException("The notification is for another container.", nameof(notification));
        }
        var counted = this with { NotificationCount = NotificationCount + 1, UpdatedAt = notification.ReceivedAt };
        var reference = NotificationReference.From(notification);
        var (recorded, newest) = Record(counted, reference);
        if (Supersedes(notification))
        {
            recorded = recorded with { Current = reference };
        }
        return (recorded, newest ? NotificationOutcome.Applied : NotificationOutcome.Stale);
    }

    private static (ContainerCustomsState State, bool Newest) Record(ContainerCustomsState state, NotificationReference r)
    {
        switch (r.Status)
        {
            case CustomsStatus.Released when r.IssuedAtZoned:
                var release = Latest(state.LatestRelease, r, static x => x.IssuedAt);
                return (state with { LatestRelease = release }, ReferenceEquals(release, r));
            case CustomsStatus.Released:
                var unzoned = Latest(state.LatestUnzonedRelease, r, static x => x.IssuedAt);
                return (state with { LatestUnzonedRelease = unzoned }, ReferenceEquals(unzoned, r));
            case CustomsStatus.Hold:
                var hold = Latest(state.LatestHold, r, static x => x.OrderInstant);
                return (state with { LatestHold = hold }, ReferenceEquals(hold, r));
            case CustomsStatus.InspectionRequired:
                var inspection = Latest(state.LatestInspectionRequired, r, static x => x.OrderInstant);
                return (state with { LatestInspectionRequired = inspection }, ReferenceEquals(inspection, r));
            case CustomsStatus.InspectionCompleted:
                var completed = Latest(state.LatestInspectionCompleted, r, static x => x.IssuedAt);
                return (state with { LatestInspectionCompleted = completed }, ReferenceEquals(completed, r));
            default:
                throw new ArgumentOutOfRangeException(nameof(r), r.Status, "No customs status.");
        }
    }

    private static NotificationReference Latest(NotificationReference? held, NotificationReference received, Func<NotificationReference, DateTimeOffset> time)
    {
        if (held is null)
        {
            return received;
        }
        var byTime = time(received).CompareTo(time(held));
        return byTime > 0 || (byTime == 0 && string.CompareOrdinal(received.NotificationId, held.NotificationId) > 0) ? received : held;
    }
}

/// <summary>The parts of a notification the release rules need: no free text, no intelligence.</summary>
public sealed record NotificationReference(string NotificationId, CustomsStatus Status, DateTimeOffset IssuedAt, string? CustomsReference, bool IssuedAtZoned = true)
{
    /// <summary>
    /// The latest instant this order may have been issued at: its time, or, without a zone, that plus
    /// <see cref="ContainerCustomsState.UnzonedUncertainty"/>. A release must be newer than this to outrank it.
    /// </summary>
    public DateTimeOffset OrderInstant =>
        IssuedAtZoned ? IssuedAt
        : IssuedAt > DateTimeOffset.MaxValue - ContainerCustomsState.UnzonedUncertainty ? DateTimeOffset.MaxValue
        : IssuedAt + ContainerCustomsState.UnzonedUncertainty;

    public static NotificationReference From(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new(notification.NotificationId, notification.Status, notification.IssuedAt, notification.CustomsReference, notification.IssuedAtZoned);
    }
}
