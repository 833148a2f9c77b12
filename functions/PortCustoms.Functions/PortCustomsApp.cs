using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Health;
using PortCustoms.Cloud.Operations;
using PortCustoms.Cloud.Security;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Residency;
using PortCustoms.Functions.Batch;
using PortCustoms.Functions.Events;
using PortCustoms.Functions.Reconciliation;

namespace PortCustoms.Functions;

/// <summary>The app's service registrations, shared by the Functions worker (Program.cs) and PortCustoms.LocalHost.</summary>
public static class PortCustomsApp
{
    public static IServiceCollection AddPortCustomsApp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        services.AddSingleton(TimeProvider.System);
        // Resolved lazily: a missing setting fails the first use with a clear message, never the 30 s start budget.
        services.AddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.AddSingleton(sp => sp.GetRequiredService<StorageConnection>().CreateTableServiceClient());
        services.AddSingleton(sp => sp.GetRequiredService<StorageConnection>().CreateBlobServiceClient());

        services.AddOptions<ResidencyOptions>()
            .BindConfiguration(ResidencyOptions.SectionName)
            .PostConfigure(options =>
            {
                // The infrastructure also writes the list as one comma-separated value; the binder reads only the indexed keys.
                var joined = configuration[$"{ResidencyOptions.SectionName}:{nameof(ResidencyOptions.AllowedRegions)}"];
                foreach (var region in (joined ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!options.AllowedRegions.Contains(region, StringComparer.OrdinalIgnoreCase))
                    {
                        options.AllowedRegions.Add(region);
                    }
                }
            })
            .Validate(
                options => ResidencyGuard.ValidateAtStart(options, configuration[ResidencyGuard.PlatformRegionVariable]).Count == 0,
                "Residency:AllowedRegions is not set while the app runs in Azure (REGION_NAME is set): refusing to start rather than allowing every region.")
            .ValidateOnStart();
        services.AddSingleton(sp => new ResidencyGuard(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ResidencyOptions>>(), configuration[ResidencyGuard.PlatformRegionVariable]));

        services.AddOptions<CallerCertificateOptions>().BindConfiguration(CallerCertificateOptions.SectionName);
        services.AddSingleton<CallerCertificateValidator>();

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<ResidencyHealthCheck>("residency")
            .AddCheck<ClientCertificateHealthCheck>("customsCertificate", timeout: TimeSpan.FromSeconds(5));

        services.AddPortCustomsTelemetry(configuration);
        services.AddGatePath();
        services.AddEdifact(configuration);
        services.AddContainerStatusEvents(configuration);
        services.AddReconciliation();
        services.AddBatchDrops(configuration);
        services.AddOperationsKpis(configuration);
        return services;
    }
}
