using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Dead-letter replays in the batch ledger's table (<c>BatchLedger</c>), beside the file replays: partition
/// <c>deadletter|{session}</c>, row the dead letter's message id, so one dead letter has one row whatever runs replay it.
/// Every write is conditional (insert if absent, replace if unchanged): two operators never both send.
/// </summary>
public sealed class TableDeadLetterReplayLedger(TableServiceClient service, string tableName = BatchLedger.DefaultTableName) : DeadLetterReplayLedger
{
    private const string PartitionPrefix = "deadletter|";
    private readonly TableClient _table = (service ?? throw new ArgumentNullException(nameof(service))).GetTableClient(tableName);
    private int _created;

    public override async Task<DeadLetterReplayRecord?> GetAsync(string sessionId, string messageId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(sessionId), TableKeys.Encode(messageId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToRecord(response.Value!) : null;
    }

    public override async Task<DeadLetterReplayRecord?> TryAddAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
            return record with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    public override async Task<DeadLetterReplayRecord?> TryUpdateAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(record), record.Version is { } version ? new ETag(version) : ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return record with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    public override async Task<IReadOnlyList<DeadLetterReplayRecord>> ListAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var filter = sessionId is null
            ? TableClient.CreateQueryFilter($"PartitionKey ge {PartitionPrefix} and PartitionKey lt {"deadletter}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition(sessionId)}");
        List<DeadLetterReplayRecord> records = [];
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(ToRecord(entity));
        }
        return records.OrderBy(r => r.RequestedAt).ToList();
    }

    private static string Partition(string sessionId) => PartitionPrefix + TableKeys.Encode(sessionId);

    private static TableEntity ToEntity(DeadLetterReplayRecord r) => new(Partition(r.SessionId), TableKeys.Encode(r.MessageId))
    {
        ["SessionId"] = r.SessionId,
        ["MessageId"] = r.MessageId,
        ["ReplayId"] = r.ReplayId,
        ["ReplayMessageId"] = r.ReplayMessageId,
        ["By"] = r.By,
        ["Reason"] = r.Reason,
        ["RequestedAt"] = r.RequestedAt,
        ["State"] = r.State.ToString(),
        ["DeadLetterReason"] = r.DeadLetterReason,
        ["Detail"] = r.Detail,
        ["SettledAt"] = r.SettledAt,
    };

    private static DeadLetterReplayRecord ToRecord(TableEntity e) => new(
        e.GetString("SessionId"),
        e.GetString("MessageId"),
        e.GetString("ReplayId"),
        e.GetString("ReplayMessageId"),
        e.GetString("By"),
        e.GetString("Reason"),
        e.GetDateTimeOffset("RequestedAt") ?? default,
        Enum.TryParse<DeadLetterReplayState>(e.GetString("State"), out var state) ? state : DeadLetterReplayState.None,
        e.GetString("DeadLetterReason"),
        e.GetString("Detail"),
        e.GetDateTimeOffset("SettledAt"))
    {
        Version = e.ETag.ToString(),
    };

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }
}
