using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Customs;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Customs;

/// <summary>
/// <c>POST /api/v1/customs/notifications</c> (caller: customs platform): release, hold and inspection notifications,
/// answered 202 only once stored durably. A repeated notification (same id, same content) is accepted with no second
/// effect; the same id with other content is a 409 conflict and the stored one stands. JSON, and CUSRES interchanges
/// (<c>application/EDIFACT</c>); WCO XML plugs in with its format. Binds the caller's certificate and the body, hands
/// the body to <see cref="CustomsNotificationIntake"/>, and answers its result (<see cref="CustomsNotificationResults"/>).
/// </summary>
public sealed class CustomsNotificationFunction(CustomsNotificationIntake intake, CallerCertificateValidator certificates, ILogger<CustomsNotificationFunction> logger)
{
    [Function("CustomsNotification")]
    [CallerRoles(CallerRole.Customs)]
    [CustomsData]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/customs/notifications")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The customs platform authenticates with its client certificate (CallerCertificates:Required in Azure).
        if (certificates.Required && certificates.Validate(request) is { IsTrusted: false } verdict)
        {
            logger.NotificationCallerRefused(verdict.Thumbprint ?? "none", verdict.Reason);
            return CallerCertificates.Refusal(verdict);
        }
        var edifact = MediaTypes.IsEdifact(request.ContentType);
        if (!edifact && !MediaTypes.IsJsonOrNone(request.ContentType))
        {
            return Problems.UnsupportedMediaType(request.ContentType, $"{MediaTypes.Json} or {MediaTypes.Edifact}");
        }
        var maxBytes = edifact ? CustomsNotificationIntake.MaxEdifactBytes : CustomsNotificationIntake.MaxJsonBytes;
        if (await HttpBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return HttpBody.TooLarge(maxBytes);
        }
        var result = edifact
            ? await intake.ReceiveEdifactAsync(body, cancellationToken).ConfigureAwait(false)
            : await intake.ReceiveJsonAsync(body, cancellationToken).ConfigureAwait(false);
        return CustomsNotificationResults.ToHttp(result);
    }
}
