using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Intake;
using PortCustoms.Core.Model;
using PortCustoms.Core.Residency;

using PortCustoms.Core.Time;

namespace PortCustoms.Core.Customs;

/// <summary>What receiving customs notifications came to: one of the nested kinds, each answered its own way by the caller.</summary>
public abstract record NotificationIntakeResult
{
    private NotificationIntakeResult()
    {
    }

    /// <summary>A JSON notification, stored (or recognised as already stored) before this is returned.</summary>
    public sealed record Accepted(NotificationReceipt Receipt) : NotificationIntakeResult;

    /// <summary>Every notification of a CUSRES interchange stored, with what was worth knowing (first <see cref="CustomsNotificationIntake.MaxWarnings"/>).</summary>
    public sealed record InterchangeAccepted(string InterchangeReference, IReadOnlyList<NotificationReceipt> Receipts, IReadOnlyList<InterchangeWarning> Warnings) : NotificationIntakeResult;

    /// <summary>A JSON notification refused as it stands (body or fields at fault, issued in the future); nothing stored.</summary>
    public sealed record Invalid(IntakeProblem Problem) : NotificationIntakeResult;

    /// <summary>
    /// A CUSRES interchange refused whole, nothing of it stored: its findings (bounded) and, when its UNB is readable and
    /// it holds at most <see cref="CustomsNotificationIntake.MaxContrlMessages"/> messages, the CONTRL that rejects it.
    /// </summary>
    public sealed record InterchangeRejected(BoundedFindings Findings, string? Contrl, int? ContrlOmittedForMessages) : NotificationIntakeResult;

    /// <summary>Every notification of a WCO XML <c>CustomsResponse</c> stored, with its warnings (an unmapped status code held), positioned by line, column and XPath.</summary>
    public sealed record DocumentAccepted(IReadOnlyList<NotificationReceipt> Receipts, IReadOnlyList<Xml.XmlFinding> Warnings) : NotificationIntakeResult;

    /// <summary>
    /// A WCO XML document refused whole, nothing of it stored: not well-formed, a DOCTYPE (XXE, entity expansion), not a
    /// <c>CustomsResponse</c>, invalid against its XSD, or issued in the future. The first findings per code with
    /// positions, and every one counted.
    /// </summary>
    public sealed record DocumentRejected(Xml.XmlFindings Findings) : NotificationIntakeResult;

    /// <summary>An id already stored with other content: the stored one stands (<paramref name="Receipts"/>: the interchange's, when one was sent).</summary>
    public sealed record Conflict(IReadOnlyList<string> NotificationIds, IReadOnlyList<NotificationReceipt>? Receipts = null) : NotificationIntakeResult;

    /// <summary>The store failed (logged): not acknowledged, so customs sends it again, which has no second effect.</summary>
    public sealed record NotStored(string Detail) : NotificationIntakeResult;

    /// <summary>
    /// Refused for its signature (<c>CustomsPlatform:InboundSignatures</c>): missing, malformed, untrusted, expired or
    /// not matching; nothing of it applied, the original kept for audit under <paramref name="AuditId"/>.
    /// </summary>
    public sealed record SignatureRefused(Security.SignatureCheck Check, string AuditId) : NotificationIntakeResult;
}

/// <summary>One notification received: its id, container and what storing it did.</summary>
public sealed record NotificationReceipt(string NotificationId, ContainerNumber ContainerNumber, NotificationOutcome Outcome);

/// <summary>One warning of an accepted interchange, positioned as a rejected one's findings are.</summary>
public sealed record InterchangeWarning(string Code, string Message, int? Segment, int? Element, int? Component);

