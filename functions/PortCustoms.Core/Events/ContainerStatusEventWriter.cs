using System.Buffers;
using System.Text.Json;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>Writes events in the contract's JSON shape (the queue message body) with <see cref="Utf8JsonWriter"/>.</summary>
public static class ContainerStatusEventWriter
{
    /// <summary>
    /// For writers of this app's own fixed shapes: structural validation off (the shape is fixed by code and covered by
    /// round-trip tests), default escaping kept.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { SkipValidation = true };

    public static byte[] ToUtf8Bytes(ContainerStatusEvent statusEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, statusEvent);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(statusEvent);
        writer.WriteStartObject();
        WriteFields(writer, statusEvent, statusEvent.SizeType);
        writer.WriteEndObject();
    }

    /// <summary>Property names encoded once: the writer then skips the per-call escaping check.</summary>
    internal static class Names
    {
        public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
        public static readonly JsonEncodedText ContainerNumber = JsonEncodedText.Encode("containerNumber");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");
        public static readonly JsonEncodedText VesselImo = JsonEncodedText.Encode("vesselImo");
        public static readonly JsonEncodedText Voyage = JsonEncodedText.Encode("voyage");
        public static readonly JsonEncodedText Location = JsonEncodedText.Encode("location");
        public static readonly JsonEncodedText SealNumbers = JsonEncodedText.Encode("sealNumbers");
        public static readonly JsonEncodedText GrossMassKg = JsonEncodedText.Encode("grossMassKg");
        public static readonly JsonEncodedText SizeType = JsonEncodedText.Encode("sizeType");
        public static readonly JsonEncodedText SizeTypeAsSent = JsonEncodedText.Encode("sizeTypeAsSent");
        public static readonly JsonEncodedText Arrival = JsonEncodedText.Encode("arrival");
        public static readonly JsonEncodedText OutOfOrder = JsonEncodedText.Encode("outOfOrder");
    }

    internal static void WriteFields(Utf8JsonWriter writer, ContainerStatusEvent e, SizeTypeCode sizeType)
    {
        writer.WriteString(Names.EventId, e.EventId);
        Span<byte> container = stackalloc byte[ContainerNumber.Length];
        e.ContainerNumber.TryFormat(container, out var written, default, null);
        writer.WriteString(Names.ContainerNumber, container[..written]);
        writer.WriteString(Names.Type, e.Type.ToUtf8WireName());
        writer.WriteString(Names.OccurredAt, e.OccurredAt);
        if (!e.VesselImo.IsEmpty)
        {
            writer.WriteString(Names.VesselImo, e.VesselImo.ToString());
        }
        if (e.Voyage is not null)
        {
            writer.WriteString(Names.Voyage, e.Voyage);
        }
        if (e.Location is not null)
        {
            writer.WriteString(Names.Location, e.Location);
        }
        if (e.SealNumbers.Count > 0)
        {
            writer.WriteStartArray(Names.SealNumbers);
            foreach (var seal in e.SealNumbers)
            {
                writer.WriteStringValue(seal);
            }
            writer.WriteEndArray();
        }
        if (e.GrossMassKg is { } kg)
        {
            writer.WriteNumber(Names.GrossMassKg, kg);
        }
        if (!sizeType.IsEmpty)
        {
            writer.WriteString(Names.SizeType, sizeType.ToString());
        }
    }
}
