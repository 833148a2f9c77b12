using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Batch;

namespace PortCustoms.Cloud.Batch;

/// <summary>Where a drop is in its outcome: each state is recorded before the step that follows it.</summary>
public enum BatchDropState : byte
{
    None = 0,

    /// <summary>Claimed; being read and applied (effects are idempotent, so a re-run repeats this safely).</summary>
    Analyzing,

    /// <summary>Outcome, hash, destination and reports recorded; the original may not have been moved yet.</summary>
    Decided,

    /// <summary>Copied, verified, original deleted.</summary>
    Done,
}

/// <summary>One drop as the ledger holds it: the blob version (ETag) it is about, and what was decided.</summary>
public sealed record BatchDropRecord
{
    public required string Broker { get; init; }

    public required string Name { get; init; }

    /// <summary>The inbound blob's ETag (one version of the file).</summary>
    public required string SourceETag { get; init; }

    public BatchDropState State { get; init; }

    public string? ContentHash { get; init; }

    public long Bytes { get; init; }

    public BatchDisposition Disposition { get; init; }

    /// <summary><c>{container}/{path}</c> the original goes to.</summary>
    public string? Destination { get; init; }

    public string? DuplicateOf { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Vessel calls whose discharge lists the file stored (keys, ';'-separated), to tell reconciliation again after a crash.</summary>
    public string? VesselCalls { get; init; }

    /// <summary>The drop id other records point at: <c>{broker}/{name}@{etag}</c>.</summary>
    public string DropId => $"{Broker}/{Name}@{SourceETag}";

    internal ETag RowETag { get; init; }
}

/// <summary>
/// The batch ledger in Table Storage (table <c>BatchLedger</c>): per drop its state and outcome, per content hash
/// the first drop that brought it (duplicates under any name, claimed with conditional operations so two instances
/// never both claim it), per sender the interchange references used (UNB 0020), per sender and message type the
/// message references (UNH 0062), each drop's in rows of its own, and per drop id its outcome (or that it is applying).
/// </summary>
public class BatchLedger
{
    public const string DefaultTableName = "BatchLedger";

    private const string ContentPartition = "content";
    private readonly TableClient _table;
    private int _created;

    public BatchLedger(TableServiceClient service, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(tableName);
    }

    /// <summary>For mocking.</summary>
    protected BatchLedger() => _table = null!;

