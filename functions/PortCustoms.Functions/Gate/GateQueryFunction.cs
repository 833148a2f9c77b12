using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Residency;

namespace PortCustoms.Functions.Gate;

/// <summary>
/// <c>POST /api/v1/gate/queries</c> (caller: TOS): CLEAR, HOLD or INSPECT for a container at the gate
/// (contracts/http-api.md). An invalid container number is a 400 problem, never a decision.
/// </summary>
public sealed class GateQueryFunction
{
    private readonly GateDecisionService _gate;
    private readonly ResidencyGuard _residency;
    private readonly CallerCertificateValidator _certificates;
    private readonly ILogger<GateQueryFunction> _logger;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<GateOptions> _options;

    public GateQueryFunction(
        GateDecisionService gate,
        ResidencyGuard residency,
        CallerCertificateValidator certificates,
        TimeProvider time,
        IOptionsMonitor<GateOptions> options,
        ILogger<GateQueryFunction> logger)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        _residency = residency ?? throw new ArgumentNullException(nameof(residency));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    [Function("GateQuery")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/gate/queries")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpJson.RefuseOutsideResidency(_residency) is { } refused)
        {
            return refused;
        }
        if (HttpJson.RefuseUnlessJson(request.ContentType) is { } unsupported)
        {
            return unsupported;
        }
        var caller = CallerIdentity.Describe(request, _certificates);
        var notAfter = _time.GetUtcNow() + _options.CurrentValue.MaxRequestClockSkew;
        var (query, problem) = await HttpJson.ReadAndParseAsync(
            request, (JsonElement body, out FieldErrors errors) => GateQueryRequest.Parse(body, caller, notAfter, out errors), cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            return problem!;
        }

        GateDecisionResult result;
        try
        {
            result = await _gate.DecideAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Without a stored decision there is no answer to repeat and no audit record: say so rather than decide.
            _logger.GateDecisionNotRecorded(ex, query.GateTransactionId, query.ContainerNumber);
            return HttpJson.Problem(StatusCodes.Status503ServiceUnavailable, "Decision not recorded",
                "The gate decision could not be recorded; treat the container as HOLD and retry with the same gateTransactionId.");
        }

        if (result.Kind == GateDecisionKind.TransactionConflict)
        {
            return HttpJson.Problem(StatusCodes.Status409Conflict, "Gate transaction already used",
                $"gateTransactionId '{query.GateTransactionId}' was already answered for another container.");
        }
        return new OkObjectResult(GateQueryResponse.From(result.Record.Answer));
    }
}

/// <summary>The body of a gate query.</summary>
internal static class GateQueryRequest
{
    public static GateQuery? Parse(System.Text.Json.JsonElement body, string caller, DateTimeOffset notAfter, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var containerText = errors.String(body, "containerNumber", required: true, maxLength: 64);
        var container = default(ContainerNumber);
        if (containerText is not null)
        {
            var error = ContainerNumber.TryParse(containerText.AsSpan(), out container);
            if (error != ContainerNumberError.None)
            {
                errors.Add("containerNumber", $"'{containerText}' is not a valid container number: {ContainerNumber.Describe(error)}.");
            }
        }
        var directionText = errors.String(body, "direction", required: true, maxLength: 8);
        var direction = GateDirection.None;
        if (directionText is not null && !GateNames.TryParseDirection(directionText, out direction))
        {
            errors.Add("direction", "direction must be IN or OUT.");
        }
        var transaction = errors.String(body, "gateTransactionId", required: true, maxLength: 200);
        if (transaction is not null && !PortCustoms.Cloud.Gate.TableKeyLimits.Fits(transaction))
        {
            // The audit record is keyed by it: an id that can never be stored must not be answered 503 "retry".
            errors.Add("gateTransactionId", "gateTransactionId is too long to store: each '/', '\\', '#', '?', '%' or ' counts three characters, and the whole may take at most 512.");
        }
        var terminal = errors.String(body, "terminal", required: true, maxLength: 100);
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

/// <summary>
/// The gate response, exactly the contract's fields. Built only from <see cref="GateAnswer"/>, which has no place for
/// customs intelligence.
/// </summary>
public sealed record GateQueryResponse(
    string ContainerNumber,
    string Decision,
    string Reason,
    string DecisionId,
    string? CustomsReference,
    string Source,
    string DecidedAt)
{
    public static GateQueryResponse From(GateAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(
            answer.ContainerNumber.ToString(),
            answer.Decision.ToName(),
            answer.Reason,
            answer.DecisionId,
            answer.CustomsReference,
            answer.Source.ToName(),
            HttpJson.FormatInstant(answer.DecidedAt));
    }
}
