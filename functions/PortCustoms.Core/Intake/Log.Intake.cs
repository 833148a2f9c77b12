using Microsoft.Extensions.Logging;
using PortCustoms.Core.Model;

namespace PortCustoms.Core;

/// <summary>
/// The intake services' logs. Their event ids are the ones these messages had when the triggers wrote them (3200-3399),
/// so alerts and queries on them keep working; new intake messages take 3400-3499. References only, never payloads.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Error, Message = "Gate {GateTransactionId} for {ContainerNumber}: the decision could not be recorded; answered 503.")]
    public static partial void GateDecisionNotRecorded(this ILogger logger, Exception exception, string gateTransactionId, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Error, Message = "Customs notification {NotificationId} for {ContainerNumber} could not be stored; answered 503.")]
    public static partial void NotificationNotStored(this ILogger logger, Exception exception, string notificationId, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "CUSRES interchange {InterchangeReference} from {Sender} rejected: {ErrorCount} errors, first {FirstCode}; answered 400 with a CONTRL.")]
    public static partial void EdifactNotificationRejected(this ILogger logger, string interchangeReference, string sender, int errorCount, string firstCode);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "CUSRES interchange {InterchangeReference} from {Sender}: {Count} notifications stored.")]
    public static partial void EdifactNotificationsStored(this ILogger logger, string interchangeReference, string sender, int count);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "CUSRES interchange {InterchangeReference} from {Sender} accepted with warning {Code} at segment {Segment}: {Detail}")]
    public static partial void EdifactNotificationWarning(this ILogger logger, string interchangeReference, string sender, string code, int segment, string detail);

    [LoggerMessage(EventId = 3310, Level = LogLevel.Warning, Message = "XML customs response rejected: {ErrorCount} errors, first {FirstCode} at {XPath}; answered 400.")]
    public static partial void XmlNotificationRejected(this ILogger logger, long errorCount, string firstCode, string xPath);

    [LoggerMessage(EventId = 3311, Level = LogLevel.Information, Message = "XML customs response: {Count} notifications stored.")]
    public static partial void XmlNotificationsStored(this ILogger logger, int count);

    [LoggerMessage(EventId = 3312, Level = LogLevel.Warning, Message = "XML customs response accepted with warning {Code} at {XPath} (line {Line}): {Detail}")]
    public static partial void XmlNotificationWarning(this ILogger logger, string code, string xPath, long line, string detail);

    [LoggerMessage(EventId = 3400, Level = LogLevel.Error, Message = "{Count} status event(s) could not all be queued; answered 503 (a resend is safe: the queue drops duplicates by event id).")]
    public static partial void EventsNotQueued(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3410, Level = LogLevel.Warning, Message = "Customs notification ({Format}) refused for its signature: {Code}; caller {Caller}; {Bytes} bytes kept for audit as {AuditId}. Nothing was applied.")]
    public static partial void NotificationSignatureRefused(this ILogger logger, Customs.SignedNotificationFormat format, string code, string caller, string auditId, int bytes);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Error, Message = "Customs notification ({Format}) refused for its signature, but it could not be kept for audit; answered 503 so that it is sent again.")]
    public static partial void RefusedNotificationNotKept(this ILogger logger, Exception exception, string format);
}
