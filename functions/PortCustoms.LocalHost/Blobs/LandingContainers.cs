using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud.Batch;
using PortCustoms.Functions.Batch;

namespace PortCustoms.LocalHost.Blobs;

/// <summary>
/// Locally, Azurite is the SFTP landing account: the containers that infra/bicep's landingStorage module creates in
/// Azure (inbound, processed, quarantine, outbound) are created at start, on the <c>LandingStorage</c> connection when
/// one is set, else on the app's storage.
/// </summary>
internal sealed class LandingContainers(IConfiguration configuration) : IHostedService
{
    public static IReadOnlyList<string> Names { get; } =
        [BatchDropProcessor.InboundContainer, BatchDropProcessor.ProcessedContainer, BatchDropProcessor.QuarantineContainer, BatchDropProcessor.OutboundContainer];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var client = new BlobServiceClient(BlobTriggerPump.ResolveConnection(configuration, BatchDropTrigger.ConnectionName));
        foreach (var name in Names)
        {
            await client.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
