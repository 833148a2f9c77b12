using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Storage;
using Microsoft.Extensions.Hosting;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Residency;
using PortCustoms.Core.Time;
using PortCustoms.Core.Translation;

namespace PortCustoms.Functions.Batch;

/// <summary>
/// The batch-file flow (issue 13). The vessel-call document store and the discharge-list completion are resolved,
/// never registered here: manifest reconciliation (issue 14) provides them.
/// </summary>
public static class BatchRegistration
{
    public static IServiceCollection AddBatchDrops(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPartnerTimeZones();
        services.AddCodeLists();
        services.AddMessageVersions();
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BatchOptions>, BatchOptionsValidator>());
        // The landing account: LandingStorage (a connection string locally, identity-based settings in Azure), else
        // the app's own storage, which locally is the same Azurite.
        services.TryAddSingleton(_ => new BatchLandingStorage(LandingConnection(configuration).CreateBlobServiceClient()));
        services.TryAddSingleton(sp => new BatchLedger(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton(sp => new BatchFilePipeline(
            sp.GetRequiredService<IOptions<BatchOptions>>(),
            new EdifactTranslator(sp.GetRequiredService<IOptions<CustomsAuthorityOptions>>().Value, sp.GetRequiredService<TimeProvider>())
            {
                MaxIssuedAtSkew = sp.GetRequiredService<IOptionsMonitor<GateOptions>>().CurrentValue.MaxNotificationClockSkew,
                Clocks = sp.GetRequiredService<PartnerClocks>(),
                CodeLists = sp.GetRequiredService<PortCustoms.Core.CodeLists.CodeListService>(),
            },
            sp.GetRequiredService<ContainerEventPublisher>(),
            sp.GetRequiredService<CustomsNotificationService>(),
            sp.GetRequiredService<IVesselCallDocumentStore>(),
            sp.GetRequiredService<IDischargeListCompletion>(),
            sp.GetRequiredService<ResidencyGuard>())
        {
            // Per file, from the current settings: the HTTP intake's rule for events dated in the future.
            Versions = sp.GetRequiredService<PortCustoms.Core.Versions.MessageVersionPolicy>(),
            EventsNotAfter = () => sp.GetRequiredService<TimeProvider>().GetUtcNow() + sp.GetRequiredService<IOptionsMonitor<ContainerEventOptions>>().CurrentValue.MaxClockSkew,
            // A customs-channel broker's CUSRES must carry the authority's AUTACK when signatures are required.
            Signatures = sp.GetService<PortCustoms.Core.Customs.InboundSignatureVerifier>(),
        });
        // On host storage, never the landing account (which brokers reach over SFTP).
        services.TryAddSingleton(sp => new BatchBrokerLocks(sp.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>())
        {
            Wait = sp.GetRequiredService<IOptions<BatchOptions>>().Value.BrokerLockWait,
        });
        services.TryAddSingleton(sp => new BatchDropProcessor(
            sp.GetRequiredService<BatchLandingStorage>(),
            sp.GetRequiredService<BatchLedger>(),
            sp.GetRequiredService<BatchBrokerLocks>(),
            sp.GetRequiredService<BatchFilePipeline>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BatchDropProcessor>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new BatchInboundSweep(
            sp.GetRequiredService<BatchLandingStorage>(),
            sp.GetRequiredService<BatchDropProcessor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BatchInboundSweep>>())
        {
            Grace = sp.GetRequiredService<IOptions<BatchOptions>>().Value.SweepGrace,
        });
        // Azure: the landing account's Data Lake endpoint, where the broker folders' ACLs are set (Azurite has none).
        if (configuration[$"{BatchDropTrigger.ConnectionName}:dfsServiceUri"] is { Length: > 0 } dfs)
        {
            var landing = configuration.GetSection(BatchDropTrigger.ConnectionName);
            services.TryAddSingleton(sp => new LandingFolderAccess(
                LandingFolderAccess.CreatePipeline(AppCredential.Create(landing["credential"], landing["clientId"])),
                new Uri(dfs),
                sp.GetRequiredService<IOptionsMonitor<BatchOptions>>(),
                sp.GetRequiredService<ILogger<LandingFolderAccess>>()));
            services.AddHostedService<LandingFolderAccessService>();
            services.AddHealthChecks().AddCheck<LandingFolderAccess>("landingFolders");
        }
        return services;
    }

    internal static StorageConnection LandingConnection(IConfiguration configuration)
    {
        var landing = configuration.GetSection(BatchDropTrigger.ConnectionName);
        return !string.IsNullOrWhiteSpace(configuration[BatchDropTrigger.ConnectionName]) || landing["blobServiceUri"] is not null || landing["accountName"] is not null
            ? StorageConnection.FromConfiguration(configuration, BatchDropTrigger.ConnectionName)
            : StorageConnection.FromConfiguration(configuration);
    }
}
