using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>
/// One container status event in canonical form: every field already validated (see <see cref="ContainerStatusEventReader"/>).
/// Identity is <see cref="EventId"/>, the TOS's id; it is the queue's MessageId and customs' idempotency key.
/// </summary>
public sealed class ContainerStatusEvent
{
    public const int MaxEventIdLength = 128;

    public ContainerStatusEvent(string eventId, ContainerNumber containerNumber, ContainerEventType type, DateTimeOffset occurredAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        if (containerNumber.IsEmpty)
        {
            throw new ArgumentException("A container number is required.", nameof(containerNumber));
        }
        if (type == ContainerEventType.None)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "A known event type is required.");
        }
        EventId = eventId;
        ContainerNumber = containerNumber;
        Type = type;
        OccurredAt = occurredAt;
    }

    public string EventId { get; }

    public ContainerNumber ContainerNumber { get; }

    public ContainerEventType Type { get; }

    /// <summary>When it happened, with the offset the TOS sent (ordering uses the instant).</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary><c>default</c> when not given.</summary>
    public ImoNumber VesselImo { get; init; }

    public string? Voyage { get; init; }

    public string? Location { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public decimal? GrossMassKg { get; init; }

    /// <summary>As sent; <c>default</c> when not given. Customs gets the code list's canonical code.</summary>
    public SizeTypeCode SizeType { get; init; }

    /// <summary>The timeline's order: the instant, then the event id (ordinal) to break ties deterministically.</summary>
    public EventKey Key => new(OccurredAt.UtcTicks, EventId);
}

/// <summary>The sort key of a timeline entry.</summary>
public readonly record struct EventKey(long UtcTicks, string EventId) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var byTime = UtcTicks.CompareTo(other.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(EventId, other.EventId);
    }

    public static bool operator <(EventKey left, EventKey right) => left.CompareTo(right) < 0;

    public static bool operator >(EventKey left, EventKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventKey left, EventKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventKey left, EventKey right) => left.CompareTo(right) >= 0;
}
