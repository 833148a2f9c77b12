using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Pending deliveries in Table Storage: partition the container, row the event id; the accepted time orders them. A
/// re-sent event (same id) keeps its first accepted time; a delivered one is deleted.
/// </summary>
public sealed class TablePendingDeliveryStore(TableServiceClient service, string tableName = TablePendingDeliveryStore.DefaultTableName) : PendingDeliveryStore
{
    public const string DefaultTableName = "PendingDeliveries";

    private readonly TableClient _table = service.GetTableClient(tableName);
    private TableCreation? _creation;

    private TableCreation Creation => _creation ??= new TableCreation(_table);

    public override async Task AcceptedAsync(IReadOnlyList<ContainerStatusEvent> events, DateTimeOffset acceptedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        for (var index = 0; index < events.Count; index++)
        {
            var e = events[index];
            var entity = new TableEntity(e.ContainerNumber.ToString(), TableKeys.Encode(e.EventId))
            {
                ["EventId"] = e.EventId,
                ["Type"] = e.Type.ToString(),
                ["OccurredAt"] = e.OccurredAt,
                ["AcceptedAt"] = acceptedAt,
                ["Attempts"] = 0,
                // Queue order: the request's time, then the event's place in it.
                ["Order"] = $"{acceptedAt.UtcTicks:D19}-{index:D6}",
            };
            try
            {
                await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Sent again while waiting: it keeps its place.
            }
        }
    }

    public override async Task DeliveredAsync(ContainerNumber containerNumber, string eventId, CancellationToken cancellationToken = default)
    {
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.DeleteEntityAsync(containerNumber.ToString(), TableKeys.Encode(eventId), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public override async Task AttemptFailedAsync(ContainerNumber containerNumber, string eventId, CustomsDeliveryResult result, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(containerNumber.ToString(), TableKeys.Encode(eventId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return;
        }
        var entity = response.Value!;
        entity["Attempts"] = (entity.GetInt32("Attempts") ?? 0) + 1;
        entity["LastError"] = result.Reason ?? result.Outcome.ToString();
        entity["LastAttemptAt"] = at;
        entity["Refused"] = result.Outcome == CustomsDeliveryOutcome.PermanentFailure;
        try
        {
            await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Delivered or updated meanwhile: the newer state stands.
        }
    }

    public override async Task DeadLetteredAsync(ContainerNumber containerNumber, string eventId, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(containerNumber.ToString(), TableKeys.Encode(eventId)) { ["DeadLettered"] = true, ["DeadLetterReason"] = reason, ["DeadLetteredAt"] = at };
        try
        {
            // Merge into the existing row only: an event delivered meanwhile (row gone) is not brought back.
            await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public override async Task ReplayedAsync(ContainerStatusEvent statusEvent, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        await AcceptedAsync([statusEvent], at, cancellationToken).ConfigureAwait(false);
        // Waiting again: no longer dead-lettered or refused; attempts and the last error stay for the operator.
        var entity = new TableEntity(statusEvent.ContainerNumber.ToString(), TableKeys.Encode(statusEvent.EventId))
        {
            ["DeadLettered"] = false,
            ["Refused"] = false,
            ["ReplayedAt"] = at,
        };
        try
        {
            await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public override async Task<IReadOnlyList<PendingDelivery>> ListAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var partition = containerNumber.ToString();
        List<(string Order, PendingDelivery Delivery)> pending = [];
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pending.Add((e.GetString("Order") ?? string.Empty, new PendingDelivery(
                e.GetString("EventId"),
                containerNumber,
                Enum.TryParse<ContainerEventType>(e.GetString("Type"), out var type) ? type : ContainerEventType.None,
                e.GetDateTimeOffset("OccurredAt") ?? default,
                e.GetDateTimeOffset("AcceptedAt") ?? default,
                e.GetInt32("Attempts") ?? 0,
                e.GetString("LastError"),
                e.GetDateTimeOffset("LastAttemptAt"),
                e.GetBoolean("Refused") ?? false,
                e.GetBoolean("DeadLettered") ?? false)));
        }
        return pending.OrderBy(p => p.Order, StringComparer.Ordinal).Select(p => p.Delivery).ToList();
    }

    public override async Task<PendingSummary> SummarizeAsync(CancellationToken cancellationToken = default)
    {
        await Creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        long waiting = 0, refused = 0, deadLettered = 0;
        DateTimeOffset? oldest = null;
        await foreach (var e in _table.QueryAsync<TableEntity>(select: ["AcceptedAt", "Refused", "DeadLettered"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            waiting++;
            var isRefused = e.GetBoolean("Refused") == true;
            refused += isRefused ? 1 : 0;
            // A refused event is dead-lettered at once (CustomsRejected); one marked before this flag existed counts too.
            deadLettered += isRefused || e.GetBoolean("DeadLettered") == true ? 1 : 0;
            if (e.GetDateTimeOffset("AcceptedAt") is { } at && (oldest is null || at < oldest))
            {
                oldest = at;
            }
        }
        return new PendingSummary(waiting, refused, oldest, deadLettered);
    }
}
