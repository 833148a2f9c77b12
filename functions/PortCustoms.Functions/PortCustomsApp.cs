using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud;
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
    /// <summary>
    /// The worker middleware Program.cs registers, in order, for LocalHost to run the same way around each HTTP function
    /// (a test holds Program.cs to this list).
    /// </summary>
    public static IReadOnlyList<Type> WorkerMiddleware { get; } = [typeof(Http.CallerAccessMiddleware), typeof(Http.ResidencyMiddleware)];

    /// <summary>
    /// Registers the whole app. The flows may be registered in any order: each registers what it owns idempotently and
    /// resolves implementations from validated options (keyed where there are several). <paramref name="runMode"/> is the
    /// caller's explicit statement of where the app runs: <see cref="RunMode.Azure"/> (the worker) refuses to start
    /// without Service Bus, identity-based storage and the residency settings, naming each; <see cref="RunMode.LocalHost"/>
    /// is accepted only in Development and off the platform, and registers no stand-in itself (LocalHost adds its queue).
    /// </summary>
    public static IServiceCollection AddPortCustomsApp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, RunMode runMode)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        services.TryAddSingleton(environment);
        services.AddOptions<RunModeOptions>().Configure(options => options.Mode = runMode).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunModeOptions>, RunModeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunModeOptions>, RunModeRequirements>());

        services.TryAddSingleton(TimeProvider.System);
        // Resolved lazily: a missing setting fails the first use with a clear message, never the 30 s start budget (the
        // run mode's requirements name it at start, without I/O).
        services.TryAddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageConnection>().CreateTableServiceClient());
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageConnection>().CreateBlobServiceClient());

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
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResidencyOptions>, ResidencyOptionsValidator>());
        services.TryAddSingleton(sp => new ResidencyGuard(sp.GetRequiredService<IOptions<ResidencyOptions>>(), configuration[ResidencyGuard.PlatformRegionVariable]));

        services.AddOptions<CallerCertificateOptions>().BindConfiguration(CallerCertificateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallerCertificateOptions>, CallerCertificateOptionsValidator>());
        services.TryAddSingleton<CallerCertificateValidator>();
        services.TryAddSingleton(_ => Http.CallerAccessPolicy.From(configuration, runMode));
        services.TryAddSingleton<Http.CallerResolver>();
        services.AddOptions<Http.RateLimitOptions>().BindConfiguration(Http.RateLimitOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Http.RateLimitOptions>, Http.RateLimitOptionsValidator>());
        services.TryAddSingleton<Http.CallerRateLimiter>();
        // Every JSON response is written for the caller's roles (ResponseProjection), in place of MVC's JSON formatter.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Microsoft.AspNetCore.Mvc.MvcOptions>, Http.ProjectingJsonFormatterSetup>());

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<ResidencyHealthCheck>("residency")
            .AddCheck<ClientCertificateHealthCheck>("customsCertificate", timeout: TimeSpan.FromSeconds(5));

        services.AddPortCustomsTelemetry(configuration);
        services.AddGatePath();
        services.AddEdifact();
        services.AddContainerStatusEvents();
        services.AddReconciliation();
        services.AddBatchDrops(configuration);
        services.AddOperationsKpis(configuration);
        return services;
    }
}
