using Microsoft.Extensions.Logging;
using PortCustoms.Core.Model;

namespace PortCustoms.Functions;

/// <summary>Source-generated logs of PortCustoms.Functions. Partial per area; the gate path uses event ids 3200-3299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Error, Message = "Gate {GateTransactionId} for {ContainerNumber}: the decision could not be recorded; answered 503.")]
    public static partial void GateDecisionNotRecorded(this ILogger logger, Exception exception, string gateTransactionId, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Error, Message = "Customs notification {NotificationId} for {ContainerNumber} could not be stored; answered 503.")]
    public static partial void NotificationNotStored(this ILogger logger, Exception exception, string notificationId, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Customs notification refused: caller certificate {Thumbprint}: {Reason}")]
    public static partial void NotificationCallerRefused(this ILogger logger, string thumbprint, string reason);

    [LoggerMessage(EventId = 3220, Level = LogLevel.Error, Message = "Customs status of {ContainerNumber} could not be read; answered 503.")]
    public static partial void ContainerViewUnavailable(this ILogger logger, Exception exception, ContainerNumber containerNumber);
}
