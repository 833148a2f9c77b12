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

    internal static void WriteFields(Utf8JsonWriter writer, ContainerStatusEvent e, SizeTypeCode sizeType)
    {
        writer.WriteString("eventId"u8, e.EventId);
        Span<byte> container = stackalloc byte[ContainerNumber.Length];
        e.ContainerNumber.TryFormat(container, out var written, default, null);
        writer.WriteString("containerNumber"u8, container[..written]);
        writer.WriteString("type"u8, e.Type.ToUtf8WireName());
        writer.WriteString("occurredAt"u8, e.OccurredAt);
        if (!e.VesselImo.IsEmpty)
        {
            writer.WriteString("vesselImo"u8, e.VesselImo.ToString());
        }
        if (e.Voyage is not null)
        {
            writer.WriteString("voyage"u8, e.Voyage);
        }
        if (e.Location is not null)
        {
            writer.WriteString("location"u8, e.Location);
        }
        if (e.SealNumbers.Count > 0)
        {
            writer.WriteStartArray("sealNumbers"u8);
            foreach (var seal in e.SealNumbers)
            {
                writer.WriteStringValue(seal);
            }
            writer.WriteEndArray();
        }
        if (e.GrossMassKg is { } kg)
        {
            writer.WriteNumber("grossMassKg"u8, kg);
        }
        if (!sizeType.IsEmpty)
        {
            writer.WriteString("sizeType"u8, sizeType.ToString());
        }
    }
}
