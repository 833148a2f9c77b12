using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// LocalHost's durable session queue, on Azure Table Storage (Azurite), with the semantics the status-event handler
/// relies on from Service Bus sessions. Everything of one session lives in one partition (the container number), so each
/// step is one entity-group transaction:
/// <list type="bullet">
/// <item><c>seq</c>: the next sequence number to assign (written by senders only);</item>
/// <item><c>lock</c>: the session's lock (token, expiry), the head (next sequence to deliver) and the session state
/// (written by the lock holder only; every write is conditional on the ETag it last saw, so a holder whose lock expired
/// and was taken can change nothing);</item>
/// <item><c>m-{sequence}</c>: a message, with its delivery count (counted before the handler sees it, as Service Bus does:
/// a crash is a delivery);</item>
/// <item><c>id-{hash of the message id}</c>: duplicate detection (a send within the window is dropped);</item>
/// <item><c>dl-{sequence}</c>: a dead-lettered message with its reason.</item>
/// </list>
/// A send is committed (message, sequence and duplicate-detection row together) before it returns, so an event answered
/// with 202 survives the process. A lock expires after <see cref="LockDuration"/> unless renewed: after a crash the next
/// process takes the session over and redelivers the head with a higher delivery count.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue, named as the Service Bus entity it stands in for.")]
public sealed class TableSessionQueue
{
    private const string SequenceRow = "seq";
    private const string LockRow = "lock";
    private const string MessagePrefix = "m-";
    private const string DuplicatePrefix = "id-";
    private const string DeadLetterPrefix = "dl-";

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _created;