    public virtual async Task<BatchDropRecord?> GetDropAsync(string broker, string name, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(DropPartition(broker), TableKeys.Encode(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToDrop(response.Value!) : null;
    }

    /// <summary>Writes the drop's record (insert or replace; the caller works on one drop at a time).</summary>
    public virtual async Task SaveDropAsync(BatchDropRecord drop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drop);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(DropPartition(drop.Broker), TableKeys.Encode(drop.Name))
        {
            ["Broker"] = drop.Broker,
            ["Name"] = drop.Name,
            ["SourceETag"] = drop.SourceETag,
            ["State"] = drop.State.ToString(),
            ["ContentHash"] = drop.ContentHash,
            ["Bytes"] = drop.Bytes,
            ["Disposition"] = drop.Disposition.ToString(),
            ["Destination"] = drop.Destination,
            ["DuplicateOf"] = drop.DuplicateOf,
            ["DecidedAt"] = drop.DecidedAt,
            ["VesselCalls"] = drop.VesselCalls,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest files quarantined since <paramref name="since"/>, newest first, at most <paramref name="limit"/>: the
    /// operations page's list. A scan with a filter: the ledger is small next to the files it describes.
    /// </summary>
    public virtual Task<IReadOnlyList<BatchDropRecord>> ListQuarantinedAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        ListQuarantinedAsync(since, limit, null, cancellationToken);

    /// <summary>As above, of one broker when <paramref name="broker"/> is given (filtered before the limit applies).</summary>
    public virtual async Task<IReadOnlyList<BatchDropRecord>> ListQuarantinedAsync(DateTimeOffset since, int limit, string? broker, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var quarantined = BatchDisposition.Quarantined.ToString();
        var filter = broker is null
            ? TableClient.CreateQueryFilter($"Disposition eq {quarantined} and DecidedAt ge {since}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {DropPartition(broker)} and Disposition eq {quarantined} and DecidedAt ge {since}");
        List<BatchDropRecord> drops = [];
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            drops.Add(ToDrop(entity));
        }
        return drops.OrderByDescending(d => d.DecidedAt).Take(limit).ToList();
    }

    /// <summary>
    /// Claims <paramref name="contentHash"/> for <paramref name="dropId"/> (insert if absent). Returns null when the
    /// content is this drop's (first time, or a re-run), else the first drop's id and destination. The processor passes
    /// a key scoped to the broker (<c>{broker}|{sha256}</c>), so a duplicate is only ever of the broker's own file.
    /// </summary>
    /// <remarks>
    /// A replay (<paramref name="replayOf"/>: the quarantined drop it re-drives) takes the content over from that drop,
    /// conditionally on the row being unchanged; content another drop owns stays a duplicate, replayed or not.
    /// </remarks>
    public virtual async Task<(string DropId, string? Destination)?> ClaimContentAsync(string contentHash, string dropId, string? replayOf = null, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.AddEntityAsync(new TableEntity(ContentPartition, contentHash) { ["DropId"] = dropId }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(ContentPartition, contentHash, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var owner = existing.GetString("DropId");
            if (owner != dropId && replayOf is not null && owner == replayOf)
            {
                var takeOver = new TableEntity(ContentPartition, contentHash) { ["DropId"] = dropId, ["ReplayOf"] = replayOf };
                try
                {
                    await _table.UpdateEntityAsync(takeOver, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (RequestFailedException conflict) when (conflict.Status == 412)
                {
                    return await ClaimContentAsync(contentHash, dropId, null, cancellationToken).ConfigureAwait(false);
                }
            }
            return owner == dropId ? null : (owner, existing.GetString("Destination"));
        }
    }

    /// <summary>Records that <paramref name="replay"/> was asked for: who, when, why, and which quarantined drop.</summary>
    public virtual async Task RecordReplayAsync(BatchReplayRecord replay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replay);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(ToEntity(replay), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replay's outcome, once the replayed file is decided.</summary>
    public virtual async Task CompleteReplayAsync(string broker, string name, string replayId, BatchDisposition outcome, string? destination, DateTimeOffset decidedAt, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(ReplayPartition(broker), ReplayRowKey(name, replayId))
        {
            ["Outcome"] = outcome.ToString(),
            ["Destination"] = destination,
            ["DecidedAt"] = decidedAt,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the ledger holds replay <paramref name="replayId"/> of <paramref name="broker"/>/<paramref name="name"/>.</summary>
    public virtual async Task<bool> HasReplayAsync(string broker, string name, string replayId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replayId);
        if (replayId.Length != 32 || !replayId.All(char.IsAsciiHexDigit))
        {
            // Replay ids are Guid "N" strings; anything else in the metadata was not written by a replay.
            return false;
        }
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(ReplayPartition(broker), ReplayRowKey(name, replayId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue;
    }

    /// <summary>Every replay of <paramref name="broker"/>'s files, or of one file, oldest first.</summary>
    public virtual async Task<IReadOnlyList<BatchReplayRecord>> ListReplaysAsync(string broker, string? name = null, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var partition = ReplayPartition(broker);
        List<BatchReplayRecord> replays = [];
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var replay = ToReplay(entity);
            if (name is null || replay.Name == name)
            {
                replays.Add(replay);
            }
        }
        return replays.OrderBy(r => r.RequestedAt).ToList();
    }

    private static string ReplayPartition(string broker) => "replay|" + TableKeys.Encode(broker);

    private static string ReplayRowKey(string name, string replayId) => TableKeys.Encode(name) + "|" + replayId;

    private static TableEntity ToEntity(BatchReplayRecord replay) => new(ReplayPartition(replay.Broker), ReplayRowKey(replay.Name, replay.ReplayId))
    {
        ["Broker"] = replay.Broker,
        ["Name"] = replay.Name,
        ["ReplayId"] = replay.ReplayId,
        ["Of"] = replay.Of,
        ["OfDropId"] = replay.OfDropId,
        ["By"] = replay.By,
        ["Reason"] = replay.Reason,
        ["RequestedAt"] = replay.RequestedAt,
        ["Outcome"] = replay.Outcome,
        ["Destination"] = replay.Destination,
        ["DecidedAt"] = replay.DecidedAt,
    };

    private static BatchReplayRecord ToReplay(TableEntity e) => new(
        e.GetString("Broker"),
        e.GetString("Name"),
        e.GetString("ReplayId"),
        e.GetString("Of"),
        e.GetString("OfDropId"),
        e.GetString("By"),
        e.GetString("Reason"),
        e.GetDateTimeOffset("RequestedAt") ?? default,
        e.GetString("Outcome") ?? "Pending",
        e.GetString("Destination"),
        e.GetDateTimeOffset("DecidedAt"));

    /// <summary>Notes where the content's first drop went, for the reports of later duplicates.</summary>
    public virtual async Task SetContentDestinationAsync(string contentHash, string dropId, string destination, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(ContentPartition, contentHash) { ["DropId"] = dropId, ["Destination"] = destination };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The drop that used this interchange reference of this sender since <paramref name="since"/>, if another did: one
    /// that is applying or was decided processed (<see cref="IsAppliedAsync"/>).
    /// </summary>
    public virtual async Task<string?> FindInterchangeAsync(string sender, string controlReference, string dropId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var partition = InterchangePartition(sender);
        var prefix = ReferenceKey(controlReference) + "|";
        var legacy = LegacyRowKey(controlReference);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and ((RowKey ge {prefix} and RowKey lt {ReferenceKey(controlReference) + "}"}) or RowKey eq {legacy})");
        List<(string Owner, DateTimeOffset At)> owners = [];
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "DropId", "ReceivedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if ((entity.RowKey.StartsWith(prefix, StringComparison.Ordinal) || entity.RowKey == legacy) && entity.GetString("DropId") is { } owner && owner != dropId
                && entity.GetDateTimeOffset("ReceivedAt") is { } at && at >= since)
            {
                owners.Add((owner, at));
            }
        }
        foreach (var (owner, _) in owners.OrderBy(o => o.At))
        {
            if (await IsAppliedAsync(owner, cancellationToken).ConfigureAwait(false))
            {
                return owner;
            }
        }
        return null;
    }

    /// <summary>
    /// Records that <paramref name="dropId"/> uses this interchange reference (UNB 0020) of its sender: a row of its own
    /// (<c>{reference}|{drop}</c>), never another drop's overwritten; it counts once the drop is applying.
    /// </summary>
    public virtual async Task RecordInterchangeAsync(string sender, string controlReference, string dropId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(InterchangePartition(sender), OwnRowKey(controlReference, dropId)) { ["DropId"] = dropId, ["ReceivedAt"] = receivedAt };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every recorded user of these message references (UNH 0062 per sender key and message type): per reference the
    /// drops that recorded it and when. Each drop has its own row (<c>{reference}|{drop}</c>), so a reference is a
    /// row-key range, plus the one row a ledger written before kept per reference: up to 4 references a query (the
    /// table service allows 15 comparisons in a filter), a few queries at a time.
    /// </summary>
    public virtual async Task<IReadOnlyDictionary<BatchMessageReference, IReadOnlyList<(string DropId, DateTimeOffset ReceivedAt)>>> FindMessageReferencesAsync(
        IReadOnlyCollection<BatchMessageReference> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var queries = references.Distinct()
            .GroupBy(r => (r.Sender, r.MessageType))
            .SelectMany(partition => partition.Chunk(4).Select(chunk => (Partition: MessageReferencePartition(partition.Key.Sender, partition.Key.MessageType), Chunk: chunk)))
            .ToList();
        var found = new System.Collections.Concurrent.ConcurrentDictionary<BatchMessageReference, List<(string, DateTimeOffset)>>();
        await Parallel.ForEachAsync(queries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (query, ct) =>
        {
            var byKey = query.Chunk.ToDictionary(r => ReferenceKey(r.Reference), StringComparer.Ordinal);
            var legacy = query.Chunk.ToDictionary(r => LegacyRowKey(r.Reference), StringComparer.Ordinal);
            var ranges = string.Join(" or ", query.Chunk.Select(r => (Key: ReferenceKey(r.Reference), Legacy: LegacyRowKey(r.Reference)))
                .Select(k => "(" + TableClient.CreateQueryFilter($"RowKey ge {k.Key + "|"} and RowKey lt {k.Key + "}"}") + ") or " + TableClient.CreateQueryFilter($"RowKey eq {k.Legacy}")));
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.Partition}") + " and (" + ranges + ")";
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "DropId", "ReceivedAt"], cancellationToken: ct).ConfigureAwait(false))
            {
                var bar = entity.RowKey.IndexOf('|', StringComparison.Ordinal);
                if ((legacy.TryGetValue(entity.RowKey, out var reference) || (bar > 0 && byKey.TryGetValue(entity.RowKey[..bar], out reference)))
                    && entity.GetString("DropId") is { } owner && entity.GetDateTimeOffset("ReceivedAt") is { } at)
                {
                    var owners = found.GetOrAdd(reference, _ => []);
                    lock (owners)
                    {
                        owners.Add((owner, at));
                    }
                }
            }
        }).ConfigureAwait(false);
        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<(string, DateTimeOffset)>)p.Value);
    }

    /// <summary>
    /// Records message references as <paramref name="dropId"/>'s, one row of its own per reference (never another
    /// drop's overwritten), in table transactions of at most 100 per partition (upserts, so a re-run of the same drop
    /// writes the same rows again).
    /// </summary>
    public virtual async Task RecordMessageReferencesAsync(IReadOnlyCollection<BatchMessageReference> references, string dropId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var batches = references.Distinct()
            .GroupBy(r => MessageReferencePartition(r.Sender, r.MessageType))
            .SelectMany(partition => partition.Chunk(100).Select(chunk => chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition.Key, OwnRowKey(r.Reference, dropId)) { ["DropId"] = dropId, ["ReceivedAt"] = receivedAt })).ToList()))
            .ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, ct) =>
            await _table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a drop's outcome under its drop id (which, unlike the drop record, a later file of the same name never
    /// replaces): message references count as used only when their drop was decided processed.
    /// </summary>
    public virtual async Task RecordOutcomeAsync(string dropId, BatchDisposition disposition, DateTimeOffset decidedAt, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(OutcomePartition, TableKeys.Encode(dropId)) { ["Disposition"] = disposition.ToString(), ["DecidedAt"] = decidedAt };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the drop as applying, before anything of it is applied: from here its references count as used (a crash
    /// while applying must not let another file with the same references through), until its outcome replaces this.
    /// </summary>
    public virtual async Task RecordApplyingAsync(string dropId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(OutcomePartition, TableKeys.Encode(dropId)) { ["Disposition"] = Applying, ["DecidedAt"] = at };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The drop's recorded outcome; null while it is undecided (or was never recorded).</summary>
    public virtual async Task<BatchDisposition?> GetOutcomeAsync(string dropId, CancellationToken cancellationToken = default)
    {
        var disposition = await GetDispositionAsync(dropId, cancellationToken).ConfigureAwait(false);
        return Enum.TryParse<BatchDisposition>(disposition, out var parsed) ? parsed : null;
    }

    /// <summary>Whether the drop's references count as used: it is applying (or crashed while applying) or was decided processed.</summary>
    public virtual async Task<bool> IsAppliedAsync(string dropId, CancellationToken cancellationToken = default) =>
        await GetDispositionAsync(dropId, cancellationToken).ConfigureAwait(false) is Applying or nameof(BatchDisposition.Processed);

    private async Task<string?> GetDispositionAsync(string dropId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(OutcomePartition, TableKeys.Encode(dropId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString("Disposition") : null;
    }

    private const string Applying = "Applying";

    // A reference as the first part of a row key: '|' ends it (escaped inside it, after TableKeys escaped '%').
    private static string ReferenceKey(string reference) => TableKeys.Encode(reference).Replace("|", "%7C", StringComparison.Ordinal);

    // The row key ledgers written before one row per drop used (the reference alone, one row per reference): still
    // read, so an upgrade does not forget the references of the window (never written any more).
    private static string LegacyRowKey(string reference) => TableKeys.Encode(reference);

    // One row per reference and drop; the drop id is hashed (a blob name alone may be 1 KiB, the limit of a row key).
    private static string OwnRowKey(string reference, string dropId) =>
        ReferenceKey(reference) + "|" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dropId)), 0, 16);

    private const string OutcomePartition = "outcome";

    private static string MessageReferencePartition(string sender, string messageType) => "unh|" + TableKeys.Encode(sender) + "|" + TableKeys.Encode(messageType);

    private static string DropPartition(string broker) => "drop|" + TableKeys.Encode(broker);

    private static string InterchangePartition(string sender) => "unb|" + TableKeys.Encode(sender);

    private static BatchDropRecord ToDrop(TableEntity e) => new()
    {
        Broker = e.GetString("Broker"),
        Name = e.GetString("Name"),
        SourceETag = e.GetString("SourceETag"),
        State = Enum.TryParse<BatchDropState>(e.GetString("State"), out var state) ? state : BatchDropState.None,
        ContentHash = e.GetString("ContentHash"),
        Bytes = e.GetInt64("Bytes") ?? 0,
        Disposition = Enum.TryParse<BatchDisposition>(e.GetString("Disposition"), out var disposition) ? disposition : BatchDisposition.None,
        Destination = e.GetString("Destination"),
        DuplicateOf = e.GetString("DuplicateOf"),
        DecidedAt = e.GetDateTimeOffset("DecidedAt"),
        VesselCalls = e.GetString("VesselCalls"),
        RowETag = e.ETag,
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
