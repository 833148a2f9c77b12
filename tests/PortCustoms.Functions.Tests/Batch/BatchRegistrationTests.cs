using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Batch;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Manifests;
using PortCustoms.Functions.Batch;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Batch;

/// <summary>The batch flow as the app registers it: the landing connection the infrastructure writes, and its options.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_landing_account_comes_from_the_identity_based_LandingStorage_settings_the_infrastructure_writes()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["LandingStorage:blobServiceUri"] = "https://stlanding.blob.core.windows.net",
            ["LandingStorage:credential"] = "managedidentity",
            ["LandingStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var landing = app.Services.GetRequiredService<BatchLandingStorage>();

        Assert.Equal("stlanding.blob.core.windows.net", landing.Client.Uri.Host);
    }

    [Fact]
    public void Without_LandingStorage_the_landing_account_is_the_apps_own_storage_as_locally()
    {
        using var app = FunctionApp.Create(azurite);

        Assert.Equal(azurite.BlobPort, app.Services.GetRequiredService<BatchLandingStorage>().Client.Uri.Port);
    }

    [Fact]
    public void Per_broker_options_bind_and_the_trigger_resolves_once_reconciliation_provides_the_store()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["Batch:Brokers:acme:Rejection"] = "Message",
            ["Batch:Brokers:acme:MaxFileSize"] = "1048576",
            ["Batch:Brokers:acme:AllowedMessageTypes:0"] = "CUSCAR",
        }, services =>
        {
            services.AddSingleton<IVesselCallDocumentStore>(new Core.Tests.Batch.Fixtures.RecordingDocumentStore());
            services.AddSingleton<IDischargeListCompletion>(new Core.Tests.Batch.Fixtures.RecordingCompletion());
        });

        var options = app.Services.GetRequiredService<IOptions<BatchOptions>>().Value;
        Assert.Equal(BatchRejection.Message, options.For("ACME").Rejection);
        Assert.Equal(1048576, options.For("acme").MaxFileSize);
        Assert.False(options.For("acme").AllowsMessageType("CODECO"));
        Assert.Equal(BatchBrokerOptions.DefaultMaxFileSize, options.For("other").MaxFileSize);
        Assert.NotNull(app.Function<BatchDropTrigger>());
    }

    [Fact]
    public void An_invalid_batch_setting_stops_the_start_with_its_name()
    {
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => FunctionApp.Create(azurite, new Dictionary<string, string?> { ["Batch:FindingsPerCode"] = "0" }));

        Assert.Contains("Batch:FindingsPerCode", ex.Message, StringComparison.Ordinal);
    }
}
