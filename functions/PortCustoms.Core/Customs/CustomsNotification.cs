using PortCustoms.Core.Model;

namespace PortCustoms.Core.Customs;

/// <summary>
/// A release, hold or inspection notification from the customs platform, as received. It may carry customs intelligence
/// (<see cref="RiskScore"/>, <see cref="TargetingReason"/>, <see cref="OfficerNotes"/>, <see cref="AdditionalData"/>):
/// it is stored with the notification and never projected to a terminal.
/// </summary>
public sealed record CustomsNotification
{
    public required string NotificationId { get; init; }

    public required ContainerNumber ContainerNumber { get; init; }

    /// <summary>Ids beginning so are derived from EDIFACT references (<c>EDI:{sender}:{interchange}:{message}</c>); a JSON sender may not choose one.</summary>
    public const string EdifactIdPrefix = "EDI:";

    public required CustomsStatus Status { get; init; }

    public string? CustomsReference { get; init; }

    /// <summary>When customs issued it: the order between notifications for one container.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>
    /// False when the sender's time had no zone (EDIFACT DTM 203/204) and <see cref="IssuedAt"/> was read as UTC: such a
    /// notification can hold but never release (ARCHITECTURE.md, safety rules).
    /// </summary>
    public bool IssuedAtZoned { get; init; } = true;

    /// <summary>When PortCustoms received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Customs' own free text. Kept for the audit; the gate answers with its own wording.</summary>
    public string? Reason { get; init; }

    /// <summary>Customs intelligence: never leaves PortCustoms towards a terminal.</summary>
    public double? RiskScore { get; init; }

    /// <summary>Customs intelligence: never leaves PortCustoms towards a terminal.</summary>
    public string? TargetingReason { get; init; }

    /// <summary>Customs intelligence: never leaves PortCustoms towards a terminal.</summary>
    public string? OfficerNotes { get; init; }

    /// <summary>Any other field customs sent, as a JSON object text, kept verbatim and never projected.</summary>
    public string? AdditionalData { get; init; }
}

/// <summary>What receiving a notification did.</summary>
public enum NotificationOutcome : byte
{
    /// <summary>Stored and made the container's current customs status.</summary>
    Applied = 1,

    /// <summary>Stored in the history only: older than the status already held.</summary>
    Stale = 2,

    /// <summary>The notification id was already stored with the same content: no second effect.</summary>
    Duplicate = 3,

    /// <summary>The notification id was already stored with other content: refused, nothing stored, the first one stands.</summary>
    Conflict = 4,
}

/// <summary>A notification as the store holds it: what was received, and whether it changed the status.</summary>
public sealed record StoredCustomsNotification(CustomsNotification Notification, NotificationOutcome Outcome);
