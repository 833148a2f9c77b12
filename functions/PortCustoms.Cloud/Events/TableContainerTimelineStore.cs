using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Container timelines in Table Storage: one partition per container, one row per event (<c>e|{utc ticks}|{event id}</c>,
/// so a partition scan returns the timeline in order) and a head row (<c>h</c>) with the arrival counter and the
/// recorded anomalies. Every write is conditional: a new row is added only if absent (If-None-Match: *), an existing
/// row is replaced only if unchanged since loaded (If-Match: its ETag). A retried save therefore converges and a
/// racing writer (a consumer whose session lock expired) fails with <see cref="TimelineConcurrencyException"/>.
/// </summary>
public sealed class TableContainerTimelineStore : ContainerTimelineStore
{
    public const string DefaultTableName = "ContainerTimelines";
    private const string HeadRowKey = "h";

    private readonly TableClient _table;
    private Task? _creating;

    public TableContainerTimelineStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    public override async Task<ContainerTimeline> LoadAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var timeline = new ContainerTimeline(containerNumber);
        var partition = containerNumber.ToString();
        List<ContainerAnomaly> recorded = [];
        long arrivalCount = 0;
        string? headVersion = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (row.RowKey == HeadRowKey)
            {
                headVersion = row.ETag.ToString();
                arrivalCount = row.GetInt64("ArrivalCount") ?? 0;
                recorded = ContainerAnomalyJson.Deserialize(Encoding.UTF8.GetBytes(row.GetString("Anomalies") ?? "[]"));
                continue;
            }
            var body = Encoding.UTF8.GetBytes(row.GetString("Event") ?? string.Empty);
            if (!ContainerStatusEventReader.TryReadSingle(body, out var statusEvent, out _, out _))
            {
                throw new InvalidDataException($"Stored event row {row.RowKey} of {partition} does not read back.");
            }
            timeline.Restore(statusEvent!, row.GetInt64("Arrival") ?? 0, row.GetBoolean("OutOfOrder") ?? false,
                row.GetBoolean("Delivered") ?? false, row.GetInt32("DuplicateArrivals") ?? 0, row.ETag.ToString());
        }
        timeline.CompleteRestore(recorded, arrivalCount);
        timeline.StoreVersion = headVersion;
        return timeline;
    }

    public override async Task SaveAsync(ContainerTimeline timeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        await EnsureTableAsync(cancellationToken);
        var partition = timeline.ContainerNumber.ToString();

        // The head goes first and every save writes it: its conditional write is the gate that makes a stale writer
        // (a consumer whose session lock expired) fail before it changes anything. A crash after the head and before
        // the rows loses nothing: the message is redelivered and the missing event applied again.
        var head = new TableEntity(partition, HeadRowKey)
        {
            ["ArrivalCount"] = timeline.ArrivalCount,
            ["Anomalies"] = Encoding.UTF8.GetString(ContainerAnomalyJson.Serialize(timeline.RecordedAnomalies)),
            ["Presence"] = timeline.Presence.ToString(),
        };
        try
        {
            var response = timeline.StoreVersion is null
                ? await _table.AddEntityAsync(head, cancellationToken)
                : await _table.UpdateEntityAsync(head, new ETag(timeline.StoreVersion), TableUpdateMode.Replace, cancellationToken);
            timeline.StoreVersion = response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new TimelineConcurrencyException($"The timeline of {partition} changed since it was loaded.", ex);
        }

        foreach (var entry in timeline.DirtyEntries)
        {
            var row = ToRow(partition, entry);
            try
            {
                var response = entry.StoreVersion is null
                    ? await _table.AddEntityAsync(row, cancellationToken)
                    : await _table.UpdateEntityAsync(row, new ETag(entry.StoreVersion), TableUpdateMode.Replace, cancellationToken);
                entry.StoreVersion = response.Headers.ETag?.ToString();
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                throw new TimelineConcurrencyException($"Event {entry.Event.EventId} of {partition} was written by someone else since it was loaded.", ex);
            }
        }
        timeline.AcceptChanges();
    }

    public static string RowKeyOf(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        // '/', '\', '#', '?' and control characters are not allowed in keys: escape the id (it is kept as a property too).
        return string.Create(CultureInfo.InvariantCulture, $"e|{statusEvent.OccurredAt.UtcTicks:D19}|{Uri.EscapeDataString(statusEvent.EventId)}");
    }

    private static TableEntity ToRow(string partition, TimelineEntry entry) => new(partition, RowKeyOf(entry.Event))
    {
        ["EventId"] = entry.Event.EventId,
        ["Type"] = entry.Event.Type.ToWireName(),
        ["Event"] = Encoding.UTF8.GetString(ContainerStatusEventWriter.ToUtf8Bytes(entry.Event)),
        ["Arrival"] = entry.Arrival,
        ["OutOfOrder"] = entry.OutOfOrder,
        ["Delivered"] = entry.Delivered,
        ["DuplicateArrivals"] = entry.DuplicateArrivals,
    };

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var creating = _creating ??= _table.CreateIfNotExistsAsync(CancellationToken.None);
        try
        {
            await creating.WaitAsync(cancellationToken);
        }
        catch (RequestFailedException)
        {
            // Try again on the next call rather than remember a transient failure forever.
            _ = Interlocked.CompareExchange(ref _creating, null, creating);
            throw;
        }
    }
}
