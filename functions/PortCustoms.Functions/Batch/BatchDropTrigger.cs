using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Batch;
using PortCustoms.Core.Batch;

namespace PortCustoms.Functions.Batch;

/// <summary>
/// Batch files dropped over SFTP into <c>inbound/{broker}/{name}</c> on the landing account. Event Grid delivers only
/// SftpCommit (the infrastructure's filter), the processor refuses empty or missing blobs, and a WinSCP-style
/// <c>.filepart</c> commit is processed under the final name; everything else is <see cref="BatchDropProcessor"/>'s.
/// The name is what infra/bicep's Event Grid subscription targets (a test holds them together).
/// </summary>
public sealed partial class BatchDropTrigger(BatchDropProcessor processor, ILogger<BatchDropTrigger> logger)
{
    public const string FunctionName = "BatchDropTrigger";

    /// <summary>The landing account's connection: <c>LandingStorage__blobServiceUri</c> + managed identity in Azure.</summary>
    public const string ConnectionName = "LandingStorage";

    [Function(FunctionName)]
    public async Task RunAsync(
        [BlobTrigger("inbound/{broker}/{name}", Source = BlobTriggerSource.EventGrid, Connection = ConnectionName)] BlobClient blob,
        string broker,
        string name,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var result = await processor.ProcessAsync(broker, name, cancellationToken).ConfigureAwait(false);
        LogProcessed(logger, broker, name, result.Status, result.Drop?.Disposition ?? BatchDisposition.None, result.Drop?.Destination ?? result.Reason);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Batch drop {Broker}/{Name}: {Status}, {Disposition}, {Where}.")]
    private static partial void LogProcessed(ILogger logger, string broker, string name, BatchDropStatus status, BatchDisposition disposition, string? where);
}
