using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Core.Events;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Events;

/// <summary>
/// <c>POST /api/v1/events</c>: one container status event or an array. All valid: 202 with the accepted event ids once
/// they are on the ordered queue. Any invalid: 400 problem details naming each bad event and field; nothing is queued.
/// Queue unavailable: 503 (a resend is safe, the queue drops duplicates by event id). Binds the body, hands it to
/// <see cref="ContainerEventIntake"/>, and answers its result (<see cref="ContainerEventResults"/>).
/// </summary>
public sealed class PostEventsFunction(ContainerEventIntake intake)
{
    /// <summary>Larger bodies are refused before reading (1000 events of about 1 KB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    [Function("PostEvents")]
    [CallerRoles(CallerRole.Terminal)]
    [ProducesResponseType<ContainerEventResults.AcceptedEvents>(StatusCodes.Status202Accepted)]
    [CustomsData]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/events")] HttpRequest request,
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
        var result = await intake.AcceptAsync(body, cancellationToken).ConfigureAwait(false);
        return ContainerEventResults.ToHttp(result);
    }
}
