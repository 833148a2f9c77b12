using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Residency;
using PortCustoms.Functions.Gate;

namespace PortCustoms.Functions.Customs;

/// <summary>
/// <c>POST /api/v1/customs/notifications</c> (caller: customs platform): release, hold and inspection notifications,
/// answered 202 only once stored durably. A repeated notification (same id, same content) is accepted with no second
/// effect; the same id with other content is a 409 conflict and the stored one stands. Every notification counts for
/// its kind whatever order it arrives in (ContainerCustomsState). JSON, and CUSRES interchanges (<c>application/EDIFACT</c>, see
/// <see cref="EdifactNotificationIntake"/>); WCO XML plugs in with its format.
/// </summary>
public sealed class CustomsNotificationFunction
{
    // Fields the contract and customs' intelligence extension define; anything else is kept verbatim in AdditionalData.
    private static readonly HashSet<string> s_knownFields = new(StringComparer.Ordinal)
    {
        "notificationId", "containerNumber", "status", "customsReference", "issuedAt", "reason", "riskScore", "targetingReason", "officerNotes",
    };

    // Table Storage holds up to 32K characters per string property; customs extensions are far smaller.
    private const int MaxAdditionalDataLength = 30_000;

    private readonly CustomsNotificationService _notifications;
    private readonly EdifactNotificationIntake _edifact;
    private readonly ResidencyGuard _residency;
    private readonly CallerCertificateValidator _certificates;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<GateOptions> _options;
    private readonly ILogger<CustomsNotificationFunction> _logger;

    public CustomsNotificationFunction(
        CustomsNotificationService notifications,
        EdifactNotificationIntake edifact,
        ResidencyGuard residency,
        CallerCertificateValidator certificates,
        TimeProvider time,
        IOptionsMonitor<GateOptions> options,
        ILogger<CustomsNotificationFunction> logger)
    {
        _notifications = notifications ?? throw new ArgumentNullException(nameof(notifications));
        _edifact = edifact ?? throw new ArgumentNullException(nameof(edifact));
        _residency = residency ?? throw new ArgumentNullException(nameof(residency));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    [Function("CustomsNotification")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/customs/notifications")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpJson.RefuseOutsideResidency(_residency) is { } refused)
        {
            return refused;
        }
        // The customs platform authenticates with its client certificate (CallerCertificates:Required in Azure).
        if (_certificates.Required && _certificates.Validate(request) is { IsTrusted: false } verdict)
        {
            _logger.NotificationCallerRefused(verdict.Thumbprint ?? "none", verdict.Reason);
            return verdict.Thumbprint is null
                ? HttpJson.Problem(StatusCodes.Status401Unauthorized, "Client certificate required", verdict.Reason)
                : HttpJson.Problem(StatusCodes.Status403Forbidden, "Client certificate refused", verdict.Reason);
        }
        if (EdifactNotificationIntake.IsEdifact(request.ContentType))
        {
            return await _edifact.ReceiveAsync(request, cancellationToken).ConfigureAwait(false);
        }
        if (!HttpJson.IsJson(request.ContentType))
        {
            return HttpJson.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported format",
                $"Content-Type '{request.ContentType}' is not accepted yet: send application/json or application/EDIFACT.");
        }
        var (receivedAt, maxClockSkew) = (_time.GetUtcNow(), _options.CurrentValue.MaxNotificationClockSkew);
        var (notification, problem) = await HttpJson.ReadAndParseAsync(
            request, (JsonElement body, out FieldErrors errors) => Parse(body, receivedAt, maxClockSkew, out errors), cancellationToken).ConfigureAwait(false);
        if (notification is null)
        {
            return problem!;
        }

        NotificationOutcome outcome;
        try
        {
            outcome = await _notifications.ReceiveAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not stored, so not acknowledged: customs sends it again.
            _logger.NotificationNotStored(ex, notification.NotificationId, notification.ContainerNumber);
            return HttpJson.Problem(StatusCodes.Status503ServiceUnavailable, "Notification not stored",
                "The notification could not be stored; send it again (a repeat has no second effect).");
        }
        if (outcome == NotificationOutcome.Conflict)
        {
            return Conflict([notification.NotificationId]);
        }
        return new AcceptedResult(location: null, new CustomsNotificationReceipt(notification.NotificationId, ReceiptOutcome(outcome)));
    }

