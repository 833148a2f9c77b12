using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>
/// Durable container timelines. <see cref="SaveAsync"/> writes what changed and must be idempotent: a retried save
/// after a crash converges to the same state (conditional writes), and a save racing another writer fails with
/// <see cref="TimelineConcurrencyException"/> instead of overwriting (the message is then retried on fresh state).
/// </summary>
public abstract class ContainerTimelineStore
{
    /// <summary>The stored timeline, or an empty one when the container has no history.</summary>
    public abstract Task<ContainerTimeline> LoadAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    public abstract Task SaveAsync(ContainerTimeline timeline, CancellationToken cancellationToken = default);
}

/// <summary>Another writer changed the timeline since it was loaded.</summary>
public sealed class TimelineConcurrencyException : Exception
{
    public TimelineConcurrencyException()
    {
    }

    public TimelineConcurrencyException(string message)
        : base(message)
    {
    }

    public TimelineConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The JSON of recorded anomalies as stores keep them.</summary>
public static class ContainerAnomalyJson
{
    public static byte[] Serialize(IReadOnlyList<ContainerAnomaly> anomalies)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var a in anomalies)
            {
                writer.WriteStartObject();
                writer.WriteString("kind"u8, ContainerAnomaly.ToWireName(a.Kind));
                writer.WriteString("severity"u8, a.Severity == AnomalySeverity.Alarm ? "ALARM" : "WARNING");
                writer.WriteString("eventId"u8, a.EventId);
                writer.WriteString("occurredAt"u8, a.OccurredAt);
                writer.WriteString("detail"u8, a.Detail);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static List<ContainerAnomaly> Deserialize(ReadOnlySpan<byte> utf8)
    {
        var list = new List<ContainerAnomaly>();
        if (utf8.IsEmpty)
        {
            return list;
        }
        using var document = JsonDocument.Parse(utf8.ToArray());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (!ContainerAnomaly.TryParseWireName(item.GetProperty("kind").GetString()!, out var kind))
            {
                continue;
            }
            list.Add(new ContainerAnomaly(
                kind,
                item.GetProperty("severity").GetString() == "ALARM" ? AnomalySeverity.Alarm : AnomalySeverity.Warning,
                item.GetProperty("eventId").GetString()!,
                item.GetProperty("occurredAt").GetDateTimeOffset(),
                item.GetProperty("detail").GetString()!));
        }
        return list;
    }
}

/// <summary>
/// Timelines in process memory, serialised as a real store would be (so a reload is a real round trip). For tests and
/// for LocalHost when no storage is configured; state does not survive the process.
/// </summary>
public sealed class InMemoryContainerTimelineStore : ContainerTimelineStore
{
    private sealed record StoredEntry(byte[] Event, long Arrival, bool OutOfOrder, bool Delivered, int DuplicateArrivals);

    private sealed class StoredTimeline
    {
        public long Version { get; set; }

        public long ArrivalCount { get; set; }

        public byte[] Anomalies { get; set; } = [];

        public Dictionary<string, StoredEntry> Entries { get; } = new(StringComparer.Ordinal);
    }

    private readonly ConcurrentDictionary<string, StoredTimeline> _timelines = new(StringComparer.Ordinal);

    public int SaveCount { get; private set; }

    public override Task<ContainerTimeline> LoadAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var timeline = new ContainerTimeline(containerNumber);
        if (!_timelines.TryGetValue(containerNumber.ToString(), out var stored))
        {
            return Task.FromResult(timeline);
        }
        lock (stored)
        {
            foreach (var entry in stored.Entries.Values)
            {
                if (!ContainerStatusEventReader.TryReadSingle(entry.Event, out var e, out _, out _))
                {
                    throw new InvalidDataException($"A stored event of {containerNumber} does not read back.");
                }
                timeline.Restore(e!, entry.Arrival, entry.OutOfOrder, entry.Delivered, entry.DuplicateArrivals, null);
            }
            timeline.CompleteRestore(ContainerAnomalyJson.Deserialize(stored.Anomalies), stored.ArrivalCount);
            timeline.StoreVersion = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Task.FromResult(timeline);
    }

    public override Task SaveAsync(ContainerTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var key = timeline.ContainerNumber.ToString();
        var stored = _timelines.GetOrAdd(key, static _ => new StoredTimeline());
        lock (stored)
        {
            var expected = timeline.StoreVersion is null ? 0 : long.Parse(timeline.StoreVersion, System.Globalization.CultureInfo.InvariantCulture);
            if (expected != stored.Version)
            {
                throw new TimelineConcurrencyException($"The timeline of {key} changed since it was loaded.");
            }
            foreach (var entry in timeline.DirtyEntries)
            {
                stored.Entries[entry.Event.EventId] = new StoredEntry(
                    ContainerStatusEventWriter.ToUtf8Bytes(entry.Event), entry.Arrival, entry.OutOfOrder, entry.Delivered, entry.DuplicateArrivals);
            }
            stored.Version++;
            stored.ArrivalCount = timeline.ArrivalCount;
            stored.Anomalies = ContainerAnomalyJson.Serialize(timeline.RecordedAnomalies);
            timeline.StoreVersion = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            SaveCount++;
        }
        timeline.AcceptChanges();
        return Task.CompletedTask;
    }
}
