using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Reconciliation;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Functions.Reconciliation;

public static class ReconciliationRegistration
{
    /// <summary>The vessel-call document store (shared with batch drops), the run's blobs, the starter and metrics.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>());
        services.AddSingleton(sp => new BlobVesselCallDocumentStore(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobVesselCallDocumentStore.DefaultContainerName), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IVesselCallDocumentStore>(sp => sp.GetRequiredService<BlobVesselCallDocumentStore>());
        services.AddSingleton<IVesselCallCatalog>(sp => sp.GetRequiredService<BlobVesselCallDocumentStore>());
        services.AddSingleton<IReconciliationBlobs>(sp => new BlobReconciliationBlobs(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobReconciliationBlobs.DefaultContainerName)));
        services.AddSingleton(sp => new BlobPendingReconciliations(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobReconciliationBlobs.DefaultContainerName)));
        services.AddSingleton<IDischargeListCompletion>(sp => sp.GetRequiredService<BlobPendingReconciliations>());
        // Size-types are matched with the deployment's lists (overrides).
        PortCustoms.Cloud.Gate.GatePathServiceCollectionExtensions.AddCodeLists(services);
        services.AddSingleton<ReconciliationSteps>();
        services.AddSingleton<ReconciliationStarter>();
        services.AddMetrics();
        services.AddSingleton<ReconciliationMetrics>();
        return services;
    }
}
