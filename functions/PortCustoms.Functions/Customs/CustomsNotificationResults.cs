using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Security;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Customs;

/// <summary>How each <see cref="NotificationIntakeResult"/> is answered over HTTP.</summary>
internal static class CustomsNotificationResults
{
    public static IActionResult ToHttp(NotificationIntakeResult result) => result switch
    {
        NotificationIntakeResult.Accepted accepted => new AcceptedResult(location: null,
            new CustomsNotificationReceipt(accepted.Receipt.NotificationId, ReceiptOutcome(accepted.Receipt.Outcome))),
        NotificationIntakeResult.InterchangeAccepted interchange => new AcceptedResult(location: null,
            new EdifactInterchangeReceipt(interchange.InterchangeReference, interchange.Receipts.Select(Receipt).ToList())
            {
                Warnings = interchange.Warnings.Select(w => new EdifactReceiptWarning(w.Code, w.Message, w.Segment, w.Element, w.Component)).ToList(),
            }),
        NotificationIntakeResult.DocumentAccepted document => new AcceptedResult(location: null,
            new XmlDocumentReceipt(document.Receipts.Select(Receipt).ToList())
            {
                Warnings = document.Warnings.Select(XmlDiagnostic).ToList(),
            }),
        NotificationIntakeResult.DocumentRejected rejected => XmlProblem(rejected.Findings),
        NotificationIntakeResult.Invalid invalid => Problems.From(invalid.Problem),
        NotificationIntakeResult.InterchangeRejected rejected => new BoundedEdifactProblem(rejected.Findings, rejected.Contrl, rejected.ContrlOmittedForMessages),
        NotificationIntakeResult.Conflict conflict => Conflict(conflict.NotificationIds, conflict.Receipts?.Select(Receipt).ToList()),
        NotificationIntakeResult.NotStored notStored => Problems.Create(StatusCodes.Status503ServiceUnavailable, "Notification not stored", notStored.Detail),
        NotificationIntakeResult.SignatureRefused refused => SignatureProblem(refused),
        _ => throw new UnreachableException(result?.GetType().Name),
    };

    /// <summary>Who sent the notification (as the audit record names callers) and its detached signature header, if any.</summary>
    public static NotificationOrigin OriginOf(HttpRequest request, CallerCertificateValidator certificates) =>
        new(CallerIdentity.Describe(request, certificates), request.Headers.TryGetValue(DetachedJws.HeaderName, out var jws) ? jws.ToString() : null);

    /// <summary>
    /// 400 when the signature is malformed or outside the profile (fix and resend), 403 when it is missing, untrusted,
    /// expired or does not match (the message does not prove it comes from the authority): <c>code</c>, <c>auditId</c>
    /// and, for an AUTACK, <c>segment</c>, <c>segmentTag</c>, <c>element</c> and <c>component</c>.
    /// </summary>
    private static ObjectResult SignatureProblem(NotificationIntakeResult.SignatureRefused refused)
    {
        var check = refused.Check;
        var status = SignatureErrorCodes.IsMalformed(check.Code!) ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
        List<KeyValuePair<string, object?>> extensions = [new("code", check.Code), new("auditId", refused.AuditId)];
        if (check.Position is { } at)
        {
            extensions.AddRange([new("segment", at.Segment), new("segmentTag", at.Tag), new("element", at.Element), new("component", at.Component)]);
        }
        return Problems.Create(status, "Signature refused", $"{check.Code}: {check.Detail} Nothing of the notification was applied; it is kept for audit as {refused.AuditId}.", extensions: extensions);
    }

    /// <summary>Which intake a Content-Type selects: none (curl) or JSON, EDIFACT, XML; anything else is a 415.</summary>
    public static NotificationFormat FormatOf(string? contentType) =>
        MediaTypes.IsEdifact(contentType) ? NotificationFormat.Edifact
        : MediaTypes.IsXml(contentType) ? NotificationFormat.Xml
        : MediaTypes.IsJsonOrNone(contentType) ? NotificationFormat.Json
        : NotificationFormat.Unsupported;

    public static int MaxBytes(NotificationFormat format) => format switch
    {
        NotificationFormat.Edifact => CustomsNotificationIntake.MaxEdifactBytes,
        NotificationFormat.Xml => CustomsNotificationIntake.MaxXmlBytes,
        _ => CustomsNotificationIntake.MaxJsonBytes,
    };