/// <summary>
/// The customs notification flow without its transport: parse (a JSON object, or a CUSRES interchange) -> validate
/// (fields; for EDIFACT syntax, envelopes strictly, each message's structure and mapping) -> rule (no notification
/// issued further in the future than <see cref="GateOptions.MaxNotificationClockSkew"/>, whatever its format: a future
/// release would outrank every real hold until then) -> store (<see cref="CustomsNotificationService"/>) -> a typed
/// <see cref="NotificationIntakeResult"/>.
/// A CUSRES interchange is checked whole before anything is stored; each notification then gets an id from the sender,
/// interchange and message references, so a resent interchange has no second effect. A malformed interchange stores
/// nothing and is answered with its first positioned findings, a count per code (bounded) and, when its UNB is readable
/// and it is not huge, the CONTRL (functional acknowledgement, rejected): an EDIFACT sender gets the acknowledgement it
/// expects on the same round trip.
/// </summary>
public sealed partial class CustomsNotificationIntake
{
    /// <summary>A JSON notification is a few hundred bytes; anything near this is not one.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>A WCO XML customs response of a few hundred responses; anything near this is not one.</summary>
    public const int MaxXmlBytes = 4 * 1024 * 1024;

    /// <summary>A CUSRES interchange of a few hundred messages; anything near this is not one.</summary>
    public const int MaxEdifactBytes = 4 * 1024 * 1024;

    /// <summary>An accepted interchange reports at most this many warnings: they are for a person to read.</summary>
    public const int MaxWarnings = 50;

    /// <summary>A rejected interchange lists at most this many findings in full (the first by position), then a count per code.</summary>
    public const int MaxProblemFindings = 100;

    /// <summary>Past this many messages a rejected interchange gets no CONTRL: it would grow with the input.</summary>
    public const int MaxContrlMessages = 1000;

    // Fields the contract and customs' intelligence extension define; anything else is kept verbatim in AdditionalData.
    private static readonly HashSet<string> s_knownFields = new(StringComparer.Ordinal)
    {
        "notificationId", "containerNumber", "status", "customsReference", "issuedAt", "reason", "riskScore", "targetingReason", "officerNotes",
    };

    // Table Storage holds up to 32K characters per string property; customs extensions are far smaller.
    private const int MaxAdditionalDataLength = 30_000;

    private readonly CustomsNotificationService _notifications;
    private readonly CustomsStateStore _store;
    private readonly CustomsAuthorityOptions _authority;
    private readonly IOptionsMonitor<GateOptions> _options;
    private readonly TimeProvider _time;
    private readonly GateMetrics _metrics;
    private readonly ILogger<CustomsNotificationIntake> _logger;
    private readonly ResidencyGuard? _residency;
    private readonly InboundSignatureVerifier? _signatures;
    private readonly PartnerClocks _clocks;
    private readonly CodeLists.CodeListService _codeLists;

    public CustomsNotificationIntake(
        CustomsNotificationService notifications,
        CustomsStateStore store,
        IOptions<CustomsAuthorityOptions> authority,
        IOptionsMonitor<GateOptions> options,
        TimeProvider time,
        GateMetrics metrics,
        ILogger<CustomsNotificationIntake> logger,
        ResidencyGuard? residency = null,
        InboundSignatureVerifier? signatures = null,
        PartnerClocks? clocks = null,
        CodeLists.CodeListService? codeLists = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _clocks = clocks ?? PartnerClocks.Unconfigured;
        _codeLists = codeLists ?? CodeLists.CodeListService.Shipped;
        _notifications = notifications ?? throw new ArgumentNullException(nameof(notifications));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _authority = authority.Value;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _residency = residency;
        _signatures = signatures;
    }

