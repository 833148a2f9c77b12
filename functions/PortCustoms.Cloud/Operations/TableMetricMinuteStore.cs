using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Operations.Kpis;

namespace PortCustoms.Cloud.Operations;

/// <summary>
/// KPI minute rows in Table Storage: PartitionKey the UTC minute (<c>yyyyMMddHHmm</c>, so a window is one range query),
/// RowKey instrument, tags and instance. An instance replaces its own rows (upsert of the cumulative figure: a
/// retried write converges), never another instance's.
/// </summary>
public sealed class TableMetricMinuteStore
{
    public const string DefaultTableName = "OperationsMetrics";
    private const string MinuteFormat = "yyyyMMddHHmm";

    private readonly TableClient _table;
    private readonly TableCreation _creation;

    public TableMetricMinuteStore(TableServiceClient service, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(tableName);
        _creation = new TableCreation(_table);
    }

    public async Task WriteAsync(IReadOnlyCollection<MetricMinute> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // One transaction per partition (minute) and 100 rows: a minute's rows land together or are retried together.
        foreach (var minute in rows.GroupBy(r => r.Minute))
        {
            foreach (var chunk in minute.Chunk(100))
            {
                var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r)));
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every instance's rows for the minutes in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<MetricMinute>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var (low, high) = (Key(from), Key(to));
        List<MetricMinute> rows = [];
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo(low) >= 0 && e.PartitionKey.CompareTo(high) < 0, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(FromEntity(entity));
        }
        return rows;
    }

    /// <summary>Deletes the rows of minutes before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var high = Key(before);
        var deleted = 0;
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo(high) < 0, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another instance deleted it first.
            }
        }
        return deleted;
    }

    private static string Key(DateTimeOffset minute) => minute.ToUniversalTime().ToString(MinuteFormat, CultureInfo.InvariantCulture);

    internal static TableEntity ToEntity(MetricMinute row) => new(Key(row.Minute), TableKeys.Encode($"{row.Instrument}|{row.Tags}|{row.Instance}"))
    {
        ["Instrument"] = row.Instrument,
        ["Tags"] = row.Tags,
        ["Instance"] = row.Instance,
        ["Kind"] = row.Kind.ToString(),
        ["Count"] = row.Count,
        ["Sum"] = row.Sum,
        ["Min"] = row.Min,
        ["Max"] = row.Max,
        ["Last"] = row.Last,
        ["Buckets"] = row.Buckets is null ? null : string.Join(',', row.Buckets.Select(b => b.ToString(CultureInfo.InvariantCulture))),
    };

    internal static MetricMinute FromEntity(TableEntity entity) => new(
        DateTimeOffset.ParseExact(entity.PartitionKey, MinuteFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        entity.GetString("Instance") ?? string.Empty,
        entity.GetString("Instrument") ?? string.Empty,
        entity.GetString("Tags") ?? string.Empty,
        Enum.TryParse<MetricKind>(entity.GetString("Kind"), out var kind) ? kind : MetricKind.Sum,
        entity.GetInt64("Count") ?? 0,
        entity.GetDouble("Sum") ?? 0,
        entity.GetDouble("Min") ?? 0,
        entity.GetDouble("Max") ?? 0,
        entity.GetDouble("Last") ?? 0,
        entity.GetString("Buckets") is { Length: > 0 } buckets
            ? buckets.Split(',').Select(b => long.Parse(b, CultureInfo.InvariantCulture)).ToArray()
            : null);
}
