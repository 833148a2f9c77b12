using System.Buffers;
using System.Text.Json;

namespace PortCustoms.Core.Events;

/// <summary>
/// What a session (one container) remembers between messages, kept in the queue's session state: the last event
/// delivered to customs and how many were. It lets a redelivered message that was already delivered (the complete was
/// lost) be settled without touching the store, and it moves with the session lock, so it is never read stale.
/// The timeline itself is in the <see cref="ContainerTimelineStore"/>, which is the source of truth.
/// </summary>
public readonly record struct SessionCheckpoint(string? LastDeliveredEventId, long DeliveredCount, DateTimeOffset? LastDeliveredAt)
{
    private const int CurrentVersion = 1;

    public SessionCheckpoint After(ContainerStatusEvent delivered, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        return new SessionCheckpoint(delivered.EventId, DeliveredCount + 1, now);
    }

    public byte[] ToUtf8Bytes()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v"u8, CurrentVersion);
            if (LastDeliveredEventId is not null)
            {
                writer.WriteString("lastDeliveredEventId"u8, LastDeliveredEventId);
            }
            writer.WriteNumber("deliveredCount"u8, DeliveredCount);
            if (LastDeliveredAt is { } at)
            {
                writer.WriteString("lastDeliveredAt"u8, at);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a checkpoint; no state, or state this version cannot read, is an empty checkpoint (the store still has the truth).</summary>
    public static SessionCheckpoint Read(ReadOnlyMemory<byte>? state)
    {
        if (state is not { Length: > 0 } bytes)
        {
            return default;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (!root.TryGetProperty("v", out var v) || v.GetInt32() != CurrentVersion)
            {
                return default;
            }
            return new SessionCheckpoint(
                root.TryGetProperty("lastDeliveredEventId", out var id) ? id.GetString() : null,
                root.TryGetProperty("deliveredCount", out var count) ? count.GetInt64() : 0,
                root.TryGetProperty("lastDeliveredAt", out var at) ? at.GetDateTimeOffset() : null);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