    /// <summary>
    /// The signature check every format passes first when the authority signs (<see cref="InboundSignatureVerifier"/>):
    /// null to go on with the (possibly unwrapped) content, else the refusal. Keeping a refused one for audit failing
    /// answers 503: customs sends it again.
    /// </summary>
    private async Task<(NotificationIntakeResult? Refused, ReadOnlyMemory<byte> Content)> CheckSignatureAsync(
        SignedNotificationFormat format, ReadOnlyMemory<byte> body, NotificationOrigin origin, CancellationToken cancellationToken)
    {
        if (_signatures is not { Required: true } signatures)
        {
            return (null, body);
        }
        SignatureVerdict verdict;
        try
        {
            verdict = await signatures.CheckAsync(format, body, origin, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.RefusedNotificationNotKept(ex, format.ToString());
            return (new NotificationIntakeResult.NotStored("The notification's signature was refused but the refusal could not be recorded; send it again."), body);
        }
        return verdict.Refused
            ? (new NotificationIntakeResult.SignatureRefused(verdict.Refusal!, verdict.AuditId!), body)
            : (null, verdict.Content);
    }

    /// <summary>
    /// One notification as a JSON object (contracts/http-api.md). Throws <see cref="ResidencyViolationException"/>
    /// before reading anything when customs data may not be processed here.
    /// </summary>
    public Task<NotificationIntakeResult> ReceiveJsonAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveJsonAsync(body, NotificationOrigin.Unknown, cancellationToken);

    /// <summary>One JSON notification from <paramref name="origin"/> (its detached JWS checked first when signatures are required).</summary>
    public async Task<NotificationIntakeResult> ReceiveJsonAsync(ReadOnlyMemory<byte> body, NotificationOrigin origin, CancellationToken cancellationToken = default)
    {
        _residency?.EnsureAllowed();
        var (refused, content) = await CheckSignatureAsync(SignedNotificationFormat.Json, body, origin, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }
        body = content;
        var (receivedAt, maxClockSkew) = (_time.GetUtcNow(), _options.CurrentValue.MaxNotificationClockSkew);
        var notification = JsonObjectBody.Read(body, JsonBodySchema.CustomsNotification, (JsonElement json, out FieldErrors errors) => Parse(json, receivedAt, maxClockSkew, _store.CanStoreNotificationId, out errors), out var problem);
        if (notification is null)
        {
            return new NotificationIntakeResult.Invalid(problem!);
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
            return new NotificationIntakeResult.NotStored("The notification could not be stored; send it again (a repeat has no second effect).");
        }
        return outcome == NotificationOutcome.Conflict
            ? new NotificationIntakeResult.Conflict([notification.NotificationId])
            : new NotificationIntakeResult.Accepted(new NotificationReceipt(notification.NotificationId, notification.ContainerNumber, outcome));
    }

    public static CustomsNotification? Parse(JsonElement body, DateTimeOffset receivedAt, TimeSpan maxClockSkew, Func<string, bool> canStoreNotificationId, out FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(canStoreNotificationId);
        errors = new FieldErrors();
        var id = errors.Text(body, "notificationId", required: true, maxLength: 200);
        if (id is not null && !canStoreNotificationId(id))
        {
            errors.Add("notificationId", "notificationId is too long to store: each '/', '\\', '#', '?', '%' or ' counts three characters, and the whole may take at most 510.");
        }
        if (id is not null && id.StartsWith(CustomsNotification.EdifactIdPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // EDIFACT notifications take ids from their interchange references under this prefix; a JSON id there could
            // make a later CUSRES look like a resend of it.
            errors.Add("notificationId", $"notificationId must not begin with '{CustomsNotification.EdifactIdPrefix}': that prefix is reserved for ids derived from EDIFACT interchanges.");
        }
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
        var statusText = errors.Text(body, "status", required: true, maxLength: 32);
        var status = CustomsStatus.None;
        if (statusText is not null && !CustomsStatusNames.TryParse(statusText, out status))
        {
            errors.Add("status", $"status must be one of {string.Join(", ", CustomsStatusNames.All)}.");
        }
        var customsReference = errors.Text(body, "customsReference", required: false, maxLength: 100);
        var issuedAt = errors.Instant(body, "issuedAt", required: true);
        if (issuedAt is { } at && CustomsNotificationService.IssuedInFuture(at, receivedAt, maxClockSkew) is { } future)
        {
            errors.Add("issuedAt", future);
        }
        var reason = errors.Text(body, "reason", required: false, maxLength: 2000);
        var riskScore = errors.Number(body, "riskScore");
        var targetingReason = errors.Text(body, "targetingReason", required: false, maxLength: 4000);
        var officerNotes = errors.Text(body, "officerNotes", required: false, maxLength: 8000);
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
}