    /// <param name="table">Where the queue lives (created on first use).</param>
    /// <param name="lockDuration">How long a session stays locked without renewal.</param>
    /// <param name="maxDeliveryCount">Deliveries before an abandon dead-letters (Service Bus: the queue's maxDeliveryCount).</param>
    /// <param name="duplicateDetectionWindow">A send with a message id seen within it is dropped.</param>
    /// <param name="timeProvider">The clock of lock expiry and duplicate detection.</param>
    public TableSessionQueue(TableClient table, TimeSpan lockDuration, int maxDeliveryCount = 10, TimeSpan? duplicateDetectionWindow = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeliveryCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lockDuration, TimeSpan.Zero);
        _table = table;
        _time = timeProvider ?? TimeProvider.System;
        MaxDeliveryCount = maxDeliveryCount;
        DuplicateDetectionWindow = duplicateDetectionWindow ?? TimeSpan.FromMinutes(10);
        LockDuration = lockDuration;
    }

    public int MaxDeliveryCount { get; }

    public TimeSpan DuplicateDetectionWindow { get; }

    public TimeSpan LockDuration { get; }

    /// <summary>Completes when this process sent a message since the task was taken (the consumer's poll shortcut).</summary>
    public Task Sent => Volatile.Read(ref _sent).Task;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }

    /// <summary>
    /// Enqueues a message, committed before it returns; false when its id was sent within the duplicate detection window
    /// (dropped, as Service Bus does). Messages of one session are delivered in the order their sends completed.
    /// </summary>
    public Task<bool> SendAsync(string sessionId, string messageId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        SendAsync(sessionId, messageId, body, null, cancellationToken);

    /// <summary>As <see cref="SendAsync(string, string, ReadOnlyMemory{byte}, CancellationToken)"/>, with application properties (a replay names what it replays).</summary>
    public async Task<bool> SendAsync(string sessionId, string messageId, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? properties, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var duplicateKey = DuplicatePrefix + Hash(messageId);
        // Optimistic: the id is assumed new (one read and one transaction per send); only when the transaction conflicts
        // is the duplicate-detection row read, to tell a duplicate from a concurrent sender of the same session.
        TableEntity? previous = null;
        for (var attempt = 0; ; attempt++)
        {
            var now = _time.GetUtcNow();
            if (attempt > 0)
            {
                previous = await GetAsync(sessionId, duplicateKey, cancellationToken).ConfigureAwait(false);
                if (previous is not null && now - previous.GetDateTimeOffset("At").GetValueOrDefault() <= DuplicateDetectionWindow)
                {
                    return false;
                }
            }
            var sequence = await GetAsync(sessionId, SequenceRow, cancellationToken).ConfigureAwait(false);
            var next = sequence?.GetInt64("Next") ?? 0;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(sessionId, MessageKey(next))
                {
                    ["MessageId"] = messageId,
                    ["Body"] = body.ToArray(),
                    ["EnqueuedTime"] = now,
                    ["DeliveryCount"] = 0,
                    ["Properties"] = properties is { Count: > 0 } ? JsonSerializer.Serialize(properties) : null,
                }),
                previous is null
                    ? new(TableTransactionActionType.Add, new TableEntity(sessionId, duplicateKey) { ["At"] = now })
                    : new(TableTransactionActionType.UpdateReplace, new TableEntity(sessionId, duplicateKey) { ["At"] = now }, previous.ETag),
                sequence is null
                    ? new(TableTransactionActionType.Add, new TableEntity(sessionId, SequenceRow) { ["Next"] = next + 1 })
                    : new(TableTransactionActionType.UpdateReplace, new TableEntity(sessionId, SequenceRow) { ["Next"] = next + 1 }, sequence.ETag),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                var sent = Interlocked.Exchange(ref _sent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                sent.TrySetResult();
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < 100)
            {
                // This id was sent before, or another sender of this session committed first: look again.
            }
        }
    }

    /// <summary>Sessions with messages to deliver whose lock is free or expired (one table query over the session rows).</summary>
    public async Task<IReadOnlyList<string>> FindAvailableSessionsAsync(CancellationToken cancellationToken = default)
    {
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var sessions = new Dictionary<string, (long Next, long Head, DateTimeOffset LockedUntil)>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>($"RowKey eq '{SequenceRow}' or RowKey eq '{LockRow}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            sessions.TryGetValue(row.PartitionKey, out var session);
            sessions[row.PartitionKey] = row.RowKey == SequenceRow
                ? session with { Next = row.GetInt64("Next") ?? 0 }
                : session with { Head = row.GetInt64("Head") ?? 0, LockedUntil = row.GetDateTimeOffset("LockedUntil") ?? DateTimeOffset.MinValue };
        }
        return sessions.Where(s => s.Value.Next > s.Value.Head && s.Value.LockedUntil <= now).Select(s => s.Key).ToList();
    }

    /// <summary>Locks <paramref name="sessionId"/> for the caller when it is free or its lock expired; null when another holds it.</summary>
    public async Task<TableSessionLease?> TryAcceptSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var now = _time.GetUtcNow();
        var current = await GetAsync(sessionId, LockRow, cancellationToken).ConfigureAwait(false);
        if (current?.GetDateTimeOffset("LockedUntil") > now)
        {
            return null;
        }
        var token = Guid.NewGuid().ToString("N");
        var entity = new TableEntity(sessionId, LockRow)
        {
            ["LockToken"] = token,
            ["LockedUntil"] = now + LockDuration,
            ["Head"] = current?.GetInt64("Head") ?? 0L,
            ["State"] = current?.GetBinary("State"),
        };
        try
        {
            var response = current is null
                ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new TableSessionLease(this, sessionId, entity, response.Headers.ETag ?? throw new InvalidOperationException("No ETag on the lock row."));
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Messages waiting or in flight, over all sessions.</summary>
    public async Task<long> CountActiveMessagesAsync(CancellationToken cancellationToken = default)
    {
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        long count = 0;
        await foreach (var _ in _table.QueryAsync<TableEntity>($"RowKey ge '{MessagePrefix}' and RowKey lt 'm.'", select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }
        return count;
    }

    public async Task<IReadOnlyList<TableDeadLetter>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var letters = new List<TableDeadLetter>();
        await foreach (var row in _table.QueryAsync<TableEntity>($"RowKey ge '{DeadLetterPrefix}' and RowKey lt 'dl.'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(ToDeadLetter(row));
        }
        return letters;
    }

    /// <summary>The dead letters of one session, in the order they were dead-lettered.</summary>
    public async Task<IReadOnlyList<TableDeadLetter>> GetDeadLettersAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        await CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var letters = new List<TableDeadLetter>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey ge {DeadLetterPrefix} and RowKey lt {"dl."}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(ToDeadLetter(row));
        }
        return letters;
    }

    /// <summary>Removes a dead letter (after its replay was sent); false when it was already gone.</summary>
    public async Task<bool> RemoveDeadLetterAsync(string sessionId, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        try
        {
            await _table.DeleteEntityAsync(sessionId, DeadLetterKey(sequence), ETag.All, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static TableDeadLetter ToDeadLetter(TableEntity row) => new(
        row.PartitionKey, row.GetString("MessageId"), row.GetBinaryData("Body"), row.GetInt32("DeliveryCount") ?? 0, row.GetString("Reason"), row.GetString("Description"))
    {
        Sequence = long.Parse(row.RowKey.AsSpan(DeadLetterPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture),
        EnqueuedTime = row.GetDateTimeOffset("EnqueuedTime"),
        Properties = ReadProperties(row.GetString("Properties")),
    };

    internal static IReadOnlyDictionary<string, string> ReadProperties(string? json) =>
        json is null ? EmptyProperties : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? EmptyProperties;

    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    internal static string MessageKey(long sequence) => MessagePrefix + sequence.ToString("D19", CultureInfo.InvariantCulture);

    internal static string DeadLetterKey(long sequence) => DeadLetterPrefix + sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The table the queue lives in.</summary>
    public TableClient Table => _table;

    /// <summary>The clock of lock expiry and duplicate detection.</summary>
    public TimeProvider Time => _time;

    internal async Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Message ids are the sender's (any characters); row keys allow few. The hash keeps them apart.</summary>
    private static string Hash(string messageId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));
}

/// <summary>
/// How LocalHost's durable queue behaves (section <c>LocalHost:EventQueue</c>). Deliveries before dead-lettering,
/// duplicate detection and the number of sessions handled at once are the Service Bus section's
/// (<c>ServiceBus:MaxDeliveryCount</c>, <c>:DuplicateDetectionWindow</c>, <c>:MaxConcurrentSessions</c>).
/// </summary>
public sealed class TableSessionQueueOptions
{
    public const string SectionName = "LocalHost:EventQueue";

    /// <summary>The table on the app's storage (Azurite).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [System.ComponentModel.DataAnnotations.RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = "localeventqueue";

    /// <summary>How long a session stays locked without renewal: after a crash, how long until another process takes it over.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the table is asked for sessions to take when nothing was sent from this process.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Validates <see cref="TableSessionQueueOptions"/> at start (source-generated from its data annotations).</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class TableSessionQueueOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<TableSessionQueueOptions>
{
}

/// <summary>A dead-lettered message of the durable queue.</summary>
public sealed record TableDeadLetter(string SessionId, string? MessageId, BinaryData? Body, int DeliveryCount, string? Reason, string? Description)
{
    /// <summary>Its sequence in the session (the key of its dead-letter row).</summary>
    public long Sequence { get; init; }

    public DateTimeOffset? EnqueuedTime { get; init; }

    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

/// <summary>The session's lock was lost (expired and taken by another consumer): nothing was changed.</summary>
public sealed class SessionLockLostException(string sessionId) : InvalidOperationException($"The lock on session {sessionId} was lost.");

/// <summary>A message of the durable queue, as delivered to the lock holder.</summary>
public sealed class TableQueueMessage
{
    internal TableQueueMessage(string sessionId, long sequence, string messageId, ReadOnlyMemory<byte> body, DateTimeOffset enqueuedTime, int deliveryCount, IReadOnlyDictionary<string, string>? properties = null)
    {
        Properties = properties ?? new Dictionary<string, string>();
        SessionId = sessionId;
        Sequence = sequence;
        MessageId = messageId;
        Body = body;
        EnqueuedTime = enqueuedTime;
        DeliveryCount = deliveryCount;
    }

    public string SessionId { get; }

    public long Sequence { get; }

    public string MessageId { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public DateTimeOffset EnqueuedTime { get; }

    /// <summary>1 on the first delivery.</summary>
    public int DeliveryCount { get; }

    /// <summary>The sender's application properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }
}

/// <summary>
/// One consumer's lock on one session of the durable queue. Every write goes through the lock row with the ETag this
/// lease last saw (in one transaction with the message rows it touches), so it either happens under the lock or not at
/// all (<see cref="SessionLockLostException"/>). Dispose to release the lock.
/// </summary>
public sealed class TableSessionLease : IAsyncDisposable
{
    private readonly TableSessionQueue _queue;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly TableEntity _lock;
    private ETag _etag;
    private bool _released;

    internal TableSessionLease(TableSessionQueue queue, string sessionId, TableEntity lockRow, ETag etag)
    {
        _queue = queue;
        SessionId = sessionId;
        _lock = lockRow;
        _etag = etag;
    }

    public string SessionId { get; }

    private long Head => _lock.GetInt64("Head") ?? 0;

    /// <summary>The session's first message with its delivery count raised (committed first), or null when the session is empty.</summary>
    public async Task<TableQueueMessage?> ReceiveNextAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var head = Head;
            var row = await _queue.GetAsync(SessionId, TableSessionQueue.MessageKey(head), cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }
            var delivered = row.GetInt32("DeliveryCount") ?? 0;
            var message = new TableQueueMessage(SessionId, head, row.GetString("MessageId"), row.GetBinary("Body"), row.GetDateTimeOffset("EnqueuedTime") ?? default, delivered, TableSessionQueue.ReadProperties(row.GetString("Properties")));
            if (delivered >= _queue.MaxDeliveryCount)
            {
                // Its holder vanished on its last delivery (the lock expired unsettled): dead-lettered, as Service Bus does.
                await DeadLetterAsync(message, DeadLetterReasons.MaxDeliveryCountExceeded, $"Lock lost unsettled on delivery {delivered} (max {_queue.MaxDeliveryCount}).", cancellationToken).ConfigureAwait(false);
                continue;
            }
            await WriteAsync([new(TableTransactionActionType.UpdateMerge, new TableEntity(SessionId, row.RowKey) { ["DeliveryCount"] = delivered + 1 }, row.ETag)], null, cancellationToken).ConfigureAwait(false);
            return new TableQueueMessage(SessionId, head, message.MessageId, message.Body, message.EnqueuedTime, delivered + 1, message.Properties);
        }
    }

    public Task CompleteAsync(TableQueueMessage message, CancellationToken cancellationToken = default) =>
        RemoveAsync(message, null, cancellationToken);

    public Task DeadLetterAsync(TableQueueMessage message, string reason, string description, CancellationToken cancellationToken = default) =>
        RemoveAsync(message, (reason, description), cancellationToken);

    /// <summary>Gives the message back: it stays first in its session; on its last delivery it is dead-lettered instead.</summary>
    public Task AbandonAsync(TableQueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.DeliveryCount >= _queue.MaxDeliveryCount
            ? DeadLetterAsync(message, DeadLetterReasons.MaxDeliveryCountExceeded, $"Delivered {message.DeliveryCount} times (max {_queue.MaxDeliveryCount}) without being completed.", cancellationToken)
            : RenewAsync(cancellationToken);
    }

    public ReadOnlyMemory<byte>? GetState() => _lock.GetBinary("State") is { } state ? state : null;

    public Task SetStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default) =>
        WriteAsync([], new Dictionary<string, object?> { ["State"] = state?.ToArray() }, cancellationToken);

    /// <summary>Extends the lock by the queue's lock duration from now.</summary>
    public Task RenewAsync(CancellationToken cancellationToken = default) =>
        WriteAsync([], new Dictionary<string, object?> { ["LockedUntil"] = _queue.Time.GetUtcNow() + _queue.LockDuration }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        try
        {
            await WriteAsync([], new Dictionary<string, object?> { ["LockToken"] = string.Empty, ["LockedUntil"] = DateTimeOffset.UnixEpoch }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SessionLockLostException)
        {
            // Already taken over: nothing of ours to release.
        }
        catch (RequestFailedException)
        {
            // Storage unreachable: the lock expires by itself.
        }
        _writes.Dispose();
    }

    private async Task<ETag> CurrentLockETagAsync(CancellationToken cancellationToken)
    {
        var row = await _queue.GetAsync(SessionId, "lock", cancellationToken).ConfigureAwait(false);
        return row is not null && row.GetString("LockToken") == _lock.GetString("LockToken") ? row.ETag : throw new SessionLockLostException(SessionId);
    }

    private async Task RemoveAsync(TableQueueMessage message, (string Reason, string Description)? deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Sequence != Head)
        {
            throw new InvalidOperationException($"Message {message.MessageId} is not the in-flight message of session {SessionId} (already settled?).");
        }
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Delete, new TableEntity(SessionId, TableSessionQueue.MessageKey(message.Sequence)), ETag.All),
        };
        if (deadLetter is { } letter)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(SessionId, TableSessionQueue.DeadLetterKey(message.Sequence))
            {
                ["MessageId"] = message.MessageId,
                ["Body"] = message.Body.ToArray(),
                ["DeliveryCount"] = message.DeliveryCount,
                ["EnqueuedTime"] = message.EnqueuedTime,
                ["Reason"] = letter.Reason,
                ["Description"] = letter.Description,
                ["Properties"] = message.Properties.Count > 0 ? JsonSerializer.Serialize(message.Properties) : null,
            }));
        }
        await WriteAsync(actions, new Dictionary<string, object?> { ["Head"] = message.Sequence + 1 }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One transaction: <paramref name="actions"/> plus the lock row (with <paramref name="changes"/>), conditional on its ETag.</summary>
    private async Task WriteAsync(List<TableTransactionAction> actions, Dictionary<string, object?>? changes, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var updated = new TableEntity(_lock);
            foreach (var (key, value) in changes ?? [])
            {
                updated[key] = value;
            }
            // Every write moves the lock on as well: holding the session is proved by each write, not assumed.
            if (changes is null || !changes.ContainsKey("LockedUntil"))
            {
                updated["LockedUntil"] = _queue.Time.GetUtcNow() + _queue.LockDuration;
            }
            actions.Add(new(TableTransactionActionType.UpdateReplace, updated, _etag));
            Response<IReadOnlyList<Response>> response;
            try
            {
                response = await _queue.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Only the lock holder writes the lock and message rows: a changed ETag means the lock was taken over.
                throw new SessionLockLostException(SessionId);
            }
            foreach (var (key, value) in updated)
            {
                _lock[key] = value;
            }
            _etag = response.Value.Count == actions.Count && response.Value[^1].Headers.ETag is { } etag
                ? etag
                : await CurrentLockETagAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }
}
