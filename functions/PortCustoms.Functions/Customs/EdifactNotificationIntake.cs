using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using PortCustoms.Edifact.Contrl;
using PortCustoms.Functions.Gate;

namespace PortCustoms.Functions.Customs;

/// <summary>
/// CUSRES interchanges posted to <c>POST /api/v1/customs/notifications</c> with <c>Content-Type: application/EDIFACT</c>.
/// The whole interchange is checked first (syntax, envelopes strictly, each message's structure, the mapping to
/// notifications); only then is each notification stored, with an id from the sender, interchange and message
/// references, so a resent interchange has no second effect. A malformed interchange stores nothing and is a 400
/// problem with its first positioned findings, a count per code (bounded: BoundedEdifactProblem) and, when its UNB is
/// readable and it is not huge, the CONTRL (functional acknowledgement,
/// rejected) in the body: an EDIFACT sender gets the acknowledgement it expects on the same round trip, without a second
/// endpoint or a stored document to fetch, and HTTP callers still get ordinary problem details.
/// </summary>
public sealed class EdifactNotificationIntake
{
    /// <summary>A CUSRES interchange of a few hundred messages; anything near this is not one.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The receipt lists at most this many warnings: they are for a person to read.</summary>
    public const int MaxWarnings = 50;

    /// <summary>A 400 lists at most this many findings in full (the first by position), then a count per code.</summary>
    public const int MaxProblemFindings = 100;

    /// <summary>Past this many messages a rejected interchange gets no CONTRL in the body: it would grow with the input.</summary>
    public const int MaxContrlMessages = 1000;

    private readonly CustomsNotificationService _notifications;
    private readonly CustomsAuthorityOptions _authority;
    private readonly IOptionsMonitor<GateOptions> _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<EdifactNotificationIntake> _logger;
    private readonly GateMetrics _metrics;

    public EdifactNotificationIntake(
        CustomsNotificationService notifications,
        IOptions<CustomsAuthorityOptions> authority,
        IOptionsMonitor<GateOptions> gate,
        TimeProvider time,
        ILogger<EdifactNotificationIntake> logger,
        GateMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _notifications = notifications ?? throw new ArgumentNullException(nameof(notifications));
        _authority = authority.Value;
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
    }

    public static bool IsEdifact(string? contentType) =>
        contentType is not null && contentType.Split(';', 2)[0].Trim().Equals("application/EDIFACT", StringComparison.OrdinalIgnoreCase);

