using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Model;
using PortCustoms.Core.Residency;

namespace PortCustoms.Core.Gate;

/// <summary>What a gate query came to: one of the nested kinds, each answered its own way by the caller.</summary>
public abstract record GateQueryResult
{
    private GateQueryResult()
    {
    }

    /// <summary>Decided now, or the first answer of a repeated gate transaction.</summary>
    public sealed record Answered(GateDecisionResult Decision) : GateQueryResult;

    /// <summary>The query is refused as it stands (body or fields at fault); never a decision.</summary>
    public sealed record Invalid(IntakeProblem Problem) : GateQueryResult;

    /// <summary>The gate transaction id was already answered for another container: no answer is given.</summary>
    public sealed record TransactionConflict(string GateTransactionId) : GateQueryResult;

    /// <summary>The decision could not be stored, so there is no answer to repeat and no audit record (logged).</summary>
    public sealed record NotRecorded(string GateTransactionId) : GateQueryResult;
}

/// <summary>
/// The gate query flow without its transport: parse (one JSON object) -> validate (container check digit, direction,
/// an id the store can key, a request time not in the future) -> rule (<see cref="GateDecisionService"/>) -> a typed
/// <see cref="GateQueryResult"/>. Every caller of the flow goes through here, so each applies the same checks.
/// </summary>
public sealed class GateQueryIntake
{
    private readonly GateDecisionService _gate;
    private readonly GateDecisionStore _decisions;
    private readonly IOptionsMonitor<GateOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GateQueryIntake> _logger;
    private readonly ResidencyGuard? _residency;
    private readonly Versions.MessageVersionPolicy? _versions;

    public GateQueryIntake(
        GateDecisionService gate,
        GateDecisionStore decisions,
        IOptionsMonitor<GateOptions> options,
        TimeProvider time,
        ILogger<GateQueryIntake> logger,
        ResidencyGuard? residency = null,
        Versions.MessageVersionPolicy? versions = null)
    {
        _versions = versions;
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        _decisions = decisions ?? throw new ArgumentNullException(nameof(decisions));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _residency = residency;
    }

    /// <summary>
    /// Reads, checks and answers one gate query (<paramref name="body"/>: the JSON object of contracts/http-api.md);
    /// <paramref name="caller"/> is who asked, as the transport established it, for the audit record. Throws
    /// <see cref="ResidencyViolationException"/> before reading anything when customs data may not be processed here.
    /// </summary>
    public async Task<GateQueryResult> QueryAsync(ReadOnlyMemory<byte> body, string caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _residency?.EnsureAllowed();
        var notAfter = _time.GetUtcNow() + _options.CurrentValue.MaxRequestClockSkew;
        var query = JsonObjectBody.Read(body, JsonBodySchema.GateQuery, (JsonElement json, out FieldErrors errors) => Parse(json, caller, notAfter, _decisions.CanStoreTransactionId, _versions, out errors), out var problem);
        if (query is null)
        {
            return new GateQueryResult.Invalid(problem!);
        }

        GateDecisionResult decision;
        try
        {
            decision = await _gate.DecideAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Without a stored decision there is no answer to repeat and no audit record: say so rather than decide.
            _logger.GateDecisionNotRecorded(ex, query.GateTransactionId, query.ContainerNumber);
            return new GateQueryResult.NotRecorded(query.GateTransactionId);
        }
        return decision.Kind == GateDecisionKind.TransactionConflict
            ? new GateQueryResult.TransactionConflict(query.GateTransactionId)
            : new GateQueryResult.Answered(decision);
    }

    /// <summary>The query in one JSON object, or null with every field at fault named.</summary>
    public static GateQuery? Parse(JsonElement body, string caller, DateTimeOffset notAfter, Func<string, bool> canStoreTransactionId, out FieldErrors errors) =>
        Parse(body, caller, notAfter, canStoreTransactionId, null, out errors);

    /// <summary>As the other overload, a declared <c>schemaVersion</c> checked against the transition in <paramref name="versions"/>.</summary>
    public static GateQuery? Parse(JsonElement body, string caller, DateTimeOffset notAfter, Func<string, bool> canStoreTransactionId, Versions.MessageVersionPolicy? versions, out FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(canStoreTransactionId);
        errors = new FieldErrors();
        Versions.JsonSchemaVersions.Check(body, Versions.JsonSchemaVersions.GateQuery, versions, errors);
        var containerText = errors.Text(body, "containerNumber", required: true, maxLength: 64);
        var container = default(ContainerNumber);
        if (containerText is not null)
        {
            var error = ContainerNumber.TryParse(containerText.AsSpan(), out container);
            if (error != ContainerNumberError.None)
            {
                errors.Add("containerNumber", $"'{containerText}' is not a valid container number: {ContainerNumber.Describe(error)}.");
            }
        }
        var directionText = errors.Text(body, "direction", required: true, maxLength: 8);
        var direction = GateDirection.None;
        if (directionText is not null && !GateNames.TryParseDirection(directionText, out direction))
        {
            errors.Add("direction", "direction must be IN or OUT.");
        }
        var transaction = errors.Text(body, "gateTransactionId", required: true, maxLength: 200);
        if (transaction is not null && !canStoreTransactionId(transaction))
        {
            // The audit record is keyed by it: an id that can never be stored must not be answered 503 "retry".
            errors.Add("gateTransactionId", "gateTransactionId is too long to store: each '/', '\\', '#', '?', '%' or ' counts three characters, and the whole may take at most 512.");
        }
        var terminal = errors.Text(body, "terminal", required: true, maxLength: 100);
        var requestedAt = errors.Instant(body, "requestedAt", required: false);
        if (requestedAt > notAfter)
        {
            errors.Add("requestedAt", "requestedAt lies in the future (beyond Gate:MaxRequestClockSkew after PortCustoms' clock).");
        }
        if (errors.Any)
        {
            return null;
        }
        return new GateQuery
        {
            ContainerNumber = container,
            Direction = direction,
            GateTransactionId = transaction!,
            Terminal = terminal!,
            RequestedAt = requestedAt,
            Caller = caller,
        };
    }
}
