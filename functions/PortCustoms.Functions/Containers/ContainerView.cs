using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Functions.Gate;

namespace PortCustoms.Functions.Containers;

/// <summary>
/// The port-side view of one container (<c>GET /api/v1/containers/{containerNumber}</c>): its customs status and the
/// history of customs notifications. A projection for the terminal's role: built field by field from what the gate may
/// show, never from the stored notification as a whole, so customs intelligence (risk score, targeting reason, officer
/// notes, free text, unknown extras) cannot appear. The status events flow adds <c>timeline</c> and <c>anomalies</c> here.
/// </summary>
public sealed record ContainerView
{
    public required string ContainerNumber { get; init; }

    /// <summary>Null when no customs notification was ever received for the container.</summary>
    public required CustomsStatusView? CustomsStatus { get; init; }

    /// <summary>Every customs notification received, ordered by issue time.</summary>
    public required IReadOnlyList<CustomsHistoryEntryView> History { get; init; }
}

/// <summary>The current customs status and what the gate would answer from it.</summary>
public sealed record CustomsStatusView(
    string Status,
    string Decision,
    string Reason,
    string NotificationId,
    string? CustomsReference,
    string IssuedAt,
    string UpdatedAt)
{
    public static CustomsStatusView From(ContainerCustomsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var verdict = ReleaseDecision.Decide(state);
        return new(
            state.Current.Status.ToName(),
            verdict.Decision.ToName(),
            verdict.Reason,
            state.Current.NotificationId,
            state.Current.CustomsReference,
            HttpJson.FormatInstant(state.Current.IssuedAt),
            HttpJson.FormatInstant(state.UpdatedAt));
    }
}

/// <summary>One notification as the terminal may see it. <c>applied</c> false: it arrived after a newer one and changed nothing.</summary>
public sealed record CustomsHistoryEntryView(
    string NotificationId,
    string Status,
    string? CustomsReference,
    string IssuedAt,
    string ReceivedAt,
    bool Applied)
{
    public static CustomsHistoryEntryView From(StoredCustomsNotification stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var n = stored.Notification;
        return new(
            n.NotificationId,
            n.Status.ToName(),
            n.CustomsReference,
            HttpJson.FormatInstant(n.IssuedAt),
            HttpJson.FormatInstant(n.ReceivedAt),
            stored.Outcome == NotificationOutcome.Applied);
    }
}
