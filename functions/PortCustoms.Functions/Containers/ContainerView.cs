using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Containers;

/// <summary>
/// The port-side view of one container (<c>GET /api/v1/containers/{containerNumber}</c>): its customs status and the
/// history of customs notifications. Built field by field, never from the stored notification as a whole (unknown
/// extras never appear); customs intelligence (risk score, targeting reason, officer notes, customs' free text) is in
/// the history for customs and operators only (<see cref="VisibleToAttribute"/>), so the terminal never gets it. The
/// status events flow adds the port-side <c>timeline</c> (events in the order they happened) and its open <c>anomalies</c>.
/// </summary>
[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
public sealed record ContainerView
{
    public required string ContainerNumber { get; init; }

    /// <summary>Null when no customs notification was ever received for the container.</summary>
    public required CustomsStatusView? CustomsStatus { get; init; }

    /// <summary>Every customs notification received, ordered by issue time.</summary>
    public required IReadOnlyList<CustomsHistoryEntryView> History { get; init; }

    /// <summary>The container's status events in the order they happened (time, then event id); empty when none.</summary>
    public IReadOnlyList<TimelineEventView> Timeline { get; init; } = [];

    /// <summary>What is wrong in that history (impossible moves, late or repeated events, customs alarms, dwell).</summary>
    public IReadOnlyList<AnomalyView> Anomalies { get; init; } = [];

    /// <summary>
    /// Accepted events not yet delivered to customs, in queue order, with attempts and the last error: while customs is
    /// down, everything that waits, not only the event at the head.
    /// </summary>
    public IReadOnlyList<WaitingEventView> WaitingForCustoms { get; init; } = [];
}

/// <summary>One status event as the terminal sent it, with how it arrived and whether customs has it.</summary>
[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
public sealed record TimelineEventView(
    string EventId,
    string Type,
    string OccurredAt,
    string? Location,
    string? Voyage,
    string? VesselImo,
    string? SizeType,
    bool OutOfOrder,
    bool DeliveredToCustoms,
    int DuplicateArrivals)
{
    public static TimelineEventView From(TimelineEntryView entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var e = entry.Event;
        return new(
            e.EventId,
            e.Type.ToWireName(),
            e.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            e.Location,
            e.Voyage,
            e.VesselImo.IsEmpty ? null : e.VesselImo.ToString(),
            e.SizeType.IsEmpty ? null : e.SizeType.ToString(),
            entry.OutOfOrder,
            entry.DeliveredToCustoms,
            entry.DuplicateArrivals);
    }
}

/// <summary>One anomaly: its kind (<c>GATED_OUT_WITHOUT_RELEASE</c>...), <c>ALARM</c> or <c>WARNING</c>, and the event that revealed it.</summary>
[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
public sealed record WaitingEventView(string EventId, string Type, string OccurredAt, string AcceptedAt, int Attempts, string? LastError, string? LastAttemptAt, bool RefusedByCustoms, bool DeadLettered)
{
    public static WaitingEventView From(PendingDelivery pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return new WaitingEventView(
            pending.EventId,
            pending.Type.ToWireName(),
            pending.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            Problems.FormatInstant(pending.AcceptedAt),
            pending.Attempts,
            pending.LastError,
            pending.LastAttemptAt is { } at ? Problems.FormatInstant(at) : null,
            pending.Refused,
            pending.DeadLettered);
    }
}

[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
public sealed record AnomalyView(string Kind, string Severity, string EventId, string OccurredAt, string Detail)
{
    public static AnomalyView From(ContainerAnomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new(
            ContainerAnomaly.ToWireName(anomaly.Kind),
            anomaly.Severity == AnomalySeverity.Alarm ? "ALARM" : "WARNING",
            anomaly.EventId,
            anomaly.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            anomaly.Detail);
    }
}

/// <summary>The current customs status and what the gate would answer from it.</summary>
[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
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
            Problems.FormatInstant(state.Current.IssuedAt),
            Problems.FormatInstant(state.UpdatedAt));
    }
}

/// <summary>
/// One notification received. <c>applied</c> false: it arrived after a newer one and changed nothing. Customs'
/// intelligence and free text are for customs and operators; <c>AdditionalData</c> (unknown extras) is kept for the
/// audit and shown to nobody.
/// </summary>
[VisibleTo(CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator)]
public sealed record CustomsHistoryEntryView(
    string NotificationId,
    string Status,
    string? CustomsReference,
    string IssuedAt,
    string ReceivedAt,
    bool Applied)
{
    /// <summary>Customs' own free text (the gate answers with its own wording).</summary>
    [VisibleTo(CallerRole.Customs, CallerRole.Operator)]
    public string? Reason { get; init; }

    [VisibleTo(CallerRole.Customs, CallerRole.Operator)]
    public double? RiskScore { get; init; }

    [VisibleTo(CallerRole.Customs, CallerRole.Operator)]
    public string? TargetingReason { get; init; }

    [VisibleTo(CallerRole.Customs, CallerRole.Operator)]
    public string? OfficerNotes { get; init; }

    public static CustomsHistoryEntryView From(StoredCustomsNotification stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var n = stored.Notification;
        return new(
            n.NotificationId,
            n.Status.ToName(),
            n.CustomsReference,
            Problems.FormatInstant(n.IssuedAt),
            Problems.FormatInstant(n.ReceivedAt),
            stored.Outcome == NotificationOutcome.Applied)
        {
            Reason = n.Reason,
            RiskScore = n.RiskScore,
            TargetingReason = n.TargetingReason,
            OfficerNotes = n.OfficerNotes,
        };
    }
}
