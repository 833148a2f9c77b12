using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        services.AddContainerStatusEvents(configuration);
        return services;
    }
}