    public async Task<IActionResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return HttpJson.Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {MaxBodyBytes} bytes.");
        }

        // Read, validate and translate message by message, keeping only what the answer needs: the notifications, the
        // first findings and a count per code, and a CONTRL report per message up to MaxContrlMessages. A body of a
        // million empty messages must not grow into a million findings (issue 10, point 7).
        // The same future-date guard as JSON notifications (Gate:MaxNotificationClockSkew), read per request.
        var translator = new EdifactTranslator(_authority, _time) { MaxIssuedAtSkew = _gate.CurrentValue.MaxNotificationClockSkew };
        var findings = new BoundedFindings(MaxProblemFindings);
        var notifications = new List<CustomsNotification>();
        var warnings = new List<EdifactReceiptWarning>();
        var reports = new List<ContrlMessageReport>();
        var messageDiagnostics = new HashSet<EdifactDiagnostic>();
        EdifactInterchangeHeader? interchange = null;
        var messages = 0;
        var validator = new EdifactInterchangeValidator(new EdifactValidationOptions { Mode = EdifactValidationMode.Strict });
        var validation = await validator.ValidateAsync(new MemoryStream(body, writable: false), (message, found) =>
        {
            var structured = StructuredMessage.Create(message);
            foreach (var diagnostic in structured.StructureDiagnostics)
            {
                found.Add(diagnostic);
            }
            interchange ??= message.Interchange;
            messages++;
            var result = translator.Translate(structured);
            var errors = result.Diagnostics.Where(d => d.Severity == EdifactSeverity.Error).ToList();
            if (message.MessageType != "CUSRES")
            {
                errors.Add(new EdifactDiagnostic(MappingErrorCodes.UnsupportedMessage, EdifactSeverity.Error,
                    $"Only CUSRES messages are customs notifications; this is {message.MessageType}.", MappingContextPosition(message.Header)));
            }
            foreach (var error in errors)
            {
                findings.Add(error);
            }
            if (errors.Count == 0 && findings.Count == 0)
            {
                notifications.AddRange(result.Notifications ?? []);
            }
            foreach (var warning in result.Diagnostics.Where(d => d.Severity == EdifactSeverity.Warning))
            {
                if (warnings.Count < MaxWarnings)
                {
                    warnings.Add(new EdifactReceiptWarning(warning.Code, warning.Message, warning.Segment > 0 ? warning.Segment : null, warning.Element, warning.Component));
                }
            }
            if (messages <= MaxContrlMessages)
            {
                reports.Add(ContrlReport(structured, errors));
                messageDiagnostics.UnionWith(message.Diagnostics);
            }
        }, cancellationToken).ConfigureAwait(false);

        // Envelope and syntax findings from the validator (itself bounded); structure findings came with each message.
        var envelopeErrors = validation.Errors.Where(d => !d.Code.StartsWith("EDI-STR-", StringComparison.Ordinal)).ToList();
        foreach (var error in envelopeErrors)
        {
            findings.Add(error);
        }
        if (!validation.IsValid)
        {
            // Past its limit the validator counts findings without keeping them (warnings among them, unknowable).
            findings.AddUncounted(validation.DiagnosticsDropped);
        }
        if (validation.MessageCount == 0 && findings.Count == 0)
        {
            findings.Add(new EdifactDiagnostic(MappingErrorCodes.FieldMissing, EdifactSeverity.Error, "The interchange holds no message.", default));
        }
        if (findings.Count > 0)
        {
            _logger.EdifactNotificationRejected(interchange?.ControlReference ?? "-", interchange?.SenderIdentification ?? "-", findings.Count, findings.First() is [var first, ..] ? first.Code : "-");
            var contrl = messages <= MaxContrlMessages ? Contrl(interchange, reports, envelopeErrors.FirstOrDefault(e => !messageDiagnostics.Contains(e))) : null;
            return new BoundedEdifactProblem(findings, contrl, messages > MaxContrlMessages ? messages : null);
        }

        var receipts = new List<EdifactNotificationReceipt>();
        foreach (var notification in notifications)
        {
            NotificationOutcome outcome;
            try
            {
                outcome = await _notifications.ReceiveAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // What was stored stays stored; the resend repeats those ids with no second effect.
                _logger.NotificationNotStored(ex, notification.NotificationId, notification.ContainerNumber);
                return HttpJson.Problem(StatusCodes.Status503ServiceUnavailable, "Notification not stored",
                    "A notification of the interchange could not be stored; send the interchange again (a repeat has no second effect).");
            }
            receipts.Add(new EdifactNotificationReceipt(notification.NotificationId, notification.ContainerNumber.ToString(), CustomsNotificationFunction.ReceiptOutcome(outcome)));
        }
        // Warnings (a time without a zone, an unmapped status code read as HOLD...) reach the sender and the log.
        foreach (var warning in warnings)
        {
            _logger.EdifactNotificationWarning(interchange?.ControlReference ?? "-", interchange?.SenderIdentification ?? "-", warning.Code, warning.Segment ?? 0, warning.Message);
            if (warning.Code == MappingErrorCodes.CustomsStatusUnmapped)
            {
                // Counted so the code can be mapped before it stops traffic (the alert rule watches this).
                _metrics.UnmappedCode("CUSRES", "GIS 7365");
            }
        }
        var conflicts = receipts.Where(r => r.Outcome == CustomsNotificationFunction.ReceiptOutcome(NotificationOutcome.Conflict)).Select(r => r.NotificationId).ToList();
        if (conflicts.Count > 0)
        {
            return CustomsNotificationFunction.Conflict(conflicts, receipts);
        }
        _logger.EdifactNotificationsStored(interchange?.ControlReference ?? "-", interchange?.SenderIdentification ?? "-", receipts.Count);
        return new AcceptedResult(location: null, new EdifactInterchangeReceipt(interchange?.ControlReference ?? string.Empty, receipts) { Warnings = warnings });
    }

    private static EdifactPosition MappingContextPosition(EdifactSegment header) => header.Position with { Element = 2, Component = 1 };

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>One message's part of the CONTRL: its structure findings plus the mapping errors and trailer findings.</summary>
    private static ContrlMessageReport ContrlReport(StructuredMessage message, List<EdifactDiagnostic> errors)
    {
        var structure = message.Structure.ToContrlReport();
        var start = message.Message.Header.Position.Segment;
        var mapping = errors
            .Where(d => !d.Code.StartsWith("EDI-STR-", StringComparison.Ordinal) && d.Segment >= start)
            .Select(d => new ContrlError(d.Segment - start + 1, message.Message.Segments.ElementAtOrDefault(d.Segment - start)?.Tag ?? "UNH", d.Element ?? 0, d.Component ?? 0, d.SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue));
        var trailer = message.Message.Diagnostics
            .Where(d => d.Severity == EdifactSeverity.Error)
            .Select(d => new ContrlError(message.Message.Segments.Count, "UNT", 0, 0, d.SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue));
        return structure with { Errors = [.. structure.Errors, .. mapping, .. trailer] };
    }

    /// <summary>The functional acknowledgement (rejected), or null when there is no readable UNB to answer.</summary>
    private string? Contrl(EdifactInterchangeHeader? interchange, List<ContrlMessageReport> reports, EdifactDiagnostic? envelope)
    {
        if (interchange is null || interchange.ControlReference.Length == 0 || interchange.SenderIdentification.Length == 0)
        {
            return null;
        }
        var acknowledged = new ContrlInterchange(
            interchange.ControlReference,
            new ContrlParty(interchange.SenderIdentification, interchange.SenderQualifier),
            new ContrlParty(interchange.RecipientIdentification, interchange.RecipientQualifier),
            reports)
        {
            InterchangeError = envelope is null ? null : new ContrlError(0, envelope.Code.Contains("UNZ", StringComparison.Ordinal) ? "UNZ" : "UNB", 0, 0, envelope.SyntaxErrorCode ?? EdifactSyntaxErrorCodes.InvalidValue),
        };
        var syntaxVersion = int.TryParse(interchange.SyntaxVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 4 ? v : 3;
        var contrl = ContrlBuilder.BuildFunctional(acknowledged, "1", syntaxVersion);
        var reference = "C" + interchange.ControlReference;
        var bytes = ContrlWriter.WriteInterchange(contrl, acknowledged, reference.Length <= 14 ? reference : reference[..14], _time.GetUtcNow(), syntaxVersion);
        return Encoding.Latin1.GetString(bytes);
    }
}

/// <summary>The 202 body for an EDIFACT interchange: the interchange reference and what each notification did.</summary>
public sealed record EdifactInterchangeReceipt(string InterchangeReference, IReadOnlyList<EdifactNotificationReceipt> Notifications)
{
    /// <summary>What was accepted but is worth knowing: a time read without a zone, a status code read as HOLD (first <see cref="EdifactNotificationIntake.MaxWarnings"/>).</summary>
    public IReadOnlyList<EdifactReceiptWarning> Warnings { get; init; } = [];
}

/// <summary>One warning of an accepted interchange, positioned as the problem diagnostics are.</summary>
public sealed record EdifactReceiptWarning(string Code, string Message, int? Segment, int? Element, int? Component);

/// <summary>One notification of the interchange: its id, container and outcome (APPLIED, STORED_AS_HISTORY, DUPLICATE).</summary>
public sealed record EdifactNotificationReceipt(string NotificationId, string ContainerNumber, string Outcome);
