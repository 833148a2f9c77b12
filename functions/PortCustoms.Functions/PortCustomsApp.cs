using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Health;
using PortCustoms.Cloud.Storage;
using PortCustoms.Functions.Events;

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

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(5));

        services.AddPortCustomsTelemetry(configuration);
        services.AddGatePath();
        services.AddEdifact();
        services.AddContainerStatusEvents(configuration);
        return services;
    }
}
