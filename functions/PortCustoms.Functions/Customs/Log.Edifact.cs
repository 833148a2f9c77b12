using Microsoft.Extensions.Logging;

namespace PortCustoms.Functions;

/// <summary>EDIFACT intake logs: event ids 3300-3399. References only, never payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "CUSRES interchange {InterchangeReference} from {Sender} rejected: {ErrorCount} errors, first {FirstCode}; answered 400 with a CONTRL.")]
    public static partial void EdifactNotificationRejected(this ILogger logger, string interchangeReference, string sender, int errorCount, string firstCode);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "CUSRES interchange {InterchangeReference} from {Sender}: {Count} notifications stored.")]
    public static partial void EdifactNotificationsStored(this ILogger logger, string interchangeReference, string sender, int count);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "CUSRES interchange {InterchangeReference} from {Sender} accepted with warning {Code} at segment {Segment}: {Detail}")]
    public static partial void EdifactNotificationWarning(this ILogger logger, string interchangeReference, string sender, string code, int segment, string detail);
}
