using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Gate;

/// <summary>
/// Customs status in Azure Table Storage: one partition per container holding the state entity (RowKey <c>state</c>) and
/// one entity per notification (RowKey <c>n:{notificationId}</c>). A notification and the state change it causes are one
/// entity-group transaction, conditional on the state's ETag (or on its absence), so a crash leaves both or neither, a
/// repeated notification id fails the insert (no second effect) and concurrent writers re-read and retry instead of
/// overwriting each other.
/// </summary>
public class TableCustomsStateStore : CustomsStateStore
{
    public const string DefaultTableName = "CustomsStatus";
    internal const string StateRowKey = "state";
    internal const string NotificationRowKeyPrefix = "n:";

    // Enough for dozens of simultaneous writers on one container; each failed round means another writer succeeded.
    private const int MaxAttempts = 64;

    private readonly TableClient _table;
    private readonly ILogger<TableCustomsStateStore> _logger;
    private readonly TableCreation _creation;

    protected TableCustomsStateStore()
    {
        _table = null!;
        _logger = null!;
        _creation = null!;
    }

    public TableCustomsStateStore(TableServiceClient service, ILogger<TableCustomsStateStore> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(tableName);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _creation = new TableCreation(_table);
    }

    public override bool CanStoreNotificationId(string notificationId) => TableKeyLimits.FitsNotificationId(notificationId);

