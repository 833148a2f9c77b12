using Microsoft.Extensions.Logging;
using PortCustoms.Core.Model;

namespace PortCustoms.Functions;

/// <summary>Source-generated logs of PortCustoms.Functions. Partial per area; the gate path uses event ids 3200-3299 (3200 and 3210 moved with their messages into Core's intake services).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Customs notification refused: caller certificate {Thumbprint}: {Reason}")]
    public static partial void NotificationCallerRefused(this ILogger logger, string thumbprint, string reason);

    [LoggerMessage(EventId = 3220, Level = LogLevel.Error, Message = "Customs status of {ContainerNumber} could not be read; answered 503.")]
    public static partial void ContainerViewUnavailable(this ILogger logger, Exception exception, ContainerNumber containerNumber);
}
