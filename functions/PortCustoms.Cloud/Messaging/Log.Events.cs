using Microsoft.Extensions.Logging;

namespace PortCustoms.Cloud;

/// <summary>Status-event transport logs: event ids 5100-5199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Consuming status events from Service Bus queue {QueueName} ({MaxSessions} sessions at a time).")]
    public static partial void ConsumerStarted(this ILogger logger, string queueName, int maxSessions);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Stopped consuming status events from {QueueName}.")]
    public static partial void ConsumerStopped(this ILogger logger, string queueName);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Service Bus processor error ({ErrorSource}) on {EntityPath}.")]
    public static partial void ConsumerError(this ILogger logger, Exception exception, string errorSource, string entityPath);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "CustomsPlatform:BaseAddress is not set: status events are held on the queue until it is.")]
    public static partial void CustomsBaseAddressMissing(this ILogger logger);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Error, Message = "Not consuming status events from {QueueName}: customs data may not be processed in this region (see health 'residency').")]
    public static partial void ConsumerNotStarted(this ILogger logger, string queueName);
}