    public override async Task<NotificationOutcome> AddNotificationAsync(CustomsNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var partition = notification.ContainerNumber.ToString();
        var notificationRowKey = NotificationRowKeyPrefix + TableKeys.Encode(notification.NotificationId);

        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadStateEntityAsync(partition, cancellationToken).ConfigureAwait(false);
            var (state, outcome) = current is null
                ? (ContainerCustomsState.Start(notification), NotificationOutcome.Applied)
                : (await ToStateAsync(notification.ContainerNumber, current, cancellationToken).ConfigureAwait(false)).Receive(notification);

            var stateEntity = StateEntity.From(state);
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, NotificationEntity.From(notification, outcome, notificationRowKey)),
                current is null
                    ? new(TableTransactionActionType.Add, stateEntity)
                    : new(TableTransactionActionType.UpdateReplace, stateEntity, current.ETag),
            ];
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return outcome;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Either this notification id is already stored (the same content: no second effect; other content: a
                // conflict, refused), or another writer changed the state.
                if (await ReadNotificationEntityAsync(partition, notificationRowKey, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    return NotificationEntity.ContentHash(notification.ContainerNumber, stored) == NotificationContent.Hash(notification)
                        ? NotificationOutcome.Duplicate
                        : NotificationOutcome.Conflict;
                }
                if (attempt >= MaxAttempts)
                {
                    throw;
                }
                _logger.CustomsStateConflict(notification.ContainerNumber, attempt);
                // Spread the retries so simultaneous writers do not collide again in lockstep.
                await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 10) * 3), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The state an entity holds; a state written under the earlier rules (a late, older order did not count) is folded
    /// again from the container's history, once per read until the next notification rewrites it.
    /// </summary>
    private async Task<ContainerCustomsState> ToStateAsync(ContainerNumber containerNumber, TableEntity entity, CancellationToken cancellationToken)
    {
        if (StateEntity.IsCurrentVersion(entity))
        {
            return StateEntity.ToState(containerNumber, entity);
        }
        var history = await GetHistoryAsync(containerNumber, cancellationToken).ConfigureAwait(false);
        if (history.Count == 0)
        {
            return StateEntity.ToState(containerNumber, entity);
        }
        var state = ContainerCustomsState.Start(history[0].Notification);
        foreach (var stored in history.Skip(1))
        {
            state = state.Receive(stored.Notification).State;
        }
        return state;
    }

    /// <summary>
    /// Creates the table if needed and reads one state entity, which opens a connection and, in Azure, fetches the
    /// managed identity token: work a gate answer's first read would otherwise do inside Gate:StoreTimeout
    /// (see <see cref="GateStoreWarmup"/>).
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        _ = await ReadStateEntityAsync("WARMUP", cancellationToken).ConfigureAwait(false);
    }

    public override async Task<ContainerCustomsState?> GetStateAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var entity = await ReadStateEntityAsync(containerNumber.ToString(), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await ToStateAsync(containerNumber, entity, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<StoredCustomsNotification>> GetHistoryAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var partition = containerNumber.ToString();
        var history = new List<StoredCustomsNotification>();
        try
        {
            // RowKeys "n:..." sort between "n:" and "n;" (';' follows ':').
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {NotificationRowKeyPrefix} and RowKey lt {"n;"}");
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                history.Add(NotificationEntity.ToStored(containerNumber, entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return history;
        }
        return history
            .OrderBy(n => n.Notification.IssuedAt)
            .ThenBy(n => n.Notification.ReceivedAt)
            .ThenBy(n => n.Notification.NotificationId, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<TableEntity?> ReadStateEntityAsync(string partition, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table itself does not exist yet: nothing was ever stored.
            return null;
        }
    }

    private async Task<TableEntity?> ReadNotificationEntityAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    internal static class StateEntity
    {
        // 2: every notification counts for its kind whatever order it arrived in; releases without a zone kept apart.
        private const int RulesVersion = 2;

        public static bool IsCurrentVersion(TableEntity entity) => entity.GetInt32("RulesVersion") == RulesVersion;

        public static TableEntity From(ContainerCustomsState state)
        {
            var entity = new TableEntity(state.ContainerNumber.ToString(), StateRowKey)
            {
                ["RulesVersion"] = RulesVersion,
                ["NotificationCount"] = state.NotificationCount,
                ["UpdatedAt"] = Time.Format(state.UpdatedAt),
            };
            Write(entity, "Current", state.Current);
            Write(entity, "Release", state.LatestRelease);
            Write(entity, "UnzonedRelease", state.LatestUnzonedRelease);
            Write(entity, "Hold", state.LatestHold);
            Write(entity, "InspectionRequired", state.LatestInspectionRequired);
            Write(entity, "InspectionCompleted", state.LatestInspectionCompleted);
            return entity;
        }

        public static ContainerCustomsState ToState(ContainerNumber containerNumber, TableEntity entity) => new()
        {
            ContainerNumber = containerNumber,
            Current = Read(entity, "Current") ?? throw new InvalidDataException($"The customs state of {containerNumber} has no current notification."),
            LatestRelease = Read(entity, "Release"),
            LatestUnzonedRelease = Read(entity, "UnzonedRelease"),
            LatestHold = Read(entity, "Hold"),
            LatestInspectionRequired = Read(entity, "InspectionRequired"),
            LatestInspectionCompleted = Read(entity, "InspectionCompleted"),
            NotificationCount = entity.GetInt32("NotificationCount") ?? 0,
            UpdatedAt = Time.Parse(entity.GetString("UpdatedAt")),
        };

        private static void Write(TableEntity entity, string prefix, NotificationReference? reference)
        {
            if (reference is null)
            {
                return;
            }
            entity[prefix + "Id"] = reference.NotificationId;
            entity[prefix + "Status"] = reference.Status.ToName();
            entity[prefix + "IssuedAt"] = Time.Format(reference.IssuedAt);
            entity[prefix + "CustomsReference"] = reference.CustomsReference;
            entity[prefix + "Zoned"] = reference.IssuedAtZoned;
        }

        private static NotificationReference? Read(TableEntity entity, string prefix)
        {
            if (entity.GetString(prefix + "Id") is not { } id)
            {
                return null;
            }
            var status = CustomsStatusNames.TryParse(entity.GetString(prefix + "Status"), out var s)
                ? s
                : throw new InvalidDataException($"Unknown customs status in {prefix}Status.");
            return new NotificationReference(id, status, Time.Parse(entity.GetString(prefix + "IssuedAt")), entity.GetString(prefix + "CustomsReference"),
                entity.GetBoolean(prefix + "Zoned") ?? true);
        }
    }

    internal static class NotificationEntity
    {
        public static TableEntity From(CustomsNotification n, NotificationOutcome outcome, string rowKey) => new(n.ContainerNumber.ToString(), rowKey)
        {
            ["NotificationId"] = n.NotificationId,
            ["Status"] = n.Status.ToName(),
            ["CustomsReference"] = n.CustomsReference,
            ["IssuedAt"] = Time.Format(n.IssuedAt),
            ["IssuedAtZoned"] = n.IssuedAtZoned,
            ["ReceivedAt"] = Time.Format(n.ReceivedAt),
            ["Outcome"] = outcome.ToString(),
            ["ContentHash"] = NotificationContent.Hash(n),
            ["Reason"] = n.Reason,
            ["RiskScore"] = n.RiskScore,
            ["TargetingReason"] = n.TargetingReason,
            ["OfficerNotes"] = n.OfficerNotes,
            ["AdditionalData"] = n.AdditionalData,
        };

        public static StoredCustomsNotification ToStored(ContainerNumber containerNumber, TableEntity e)
        {
            var notification = new CustomsNotification
            {
                NotificationId = e.GetString("NotificationId"),
                ContainerNumber = containerNumber,
                Status = CustomsStatusNames.TryParse(e.GetString("Status"), out var status) ? status : throw new InvalidDataException("Unknown customs status."),
                CustomsReference = e.GetString("CustomsReference"),
                IssuedAt = Time.Parse(e.GetString("IssuedAt")),
                // Stored before the flag existed: JSON times always had a zone.
                IssuedAtZoned = e.GetBoolean("IssuedAtZoned") ?? true,
                ReceivedAt = Time.Parse(e.GetString("ReceivedAt")),
                Reason = e.GetString("Reason"),
                RiskScore = e.GetDouble("RiskScore"),
                TargetingReason = e.GetString("TargetingReason"),
                OfficerNotes = e.GetString("OfficerNotes"),
                AdditionalData = e.GetString("AdditionalData"),
            };
            var outcome = Enum.TryParse<NotificationOutcome>(e.GetString("Outcome"), out var o) ? o : NotificationOutcome.Applied;
            return new StoredCustomsNotification(notification, outcome);
        }

        /// <summary>The stored content hash, or, for a notification stored before hashes (or under another version), one computed from its fields.</summary>
        public static string ContentHash(ContainerNumber containerNumber, TableEntity e) =>
            e.GetString("ContentHash") is { } hash && hash.StartsWith(NotificationContent.Version + ":", StringComparison.Ordinal)
                ? hash
                : NotificationContent.Hash(ToStored(containerNumber, e).Notification);
    }
}

/// <summary>Instants as round-trip ISO 8601 text: Table Storage's DateTime drops the offset and may drop precision, and equal instants must stay equal.</summary>
internal static class Time
{
    public static string Format(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string? text) =>
        DateTimeOffset.ParseExact(text ?? throw new InvalidDataException("A stored time is missing."), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

/// <summary>Creates a table once, on first use (never at app start), and remembers that it exists.</summary>
internal sealed class TableCreation(TableClient table)
{
    private volatile bool _created;

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        _created = true;
    }
}
