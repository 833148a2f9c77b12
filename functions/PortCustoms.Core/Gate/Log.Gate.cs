using Microsoft.Extensions.Logging;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Core;

/// <summary>Source-generated logs of PortCustoms.Core. Partial per area; the gate path uses event ids 3000-3099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Gate {GateTransactionId} at {Terminal}: {ContainerNumber} {Decision} from {Source} ({Rule}).")]
    public static partial void GateDecided(this ILogger logger, string gateTransactionId, string terminal, ContainerNumber containerNumber, GateDecision decision, DecisionSource source, DecisionRule rule);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Gate {GateTransactionId} at {Terminal} repeated: the first answer {DecisionId} is returned again.")]
    public static partial void GateRepeated(this ILogger logger, string gateTransactionId, string terminal, string decisionId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Gate {GateTransactionId} at {Terminal} was first asked for {FirstContainerNumber}, now for {ContainerNumber}.")]
    public static partial void GateTransactionConflict(this ILogger logger, string gateTransactionId, string terminal, ContainerNumber firstContainerNumber, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Customs status of {ContainerNumber} could not be read from the store.")]
    public static partial void StateReadFailed(this ILogger logger, Exception exception, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Live customs query for {ContainerNumber} failed: {Outcome} after {ElapsedMs} ms; answering HOLD.")]
    public static partial void LiveQueryFailed(this ILogger logger, ContainerNumber containerNumber, CustomsLiveQueryOutcome outcome, long elapsedMs);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Live customs query for {ContainerNumber} threw; answering HOLD.")]
    public static partial void LiveQueryThrew(this ILogger logger, Exception exception, ContainerNumber containerNumber);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Customs notification {NotificationId} for {ContainerNumber} ({Status}): {Outcome}.")]
    public static partial void NotificationReceived(this ILogger logger, string notificationId, ContainerNumber containerNumber, CustomsStatus status, NotificationOutcome outcome);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Customs notification {NotificationId} for {ContainerNumber} ({Status}, issued {IssuedAt}) reuses a stored id with other content: refused as a conflict; the stored one stands.")]
    public static partial void NotificationConflict(this ILogger logger, string notificationId, ContainerNumber containerNumber, CustomsStatus status, DateTimeOffset issuedAt);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Customs notification {NotificationId} for {ContainerNumber} ({Status}) has an issue time without a time zone, read as UTC: it can hold but never release.")]
    public static partial void NotificationWithoutTimeZone(this ILogger logger, string notificationId, ContainerNumber containerNumber, CustomsStatus status);
}
