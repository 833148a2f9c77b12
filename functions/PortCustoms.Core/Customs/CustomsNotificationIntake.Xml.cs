using System.Runtime.InteropServices;
using PortCustoms.Core.Residency;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Customs;

/// <summary>WCO XML customs responses (<c>application/xml</c>, <c>urn:portcustoms:wco:customs-response:1</c>).</summary>
public sealed partial class CustomsNotificationIntake
{
    /// <summary>
    /// A <c>CustomsResponse</c> document: read as a stream with DTDs prohibited and no resolver (an XXE or entity-expansion
    /// document is refused at its DOCTYPE), validated against our XSD as it is read, every finding positioned (line,
    /// column, XPath). The whole document is checked before anything is stored: any error, a response issued further in
    /// the future than <see cref="Gate.GateOptions.MaxNotificationClockSkew"/>, an id reserved for EDIFACT or too long
    /// to store, and nothing of it is. A status code none of ours is held (HOLD, warning
    /// <see cref="XmlErrorCodes.StatusUnmapped"/>, counted). Throws <see cref="ResidencyViolationException"/> before
    /// reading anything when customs data may not be processed here.
    /// </summary>
    public Task<NotificationIntakeResult> ReceiveXmlAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveXmlAsync(body, NotificationOrigin.Unknown, cancellationToken);

    /// <summary>A <c>CustomsResponse</c> from <paramref name="origin"/> (its enveloped signature checked, then removed, first when signatures are required).</summary>
    public async Task<NotificationIntakeResult> ReceiveXmlAsync(ReadOnlyMemory<byte> body, NotificationOrigin origin, CancellationToken cancellationToken = default)
    {
        _residency?.EnsureAllowed();
        var (refused, unsigned) = await CheckSignatureAsync(SignedNotificationFormat.Xml, body, origin, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }
        body = unsigned;
        var (receivedAt, maxClockSkew) = (_time.GetUtcNow(), _options.CurrentValue.MaxNotificationClockSkew);
        var ruled = new List<XmlFinding>();
        var handler = new NotificationCollector(ruled, receivedAt, maxClockSkew, _store.CanStoreNotificationId);
        using var content = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        var result = WcoXmlReader.Read(content, handler, MaxProblemFindings, _codeLists);
        var findings = result.Findings;
        foreach (var finding in ruled)
        {
            findings.Add(finding);
        }
        if (result.Kind is not (WcoXmlMessageKind.CustomsResponse or WcoXmlMessageKind.None))
        {
            findings.Add(new XmlFinding(XmlErrorCodes.UnknownRoot, EdifactSeverity.Error,
                $"A customs notification is a CustomsResponse ({WcoXml.CustomsResponseNamespace}); this is {WcoXml.RootElementOf(result.Kind)}.", 1, 1, "/" + WcoXml.RootElementOf(result.Kind)));
        }
        else if (result.Kind == WcoXmlMessageKind.CustomsResponse && handler.Notifications.Count == 0 && findings.ErrorCount == 0)
        {
            findings.Add(new XmlFinding(XmlErrorCodes.IncompleteContent, EdifactSeverity.Error, "The document holds no notification.", 1, 1, "/CustomsResponse"));
        }
        if (findings.ErrorCount > 0)
        {
            var first = findings.Listed.FirstOrDefault(f => f.Severity == EdifactSeverity.Error);
            _logger.XmlNotificationRejected(findings.ErrorCount, first?.Code ?? "-", first?.XPath ?? "/");
            return new NotificationIntakeResult.DocumentRejected(findings);
        }

        var receipts = new List<NotificationReceipt>();
        foreach (var notification in handler.Notifications)
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
                    "A notification of the document could not be stored; send the document again (a repeat has no second effect).");
            }
            receipts.Add(new NotificationReceipt(notification.NotificationId, notification.ContainerNumber, outcome));
        }
        var warnings = findings.Listed.Where(f => f.Severity != EdifactSeverity.Error).Take(MaxWarnings).ToList();
        foreach (var warning in warnings)
        {
            _logger.XmlNotificationWarning(warning.Code, warning.XPath, warning.Line, warning.Message);
        }
        foreach (var count in findings.Counts.Where(c => c.Code == XmlErrorCodes.StatusUnmapped))
        {
            // Counted so the code can be mapped before it stops traffic (the alert rule watches this).
            for (var i = 0L; i < count.Count; i++)
            {
                _metrics.UnmappedCode("CustomsResponse", "Status/NameCode");
            }
        }
        var conflicts = receipts.Where(r => r.Outcome == NotificationOutcome.Conflict).Select(r => r.NotificationId).ToList();
        if (conflicts.Count > 0)
        {
            return new NotificationIntakeResult.Conflict(conflicts, receipts);
        }
        _logger.XmlNotificationsStored(receipts.Count);
        return new NotificationIntakeResult.DocumentAccepted(receipts, warnings);
    }

    /// <summary>Collects the responses as they are read and applies the intake's rules to each, at its position.</summary>
    private sealed class NotificationCollector(List<XmlFinding> findings, DateTimeOffset receivedAt, TimeSpan maxClockSkew, Func<string, bool> canStoreNotificationId) : WcoXmlHandler
    {
        private int _responses;

        public List<CustomsNotification> Notifications { get; } = [];

        public override void OnNotification(CustomsNotification notification)
        {
            _responses++;
            var path = $"/CustomsResponse/Response[{_responses}]";
            if (CustomsNotificationService.IssuedInFuture(notification.IssuedAt, receivedAt, maxClockSkew) is { } future)
            {
                findings.Add(new XmlFinding(XmlErrorCodes.IssuedInFuture, EdifactSeverity.Error, future, 0, 0, path + "/IssueDateTime[1]"));
                return;
            }
            if (notification.NotificationId.StartsWith(CustomsNotification.EdifactIdPrefix, StringComparison.OrdinalIgnoreCase) || !canStoreNotificationId(notification.NotificationId))
            {
                findings.Add(new XmlFinding(XmlErrorCodes.NotificationId, EdifactSeverity.Error,
                    $"'{notification.NotificationId}' cannot be a notification id: the prefix '{CustomsNotification.EdifactIdPrefix}' is reserved for EDIFACT, and an id may take at most 510 characters once escaped.", 0, 0, path + "/ID[1]"));
                return;
            }
            Notifications.Add(notification with { ReceivedAt = receivedAt });
        }
    }
}
