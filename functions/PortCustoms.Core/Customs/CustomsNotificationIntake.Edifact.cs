using System.Runtime.InteropServices;
using System.Text;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Residency;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using PortCustoms.Edifact.Contrl;

namespace PortCustoms.Core.Customs;

/// <summary>CUSRES interchanges (<c>application/EDIFACT</c>) and the CONTRL that rejects a malformed one.</summary>
public sealed partial class CustomsNotificationIntake
{
    /// <summary>
    /// A CUSRES interchange: all of it checked before anything is stored. Throws <see cref="ResidencyViolationException"/>
    /// before reading anything when customs data may not be processed here.
    /// </summary>
    public Task<NotificationIntakeResult> ReceiveEdifactAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveEdifactAsync(body, NotificationOrigin.Unknown, cancellationToken);

    /// <summary>A CUSRES interchange from <paramref name="origin"/> (its AUTACK checked first when signatures are required).</summary>
    public async Task<NotificationIntakeResult> ReceiveEdifactAsync(ReadOnlyMemory<byte> body, NotificationOrigin origin, CancellationToken cancellationToken = default)
    {
        _residency?.EnsureAllowed();
        var (refused, _) = await CheckSignatureAsync(SignedNotificationFormat.Edifact, body, origin, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }
        // Read, validate and translate message by message, keeping only what the answer needs: the notifications, the
        // first findings and a count per code, and a CONTRL report per message up to MaxContrlMessages. A body of a
        // million empty messages must not grow into a million findings (issue 10, point 7).
        // The same future-date guard as JSON notifications (Gate:MaxNotificationClockSkew), read per request.
        var translator = new EdifactTranslator(_authority, _time) { MaxIssuedAtSkew = _options.CurrentValue.MaxNotificationClockSkew, Clocks = _clocks, CodeLists = _codeLists };
        var findings = new BoundedFindings(MaxProblemFindings);
        var notifications = new List<CustomsNotification>();
        var warnings = new List<InterchangeWarning>();
        var reports = new List<ContrlMessageReport>();
        var messageDiagnostics = new HashSet<EdifactDiagnostic>();
        EdifactInterchangeHeader? interchange = null;
        var messages = 0;
        var validator = new EdifactInterchangeValidator(new EdifactValidationOptions { Mode = EdifactValidationMode.Strict });
        // The body is read once, in place: no second copy of up to MaxEdifactBytes.
        using var content = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        var validation = await validator.ValidateAsync(content, (message, found) =>
        {
            if (message.MessageType == Security.Autack.MessageType)
            {
                // The AUTACK securing the CUSRES (checked above when signatures are required): not a notification.
                return;
            }
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
                    warnings.Add(new InterchangeWarning(warning.Code, warning.Message, warning.Segment > 0 ? warning.Segment : null, warning.Element, warning.Component));
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
            return new NotificationIntakeResult.InterchangeRejected(findings, contrl, messages > MaxContrlMessages ? messages : null);
        }

        var receipts = new List<NotificationReceipt>();
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
                return new NotificationIntakeResult.NotStored(
                    "A notification of the interchange could not be stored; send the interchange again (a repeat has no second effect).");
            }
            receipts.Add(new NotificationReceipt(notification.NotificationId, notification.ContainerNumber, outcome));
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
        var conflicts = receipts.Where(r => r.Outcome == NotificationOutcome.Conflict).Select(r => r.NotificationId).ToList();
        if (conflicts.Count > 0)
        {
            return new NotificationIntakeResult.Conflict(conflicts, receipts);
        }
        _logger.EdifactNotificationsStored(interchange?.ControlReference ?? "-", interchange?.SenderIdentification ?? "-", receipts.Count);
        return new NotificationIntakeResult.InterchangeAccepted(interchange?.ControlReference ?? string.Empty, receipts, warnings);
    }

    private static EdifactPosition MappingContextPosition(EdifactSegment header) => header.Position with { Element = 2, Component = 1 };

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
