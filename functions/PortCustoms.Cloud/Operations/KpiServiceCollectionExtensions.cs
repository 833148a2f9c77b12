using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PortCustoms.Cloud.Operations;

public static class KpiServiceCollectionExtensions
{
    /// <summary>The KPI rows: the recorder that writes this instance's measurements, and the store <c>GET /api/v1/kpis</c> reads.</summary>
    public static IServiceCollection AddOperationsKpis(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.AddOptions<KpiOptions>()
            .BindConfiguration(KpiOptions.SectionName)
            .PostConfigure(options => options.InstanceId ??= configuration["WEBSITE_INSTANCE_ID"] is { Length: > 0 } id ? id[..Math.Min(id.Length, 16)] : null)
            .Validate(o => o.FlushInterval >= TimeSpan.FromSeconds(1) && o.FlushInterval <= TimeSpan.FromMinutes(1), $"{KpiOptions.SectionName}:FlushInterval must be between 1 s and 1 min.")
            .Validate(o => o.Retention >= TimeSpan.FromDays(1), $"{KpiOptions.SectionName}:Retention must be at least a day.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.TableName), $"{KpiOptions.SectionName}:TableName must not be empty.")
            .ValidateOnStart();
        services.AddSingleton(sp => new TableMetricMinuteStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<KpiOptions>>().Value.TableName));
        services.AddSingleton<KpiRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<KpiRecorder>());
        return services;
    }
}
