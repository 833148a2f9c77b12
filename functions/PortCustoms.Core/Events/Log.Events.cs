using Microsoft.Extensions.Logging;

namespace PortCustoms.Core;

/// <summary>Status-event logs: event ids 5000-5099. Container numbers and event ids only, never payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Accepted {Count} status event(s) onto the queue.")]
    public static partial void EventsAccepted(this ILogger logger, int count);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Refused a status-event request: {FailureCount} invalid event(s).")]
    public static partial void EventsRejected(this ILogger logger, int failureCount);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Dead-lettered message {MessageId} of session {SessionId}: {Reason}.")]
    public static partial void DeadLettered(this ILogger logger, string messageId, string sessionId, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Event {EventId} of {ContainerNumber} is a duplicate; no effect.")]
    public static partial void DuplicateEvent(this ILogger logger, string eventId, string containerNumber);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Event {EventId} of {ContainerNumber} arrived out of order; placed at position {Position}.")]
    public static partial void OutOfOrderEvent(this ILogger logger, string eventId, string containerNumber, int position);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Anomaly {Kind} ({Severity}) on {ContainerNumber} at event {EventId}.")]
    public static partial void AnomalyFound(this ILogger logger, string kind, string severity, string containerNumber, string eventId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Customs did not take event {EventId} of {ContainerNumber} (attempt {Attempt}): {Reason}; retrying in {Delay}.")]
    public static partial void DeliveryRetry(this ILogger logger, string eventId, string containerNumber, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Gave message {MessageId} of session {SessionId} back to the queue (delivery {DeliveryCount}): {Reason}.")]
    public static partial void Abandoned(this ILogger logger, string messageId, string sessionId, int deliveryCount, string reason);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "Delivered event {EventId} of {ContainerNumber} to customs.")]
    public static partial void Delivered(this ILogger logger, string eventId, string containerNumber);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Error, Message = "Processing message {MessageId} of session {SessionId} failed.")]
    public static partial void ProcessingFailed(this ILogger logger, Exception exception, string messageId, string sessionId);
}
