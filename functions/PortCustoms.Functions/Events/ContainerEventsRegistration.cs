using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Cloud.Events;

namespace PortCustoms.Functions.Events;

/// <summary>The status-event flow (issue 5) in the app: called once from <see cref="PortCustomsApp"/>.</summary>
public static class ContainerEventsRegistration
{
    public static IServiceCollection AddContainerStatusEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddContainerStatusEventsCloud(configuration);
        return services;
    }
}
