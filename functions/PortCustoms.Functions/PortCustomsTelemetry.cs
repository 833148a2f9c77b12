using System.Diagnostics.Metrics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PortCustoms.Functions;

/// <summary>OpenTelemetry for the app's own meters and activity sources; exported to Application Insights only when configured.</summary>
public static class PortCustomsTelemetry
{
    /// <summary>Every meter and activity source of the app is named under this prefix.</summary>
    public const string Prefix = "PortCustoms";

    public static IOpenTelemetryBuilder AddPortCustomsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(Prefix + ".*"))
            .WithTracing(tracing => tracing.AddSource(Prefix + ".*"));
        // The provider listens to meters by name, process-wide: only those this app's IMeterFactory created are its own
        // (another host in the process, a test's, or a stray new Meter would otherwise be counted as this app's).
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ownMeters = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Name.StartsWith(Prefix, StringComparison.Ordinal) && !ReferenceEquals(instrument.Meter.Scope, ownMeters)
                ? MetricStreamConfiguration.Drop
                : null);
        });
        var connectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                // Local auth is disabled on the Application Insights resource: export with the app's managed identity.
                var clientId = configuration["AZURE_CLIENT_ID"];
                if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]))
                {
                    options.Credential = new Azure.Identity.ManagedIdentityCredential(
                        clientId is null ? Azure.Identity.ManagedIdentityId.SystemAssigned : Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }
        return builder;
    }
}
