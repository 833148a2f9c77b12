using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.LocalHost.Functions;

namespace PortCustoms.LocalHost.Timers;

/// <summary>
/// Fires <c>[TimerTrigger]</c> functions locally every <c>LocalHost:TimerInterval</c> (default one minute) instead of
/// on their CRON schedule: the app's timers decide in code what is due (e.g. the reconciliation batch window), so a
/// denser tick only makes them look more often. Zero turns local timers off.
/// </summary>
internal sealed partial class TimerTriggerPump(
    IReadOnlyList<FunctionDescriptor> functions,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<TimerTriggerPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("LocalHost:TimerInterval", TimeSpan.FromMinutes(1));
        var invokers = functions.Where(f => f.Trigger == TriggerKind.Timer).Select(f => new FunctionInvoker(f, new HashSet<string>())).ToList();
        if (invokers.Count == 0 || interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var invoker in invokers)
            {
                var scope = services.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    try
                    {
                        await invoker.InvokeAsync(new InvocationValues(scope.ServiceProvider, stoppingToken) { TriggerValue = new TimerInfo() }).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogTimerFailed(logger, invoker.Function.Name, ex);
                    }
                }
            }
        }
    }

    [LoggerMessage(EventId = 950, Level = LogLevel.Error, Message = "Timer function {Function} failed.")]
    private static partial void LogTimerFailed(ILogger logger, string function, Exception exception);
}
