using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Customs;

namespace PortCustoms.Functions;

/// <summary>EDIFACT in the app (issue 4): the CUSRES notification intake and the customs adapter's <c>edifact</c> format.</summary>
public static class EdifactRegistration
{
    /// <summary>Call before the status-event flow registers its JSON sink (that one is TryAdd).</summary>
    public static IServiceCollection AddEdifact(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CustomsNotificationIntake>();
        services.AddOptions<EdifactFormatOptions>().BindConfiguration(EdifactFormatOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdifactFormatOptions>, EdifactFormatValidation>());
        // Selected with CustomsPlatform:Format = edifact, next to the gate path's json.
        services.TryAddSingleton(sp => new EdifactCustomsMessageFormat(sp.GetRequiredService<IOptions<EdifactFormatOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, EdifactCustomsMessageFormat>(sp => sp.GetRequiredService<EdifactCustomsMessageFormat>()));
        // Status events follow the platform's format: EDIFACT platforms get CODECO/COARRI instead of JSON.
        if (string.Equals(configuration["CustomsPlatform:Format"], EdifactCustomsMessageFormat.FormatName, StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<CustomsEventSink, EdifactCustomsEventSink>();
        }
        return services;
    }

    private sealed class EdifactFormatValidation : IValidateOptions<EdifactFormatOptions>
    {
        public ValidateOptionsResult Validate(string? name, EdifactFormatOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