    /// <summary>
    /// 400 for a refused XML document: <c>diagnostics</c> (the first findings of each code, with line, column and XPath;
    /// bounded by the intake), <c>diagnosticCount</c> and <c>diagnosticCounts</c> per code, as the EDIFACT problem has them.
    /// </summary>
    private static ObjectResult XmlProblem(Core.Xml.XmlFindings findings)
    {
        var errors = findings.Listed.Where(f => f.Severity == Edifact.EdifactSeverity.Error).ToList();
        var first = errors.FirstOrDefault();
        var byPlace = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in errors.GroupBy(f => f.XPath))
        {
            byPlace[group.Key] = [.. group.Select(f => f.Message)];
        }
        return Problems.Create(
            StatusCodes.Status400BadRequest,
            "Invalid customs response document",
            first is null
                ? "The XML document was refused; nothing of it was stored."
                : $"{findings.ErrorCount} error(s); the first: {first.Code} at line {first.Line}, column {first.Column} ({first.XPath}): {first.Message} Nothing of the document was stored.",
            byPlace,
            extensions:
            [
                new("diagnostics", findings.Listed.Select(XmlDiagnostic).ToList()),
                new("diagnosticCount", findings.Total),
                new("diagnosticCounts", findings.Counts.Select(c => new XmlDiagnosticCount(c.Code, c.Severity.ToString().ToUpperInvariant(), c.Count)).ToList()),
            ]);
    }

    private static XmlReceiptDiagnostic XmlDiagnostic(Core.Xml.XmlFinding finding) =>
        new(finding.Code, finding.Severity.ToString().ToUpperInvariant(), finding.Message, finding.Line > 0 ? finding.Line : null, finding.Column > 0 ? finding.Column : null, finding.XPath);

    /// <summary>The receipt's wire name of what a notification did (JSON and EDIFACT receipts alike).</summary>
    internal static string ReceiptOutcome(NotificationOutcome outcome) => outcome switch
    {
        NotificationOutcome.Applied => "APPLIED",
        NotificationOutcome.Stale => "STORED_AS_HISTORY",
        NotificationOutcome.Conflict => "CONFLICT",
        _ => "DUPLICATE",
    };

    private static EdifactNotificationReceipt Receipt(NotificationReceipt receipt) =>
        new(receipt.NotificationId, receipt.ContainerNumber.ToString(), ReceiptOutcome(receipt.Outcome));

    /// <summary>409: an id already stored with other content. The stored notification stands; nothing of this one is.</summary>
    private static ObjectResult Conflict(IReadOnlyList<string> notificationIds, IReadOnlyList<EdifactNotificationReceipt>? receipts)
    {
        var errors = new Core.Intake.FieldErrors();
        foreach (var id in notificationIds)
        {
            errors.Add("notificationId", $"Notification '{id}' is already stored with other content; an id names one notification. Send the change under a new id.");
        }
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["notificationIds"] = notificationIds };
        if (receipts is not null)
        {
            extensions["notifications"] = receipts;
        }
        return Problems.Create(
            StatusCodes.Status409Conflict,
            "Notification id reused with other content",
            $"Notification id {string.Join(", ", notificationIds.Select(id => $"'{id}'"))} is already stored with other content; it was not stored again.",
            errors.ToDictionary(),
            extensions: extensions);
    }
}

/// <summary>The 202 body: which notification was accepted and what it did (an addition to the contract).</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record CustomsNotificationReceipt(string NotificationId, string Outcome);

/// <summary>The 202 body for an EDIFACT interchange: the interchange reference and what each notification did.</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record EdifactInterchangeReceipt(string InterchangeReference, IReadOnlyList<EdifactNotificationReceipt> Notifications)
{
    /// <summary>What was accepted but is worth knowing: a time read without a zone, a status code read as HOLD (first <see cref="CustomsNotificationIntake.MaxWarnings"/>).</summary>
    public IReadOnlyList<EdifactReceiptWarning> Warnings { get; init; } = [];
}

/// <summary>One warning of an accepted interchange, positioned as the problem diagnostics are.</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record EdifactReceiptWarning(string Code, string Message, int? Segment, int? Element, int? Component);

/// <summary>One notification of the interchange: its id, container and outcome (APPLIED, STORED_AS_HISTORY, DUPLICATE).</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record EdifactNotificationReceipt(string NotificationId, string ContainerNumber, string Outcome);

/// <summary>Which intake a notification's Content-Type selects.</summary>
internal enum NotificationFormat : byte
{
    Unsupported = 0,
    Json,
    Edifact,
    Xml,
}

/// <summary>The 202 body for a WCO XML customs response: what each notification did, and the warnings (an unmapped status code held).</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record XmlDocumentReceipt(IReadOnlyList<EdifactNotificationReceipt> Notifications)
{
    public IReadOnlyList<XmlReceiptDiagnostic> Warnings { get; init; } = [];
}

/// <summary>One XML finding on the wire: its stable code, severity, text and position (line and column when known, always the XPath).</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record XmlReceiptDiagnostic(string Code, string Severity, string Message, long? Line, long? Column, string XPath);

/// <summary>How many XML findings of one code a refused document had.</summary>
[VisibleTo(CallerRole.Customs)]
public sealed record XmlDiagnosticCount(string Code, string Severity, long Count);
