using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;

namespace PortCustoms.Functions.Events;

/// <summary>The status-event flow (issue 5) in the app: called once from <see cref="PortCustomsApp"/>.</summary>
public static class ContainerEventsRegistration
{
    public static IServiceCollection AddContainerStatusEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // The gate path's customs state answers the release rules when it is registered (AddGatePath); else unknown.
        services.TryAddSingleton<ICustomsReleaseLookup>(sp => sp.GetService<CustomsStateStore>() is { } store
            ? new CustomsStateReleaseLookup(store)
            : UnknownCustomsReleaseLookup.Instance);
        services.AddContainerStatusEventsCloud(configuration);
        return services;
    }
}