    internal static CustomsNotification? Parse(JsonElement body, DateTimeOffset receivedAt, TimeSpan maxClockSkew, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var id = errors.String(body, "notificationId", required: true, maxLength: 200);
        if (id is not null && !PortCustoms.Cloud.Gate.TableKeyLimits.FitsNotificationId(id))
        {
            errors.Add("notificationId", "notificationId is too long to store: each '/', '\\', '#', '?', '%' or ' counts three characters, and the whole may take at most 510.");
        }
        if (id is not null && id.StartsWith(CustomsNotification.EdifactIdPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // EDIFACT notifications take ids from their interchange references under this prefix; a JSON id there could
            // make a later CUSRES look like a resend of it.
            errors.Add("notificationId", $"notificationId must not begin with '{CustomsNotification.EdifactIdPrefix}': that prefix is reserved for ids derived from EDIFACT interchanges.");
        }
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
        var statusText = errors.String(body, "status", required: true, maxLength: 32);
        var status = CustomsStatus.None;
        if (statusText is not null && !CustomsStatusNames.TryParse(statusText, out status))
        {
            errors.Add("status", $"status must be one of {string.Join(", ", CustomsStatusNames.All)}.");
        }
        var customsReference = errors.String(body, "customsReference", required: false, maxLength: 100);
        var issuedAt = errors.Instant(body, "issuedAt", required: true);
        if (issuedAt > receivedAt + maxClockSkew)
        {
            errors.Add("issuedAt", $"issuedAt lies in the future (more than {maxClockSkew.TotalMinutes:0.#} minutes after PortCustoms' clock).");
        }
        var reason = errors.String(body, "reason", required: false, maxLength: 2000);
        var riskScore = errors.Number(body, "riskScore");
        var targetingReason = errors.String(body, "targetingReason", required: false, maxLength: 4000);
        var officerNotes = errors.String(body, "officerNotes", required: false, maxLength: 8000);
        var additional = Additional(body);
        if (additional is { Length: > MaxAdditionalDataLength })
        {
            errors.Add("body", $"The fields beyond the contract's take more than {MaxAdditionalDataLength} characters.");
        }
        if (errors.Any)
        {
            return null;
        }
        return new CustomsNotification
        {
            NotificationId = id!,
            ContainerNumber = container,
            Status = status,
            CustomsReference = customsReference,
            IssuedAt = issuedAt!.Value,
            ReceivedAt = receivedAt,
            Reason = reason,
            RiskScore = riskScore,
            TargetingReason = targetingReason,
            OfficerNotes = officerNotes,
            AdditionalData = additional,
        };
    }

    private static string? Additional(JsonElement body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var any = false;
            foreach (var property in body.EnumerateObject())
            {
                if (!s_knownFields.Contains(property.Name))
                {
                    property.WriteTo(writer);
                    any = true;
                }
            }
            writer.WriteEndObject();
            writer.Flush();
            if (!any)
            {
                return null;
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The receipt's wire name of what a notification did (JSON and EDIFACT receipts alike).</summary>
    internal static string ReceiptOutcome(NotificationOutcome outcome) => outcome switch
    {
        NotificationOutcome.Applied => "APPLIED",
        NotificationOutcome.Stale => "STORED_AS_HISTORY",
        NotificationOutcome.Conflict => "CONFLICT",
        _ => "DUPLICATE",
    };

    /// <summary>409: an id already stored with other content. The stored notification stands; nothing of this one is.</summary>
    internal static ObjectResult Conflict(IReadOnlyList<string> notificationIds, IReadOnlyList<EdifactNotificationReceipt>? receipts = null)
    {
        var errors = new FieldErrors();
        foreach (var id in notificationIds)
        {
            errors.Add("notificationId", $"Notification '{id}' is already stored with other content; an id names one notification. Send the change under a new id.");
        }
        var problem = new ValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Notification id reused with other content",
            Detail = $"Notification id {string.Join(", ", notificationIds.Select(id => $"'{id}'"))} is already stored with other content; it was not stored again.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        };
        problem.Extensions["notificationIds"] = notificationIds;
        if (receipts is not null)
        {
            problem.Extensions["notifications"] = receipts;
        }
        var result = new ObjectResult(problem) { StatusCode = StatusCodes.Status409Conflict };
        result.ContentTypes.Add(HttpJson.ProblemContentType);
        return result;
    }
}

/// <summary>The 202 body: which notification was accepted and what it did (an addition to the contract).</summary>
public sealed record CustomsNotificationReceipt(string NotificationId, string Outcome);
