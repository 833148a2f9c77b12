using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PortCustoms.Cloud.Batch;

/// <summary>
/// The safety net under Event Grid: files left in <c>inbound/</c> longer than a grace period (an event that was
/// dead-lettered after its retries, a rename that raised no commit event, a function that was down) are processed as if
/// their event had come. The processor is idempotent (ledger, content claim), so a file whose event is merely late is
/// never processed twice; temporary upload names and files still within the grace period are left alone.
/// </summary>
public sealed partial class BatchInboundSweep(BatchLandingStorage landing, BatchDropProcessor processor, TimeProvider time, ILogger<BatchInboundSweep>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>How long a file may wait for its event before the sweep takes it.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Processes every overdue file; returns what was found and done. One file's failure does not stop the others.</summary>
    public async Task<IReadOnlyList<(string Broker, string Name, BatchDropResult? Result, string? Error)>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var inbound = landing.Client.GetBlobContainerClient(BatchDropProcessor.InboundContainer);
        var cutoff = time.GetUtcNow() - Grace;
        List<(string, string, BatchDropResult?, string?)> done = [];
        await foreach (var item in inbound.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
        {
            var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || item.Properties.LastModified is not { } modified || modified > cutoff || BatchDropProcessor.FinalNameOf(item.Name) is not null)
            {
                continue;
            }
            var (broker, name) = (item.Name[..slash], item.Name[(slash + 1)..]);
            try
            {
                var result = await processor.ProcessAsync(broker, name, cancellationToken).ConfigureAwait(false);
                LogSwept(_logger, broker, name, result.Status);
                done.Add((broker, name, result, null));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(_logger, broker, name, ex);
                done.Add((broker, name, null, ex.Message));
            }
        }
        return done;
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "Batch drop {Broker}/{Name} waited past the grace period for its event; processed by the sweep: {Status}.")]
    private static partial void LogSwept(ILogger logger, string broker, string name, BatchDropStatus status);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error, Message = "Batch drop {Broker}/{Name} could not be processed by the sweep; tried again at the next.")]
    private static partial void LogSweepFailed(ILogger logger, string broker, string name, Exception exception);
}
