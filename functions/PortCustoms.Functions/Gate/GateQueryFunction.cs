using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Gate;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Gate;

/// <summary>
/// <c>POST /api/v1/gate/queries</c> (caller: TOS): CLEAR, HOLD or INSPECT for a container at the gate
/// (contracts/http-api.md). Binds the body and the caller, hands them to <see cref="GateQueryIntake"/>, and answers its
/// result: an invalid container number is a 400 problem, never a decision.
/// </summary>
public sealed class GateQueryFunction(GateQueryIntake intake, CallerCertificateValidator certificates)
{
    /// <summary>Gate queries are a few hundred bytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    [Function("GateQuery")]
    [CallerRoles(CallerRole.Terminal, RateGroup = "gate")]
    [CustomsData]
    [ProducesResponseType<GateQueryResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/gate/queries")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypes.IsJsonOrNone(request.ContentType))
        {
            return Problems.UnsupportedMediaType(request.ContentType, MediaTypes.Json);
        }
        if (await HttpBody.ReadAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return HttpBody.TooLarge(MaxBodyBytes);
        }
        var result = await intake.QueryAsync(body, CallerIdentity.Describe(request, certificates), cancellationToken).ConfigureAwait(false);
        return result switch
        {
            GateQueryResult.Answered answered => new OkObjectResult(GateQueryResponse.From(answered.Decision.Record.Answer)),
            GateQueryResult.Invalid invalid => Problems.From(invalid.Problem),
            GateQueryResult.TransactionConflict conflict => Problems.Create(StatusCodes.Status409Conflict, "Gate transaction already used",
                $"gateTransactionId '{conflict.GateTransactionId}' was already answered for another container."),
            GateQueryResult.NotRecorded => Problems.Create(StatusCodes.Status503ServiceUnavailable, "Decision not recorded",
                "The gate decision could not be recorded; treat the container as HOLD and retry with the same gateTransactionId."),
            _ => throw new UnreachableException(result.GetType().Name),
        };
    }
}

/// <summary>
/// The gate response, exactly the contract's fields. Built only from <see cref="GateAnswer"/>, which has no place for
/// customs intelligence.
/// </summary>
[VisibleTo(CallerRole.Terminal)]
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
            Problems.FormatInstant(answer.DecidedAt));
    }
}
