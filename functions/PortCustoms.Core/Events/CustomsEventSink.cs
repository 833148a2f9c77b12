using System.Buffers;
using System.Text.Json;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

public enum CustomsDeliveryOutcome : byte
{
    None = 0,
    Delivered,

    /// <summary>Customs unreachable, overloaded or failing: try again later.</summary>
    TransientFailure,

    /// <summary>Customs refused this event and always will.</summary>
    PermanentFailure,
}

/// <summary>What delivering one event to customs did.</summary>
public readonly record struct CustomsDeliveryResult(CustomsDeliveryOutcome Outcome, string? Reason)
{
    public static CustomsDeliveryResult Delivered { get; } = new(CustomsDeliveryOutcome.Delivered, null);

    public static CustomsDeliveryResult TransientFailure(string reason) => new(CustomsDeliveryOutcome.TransientFailure, reason);

    public static CustomsDeliveryResult PermanentFailure(string reason) => new(CustomsDeliveryOutcome.PermanentFailure, reason);
}

/// <summary>An event as customs receives it: the event plus where it stands in the container's timeline.</summary>
public readonly record struct CustomsStatusNotice(ContainerStatusEvent Event, long Arrival, bool OutOfOrder);

/// <summary>
/// The port to the customs platform for status events. Implementations never throw for delivery failures (only for
/// cancellation): they classify them, because the caller's retry policy depends on the class.
/// Delivery is at least once; customs de-duplicates on the event id (sent as the idempotency key), so the effect is once.
/// </summary>
public abstract class CustomsEventSink
{
    public abstract Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default);

    /// <summary>The message type customs receives for <paramref name="statusEvent"/> (metrics and KPIs break deliveries down by it).</summary>
    public virtual string MessageTypeFor(ContainerStatusEvent statusEvent) => "STATUS-EVENT";
}

/// <summary>A delivery failure's category for metrics: bounded, from the failure's reason (never the reason itself, which may be long).</summary>
public static class DeliveryErrorCategory
{
    public static string Of(CustomsDeliveryResult result)
    {
        var reason = result.Reason ?? string.Empty;
        if (result.Outcome == CustomsDeliveryOutcome.PermanentFailure)
        {
            return "refused";
        }
        if (reason.StartsWith("HTTP 429", StringComparison.Ordinal))
        {
            return "throttled";
        }
        if (reason.StartsWith("HTTP 5", StringComparison.Ordinal))
        {
            return "server-error";
        }
        if (reason.StartsWith("HTTP", StringComparison.Ordinal))
        {
            return "http-error";
        }
        if (reason.Contains("timed out", StringComparison.OrdinalIgnoreCase) || reason.Contains("Timeout", StringComparison.Ordinal))
        {
            return "timeout";
        }
        if (reason.StartsWith("connection failed", StringComparison.Ordinal))
        {
            return "connection";
        }
        if (reason.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return "certificate";
        }
        return "other";
    }
}

/// <summary>
/// The translation to customs' status-event JSON: the contract's fields, with the size-type normalised to its
/// ISO 6346 (1995) code (the code as sent is kept when it differs), the time in UTC, and the timeline facts.
/// </summary>
public static class CustomsStatusEventWriter
{
    /// <param name="writer">Where the JSON goes.</param>
    /// <param name="notice">The event and its timeline facts.</param>
    /// <param name="sizeTypes">The deployment's size-type list (<c>CodeListService.Lists.SizeTypes</c>); the shipped one when null.</param>
    public static void Write(Utf8JsonWriter writer, CustomsStatusNotice notice, CodeLists.SizeTypeList? sizeTypes = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var e = notice.Event ?? throw new ArgumentException("The notice has no event.", nameof(notice));
        var sent = e.SizeType;
        var canonical = (sizeTypes ?? CodeLists.CodeListSet.Shipped.SizeTypes).Canonical(sent);

        writer.WriteStartObject();
        ContainerStatusEventWriter.WriteFields(writer, e, canonical);
        if (!sent.IsEmpty && sent != canonical)
        {
            writer.WriteString(ContainerStatusEventWriter.Names.SizeTypeAsSent, sent.ToString());
        }
        writer.WriteNumber(ContainerStatusEventWriter.Names.Arrival, notice.Arrival);
        writer.WriteBoolean(ContainerStatusEventWriter.Names.OutOfOrder, notice.OutOfOrder);
        writer.WriteEndObject();
    }

    public static byte[] ToUtf8Bytes(CustomsStatusNotice notice, CodeLists.SizeTypeList? sizeTypes = null)
    {
        var buffer = new ArrayBufferWriter<byte>(448);
        using (var writer = new Utf8JsonWriter(buffer, ContainerStatusEventWriter.WriterOptions))
        {
            Write(writer, notice, sizeTypes);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
