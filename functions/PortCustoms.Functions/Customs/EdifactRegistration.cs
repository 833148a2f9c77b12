using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Functions.Customs;

namespace PortCustoms.Functions;

/// <summary>EDIFACT in the app (issue 4): the CUSRES notification intake and the customs adapter's <c>edifact</c> format.</summary>
public static class EdifactRegistration
{
    public static IServiceCollection AddEdifact(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EdifactNotificationIntake>();
        services.AddOptions<EdifactFormatOptions>().BindConfiguration(EdifactFormatOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdifactFormatOptions>, EdifactFormatValidation>());
        // Selected with CustomsPlatform:Format = edifact, next to the gate path's json.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, EdifactCustomsMessageFormat>(sp =>
            new EdifactCustomsMessageFormat(sp.GetRequiredService<IOptions<EdifactFormatOptions>>().Value, sp.GetRequiredService<TimeProvider>())));
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
