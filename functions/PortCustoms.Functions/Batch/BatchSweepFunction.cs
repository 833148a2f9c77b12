using Microsoft.Azure.Functions.Worker;
using PortCustoms.Cloud.Batch;

namespace PortCustoms.Functions.Batch;

/// <summary>Every five minutes: files left in <c>inbound/</c> past the grace period are processed (<see cref="BatchInboundSweep"/>).</summary>
public sealed class BatchSweepFunction(BatchInboundSweep sweep)
{
    [Function("BatchInboundSweep")]
    public Task RunAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return sweep.SweepAsync(cancellationToken);
    }
}
