using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;

namespace PortCustoms.Functions.Events;

/// <summary>The status-event flow (issue 5) in the app: called once from <see cref="PortCustomsApp"/>.</summary>
public static class ContainerEventsRegistration
{
    public static IServiceCollection AddContainerStatusEvents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The release rules read the gate path's customs state: the same Table store, registered idempotently here too.
        services.AddGateTableStores();
        services.TryAddSingleton<ICustomsReleaseLookup>(sp => new CustomsStateReleaseLookup(sp.GetRequiredService<CustomsStateStore>()));
        services.AddContainerStatusEventsCloud();
        return services;
    }
}
