using Microsoft.Extensions.Logging;

namespace PortCustoms.Functions;

/// <summary>The HTTP layer's logs: event ids 3250-3299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3250, Level = LogLevel.Warning, Message = "{FunctionName} refused: customs data is not processed here ({Reason}); answered 503.")]
    public static partial void CustomsDataRefusedHere(this ILogger logger, string functionName, string reason);
}
