using Microsoft.Extensions.Logging;

namespace PortCustoms.Functions;

/// <summary>The HTTP layer's logs: event ids 3250-3299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3250, Level = LogLevel.Warning, Message = "{FunctionName} refused: customs data is not processed here ({Reason}); answered 503.")]
    public static partial void CustomsDataRefusedHere(this ILogger logger, string functionName, string reason);

    [LoggerMessage(EventId = 3251, Level = LogLevel.Warning, Message = "{FunctionName} refused: caller {Reason}; answered {Status}.")]
    public static partial void CallerRefused(this ILogger logger, string functionName, string reason, int status);

    [LoggerMessage(EventId = 3252, Level = LogLevel.Warning, Message = "{FunctionName} refused: the caller exceeded the rate of group {RateGroup}; answered 429.")]
    public static partial void CallerRateLimited(this ILogger logger, string functionName, string rateGroup);
}
