using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Batch;
using PortCustoms.Functions.Batch;

namespace PortCustoms.LocalHost.Blobs;

/// <summary>
/// Locally, Azurite is the SFTP landing account: the containers that infra/bicep's landingStorage module creates in
/// Azure (inbound, processed, quarantine, outbound) are created at start, on the <c>LandingStorage</c> connection when
/// one is set, else on the app's storage. Storage that is down does not stop the start (health reports it); the
/// blob feed creates its container again when it polls.
/// </summary>
internal sealed partial class LandingContainers(IConfiguration configuration, ILogger<LandingContainers> logger) : IHostedService
{
    public static IReadOnlyList<string> Names { get; } =
        [BatchDropProcessor.InboundContainer, BatchDropProcessor.ProcessedContainer, BatchDropProcessor.QuarantineContainer, BatchDropProcessor.OutboundContainer];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // One attempt each: a start must not wait out the SDK's retries against storage that is not there.
        var options = new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        var client = new BlobServiceClient(BlobTriggerPump.ResolveConnection(configuration, BatchDropTrigger.ConnectionName), options);
        try
        {
            foreach (var name in Names)
            {
                await client.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogNotCreated(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9110, Level = LogLevel.Warning, Message = "The landing containers could not be created (storage unreachable); batch drops wait for storage.")]
    private static partial void LogNotCreated(ILogger logger, Exception exception);
}
