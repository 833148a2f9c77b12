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
/// effect; the same id with other content is a 409 conflict and the stored one stands. JSON, CUSRES interchanges
/// (<c>application/EDIFACT</c>) and WCO XML customs responses (<c>application/xml</c>). Binds the caller's certificate and the body, hands
/// the body to <see cref="CustomsNotificationIntake"/>, and answers its result (<see cref="CustomsNotificationResults"/>).
/// When the authority signs (<c>CustomsPlatform:InboundSignatures:Mode = Required</c>) a JSON body carries a detached
/// JWS in <c>X-JWS-Signature</c>, XML an enveloped XML-DSig signature, EDIFACT an AUTACK; a refused one is 400 or 403
/// with its <c>SIG-*</c> code, nothing applied, and kept for audit.
/// </summary>
public sealed class CustomsNotificationFunction(CustomsNotificationIntake intake, CallerCertificateValidator certificates, ILogger<CustomsNotificationFunction> logger)
{
    [Function("CustomsNotification")]
    [CallerRoles(CallerRole.Customs)]
    [ProducesResponseType<CustomsNotificationReceipt>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<EdifactInterchangeReceipt>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<XmlDocumentReceipt>(StatusCodes.Status202Accepted)]
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
        var format = CustomsNotificationResults.FormatOf(request.ContentType);
        if (format == NotificationFormat.Unsupported)
        {
            return Problems.UnsupportedMediaType(request.ContentType, $"{MediaTypes.Json}, {MediaTypes.Edifact} or {MediaTypes.Xml}");
        }
        var maxBytes = CustomsNotificationResults.MaxBytes(format);
        if (await HttpBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return HttpBody.TooLarge(maxBytes);
        }
        var origin = CustomsNotificationResults.OriginOf(request, certificates);
        var result = format switch
        {
            NotificationFormat.Edifact => await intake.ReceiveEdifactAsync(body, origin, cancellationToken).ConfigureAwait(false),
            NotificationFormat.Xml => await intake.ReceiveXmlAsync(body, origin, cancellationToken).ConfigureAwait(false),
            _ => await intake.ReceiveJsonAsync(body, origin, cancellationToken).ConfigureAwait(false),
        };
        return CustomsNotificationResults.ToHttp(result);
    }
}
