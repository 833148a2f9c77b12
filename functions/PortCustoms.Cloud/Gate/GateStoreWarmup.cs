using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;

namespace PortCustoms.Cloud.Gate;

/// <summary>
/// Warms the gate's Table Storage at start, in the background: creates the tables, opens a connection and (in Azure)
/// fetches the managed identity token. The gate cuts each storage operation at Gate:StoreTimeout (250 ms), which a
/// first request that also had to do all this could miss, answering "customs status unavailable" for nothing.
/// Failures only log: the gate path handles a store that is down on its own.
/// </summary>
public sealed partial class GateStoreWarmup(CustomsStateStore states, GateDecisionStore decisions, ILogger<GateStoreWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            if (states is TableCustomsStateStore tableStates)
            {
                await tableStates.WarmUpAsync(timeout.Token).ConfigureAwait(false);
            }
            if (decisions is TableGateDecisionStore tableDecisions)
            {
                await tableDecisions.WarmUpAsync(timeout.Token).ConfigureAwait(false);
            }
            LogWarm(logger);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogNotWarm(logger, ex);
        }
    }

    [LoggerMessage(EventId = 3050, Level = LogLevel.Debug, Message = "Gate storage warmed up.")]
    private static partial void LogWarm(ILogger logger);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Warning, Message = "Gate storage could not be warmed up at start; the first gate answers may report the customs status unavailable.")]
    private static partial void LogNotWarm(ILogger logger, Exception exception);
}
