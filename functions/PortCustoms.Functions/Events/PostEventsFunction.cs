using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Core.Events;
using PortCustoms.Core.Residency;

namespace PortCustoms.Functions.Events;

/// <summary>
/// <c>POST /api/v1/events</c>: one container status event or an array. All valid: 202 with the accepted event ids once
/// they are on the ordered queue. Any invalid: 400 problem details naming each bad event and field; nothing is queued.
/// Queue unavailable: 503 (a resend is safe, the queue drops duplicates by event id).
/// </summary>
public sealed class PostEventsFunction
{
    /// <summary>Larger bodies are refused before reading (1000 events of about 1 KB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly ContainerEventIntake _intake;

    public PostEventsFunction(ContainerEventIntake intake)
    {
        ArgumentNullException.ThrowIfNull(intake);
        _intake = intake;
    }

    [Function("PostEvents")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/events")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Gate.HttpJson.IsJson(request.ContentType))
        {
            return ContainerEventResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported format", $"Content-Type '{request.ContentType}' is not accepted: send application/json.");
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return ContainerEventResults.Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {MaxBodyBytes} bytes per request.");
        }
        var body = await ContainerEventResults.ReadBodyAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ContainerEventResults.Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {MaxBodyBytes} bytes per request.");
        }

        EventIntakeResult result;
        try
        {
            result = await _intake.AcceptAsync(body.Value, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ResidencyViolationException ex)
        {
            return ContainerEventResults.Problem(StatusCodes.Status503ServiceUnavailable, "Customs data cannot be processed here", ex.Message);
        }
#pragma warning disable CA1031 // Whatever stopped the queue, the caller gets a retryable 503, never a 500 that hides it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ContainerEventResults.Problem(StatusCodes.Status503ServiceUnavailable, "Event queue unavailable",
                "The events were not all queued. Send the same request again: events already queued are recognised by eventId and dropped.");
        }
        return result.Status == EventIntakeStatus.Accepted
            ? ContainerEventResults.Accepted(result)
            : ContainerEventResults.Invalid(result.Batch);
    }
}
