using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Gate;

/// <summary>
/// Gate decisions in Azure Table Storage, one entity per gate transaction (PartitionKey gate transaction id, RowKey
/// terminal): the audit record and the idempotency key at once. Partitioning by transaction spreads writes (a terminal's
/// partition would cap its gate at one partition's throughput, and in Azurite every insert scans its partition). The insert is conditional (Add fails with 409 when the
/// transaction was already answered), so two racing requests for one transaction both return the first answer.
/// </summary>
public class TableGateDecisionStore : GateDecisionStore
{
    public const string DefaultTableName = "GateDecisions";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly TableClient _table;
    private readonly TableCreation _creation;

    protected TableGateDecisionStore()
    {
        _table = null!;
        _creation = null!;
    }

    public TableGateDecisionStore(TableServiceClient service, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(tableName);
        _creation = new TableCreation(_table);
    }

    /// <summary>Creates the table if needed, so a gate answer's insert does not (see <see cref="GateStoreWarmup"/>).</summary>
    public ValueTask WarmUpAsync(CancellationToken cancellationToken) => _creation.EnsureAsync(cancellationToken);

    public override bool CanStoreTransactionId(string gateTransactionId) => TableKeyLimits.Fits(gateTransactionId);

    public override async Task<GateDecisionRecord> AddOrGetExistingAsync(GateDecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var entity = ToEntity(record);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromEntity(existing.Value);
        }
    }

    public override async Task<GateDecisionRecord?> GetAsync(string terminal, string gateTransactionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(gateTransactionId);
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(gateTransactionId), TableKeys.Encode(terminal), cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue ? FromEntity(response.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    internal static TableEntity ToEntity(GateDecisionRecord record)
    {
        var (query, answer) = (record.Query, record.Answer);
        var entity = new TableEntity(TableKeys.Encode(query.GateTransactionId), TableKeys.Encode(query.Terminal))
        {
            // Who asked
            ["Terminal"] = query.Terminal,
            ["GateTransactionId"] = query.GateTransactionId,
            ["Caller"] = query.Caller,
            ["Direction"] = query.Direction.ToName(),
            ["RequestedAt"] = query.RequestedAt is { } requested ? Time.Format(requested) : null,
            // What was answered
            ["ContainerNumber"] = answer.ContainerNumber.ToString(),
            ["Decision"] = answer.Decision.ToName(),
            ["Reason"] = answer.Reason,
            ["DecisionId"] = answer.DecisionId,
            ["CustomsReference"] = answer.CustomsReference,
            ["Source"] = answer.Source.ToName(),
            ["DecidedAt"] = Time.Format(answer.DecidedAt),
            // Why, and what was known
            ["Rule"] = record.Rule.ToString(),
            ["KnownState"] = record.KnownState is null ? null : JsonSerializer.Serialize(StateSnapshot.From(record.KnownState), s_json),
            ["CustomsAuthority"] = record.CustomsAuthority,
        };
        if (record.LiveQuery is { } live)
        {
            entity["LiveQueryOutcome"] = live.Outcome.ToString();
            entity["LiveQueryStatusCode"] = live.StatusCode;
            entity["LiveQueryCustomsReference"] = live.CustomsReference;
            entity["LiveQueryElapsedMs"] = live.Elapsed.TotalMilliseconds;
        }
        // Absent rather than null: a null property costs the service (and Azurite) work and says nothing.
        foreach (var key in entity.Keys.Where(k => entity[k] is null).ToList())
        {
            entity.Remove(key);
        }
        return entity;
    }

    internal static GateDecisionRecord FromEntity(TableEntity e)
    {
        var container = ContainerNumber.Parse(e.GetString("ContainerNumber"));
        // An unreadable stored decision or source falls back to HOLD / DEFAULT (the enums' defaults).
        _ = GateNames.TryParseDirection(e.GetString("Direction"), out var direction);
        _ = GateNames.TryParseDecision(e.GetString("Decision"), out var decision);
        _ = GateNames.TryParseSource(e.GetString("Source"), out var source);
        CustomsLiveQueryResult? live = Enum.TryParse<CustomsLiveQueryOutcome>(e.GetString("LiveQueryOutcome"), out var outcome)
            ? new CustomsLiveQueryResult(outcome, e.GetString("LiveQueryStatusCode"), e.GetString("LiveQueryCustomsReference"), TimeSpan.FromMilliseconds(e.GetDouble("LiveQueryElapsedMs") ?? 0))
            : null;
        return new GateDecisionRecord
        {
            Query = new GateQuery
            {
                ContainerNumber = container,
                Direction = direction,
                GateTransactionId = e.GetString("GateTransactionId"),
                Terminal = e.GetString("Terminal"),
                RequestedAt = e.GetString("RequestedAt") is { } requested ? Time.Parse(requested) : null,
                Caller = e.GetString("Caller") ?? string.Empty,
            },
            Answer = new GateAnswer
            {
                ContainerNumber = container,
                Decision = decision,
                Reason = e.GetString("Reason"),
                DecisionId = e.GetString("DecisionId"),
                CustomsReference = e.GetString("CustomsReference"),
                Source = source,
                DecidedAt = Time.Parse(e.GetString("DecidedAt")),
            },
            Rule = Enum.TryParse<DecisionRule>(e.GetString("Rule"), out var rule) ? rule : DecisionRule.NoCustomsRecord,
            KnownState = e.GetString("KnownState") is { } json ? JsonSerializer.Deserialize<StateSnapshot>(json, s_json)?.ToState(container) : null,
            LiveQuery = live,
            CustomsAuthority = e.GetString("CustomsAuthority"),
        };
    }

    /// <summary>The state as audit JSON: plain values, no intelligence (the state holds none).</summary>
    internal sealed record StateSnapshot(
        ReferenceSnapshot Current,
        ReferenceSnapshot? Release,
        ReferenceSnapshot? Hold,
        ReferenceSnapshot? InspectionRequired,
        ReferenceSnapshot? InspectionCompleted,
        int NotificationCount,
        DateTimeOffset UpdatedAt)
    {
        public static StateSnapshot From(ContainerCustomsState s) => new(
            ReferenceSnapshot.From(s.Current)!,
            ReferenceSnapshot.From(s.LatestRelease),
            ReferenceSnapshot.From(s.LatestHold),
            ReferenceSnapshot.From(s.LatestInspectionRequired),
            ReferenceSnapshot.From(s.LatestInspectionCompleted),
            s.NotificationCount,
            s.UpdatedAt);

        public ContainerCustomsState ToState(ContainerNumber container) => new()
        {
            ContainerNumber = container,
            Current = Current.ToReference(),
            LatestRelease = Release?.ToReference(),
            LatestHold = Hold?.ToReference(),
            LatestInspectionRequired = InspectionRequired?.ToReference(),
            LatestInspectionCompleted = InspectionCompleted?.ToReference(),
            NotificationCount = NotificationCount,
            UpdatedAt = UpdatedAt,
        };
    }

    internal sealed record ReferenceSnapshot(string NotificationId, string Status, string IssuedAt, string? CustomsReference)
    {
        public static ReferenceSnapshot? From(NotificationReference? r) =>
            r is null ? null : new(r.NotificationId, r.Status.ToName(), Time.Format(r.IssuedAt), r.CustomsReference);

        public NotificationReference ToReference() => new(
            NotificationId,
            CustomsStatusNames.TryParse(Status, out var s) ? s : throw new InvalidDataException("Unknown customs status."),
            Time.Parse(IssuedAt),
            CustomsReference);
    }

}
