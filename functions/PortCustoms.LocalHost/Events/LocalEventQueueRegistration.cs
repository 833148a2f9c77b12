using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;

namespace PortCustoms.LocalHost.Events;

/// <summary>
/// LocalHost's status-event transport, keyed <see cref="EventQueueTransports.Local"/>: a durable session queue on the
/// app's storage (Azurite), used when no Service Bus is configured (there is no Service Bus emulator here). The worker
/// never registers it; its run mode requires Service Bus.
/// </summary>
public static class LocalEventQueueRegistration
{
    public static IServiceCollection AddLocalEventQueue(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TableSessionQueueOptions>().BindConfiguration(TableSessionQueueOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TableSessionQueueOptions>, TableSessionQueueOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TableSessionQueueOptions>>().Value;
            var bus = sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value;
            return new TableSessionQueue(
                sp.GetRequiredService<TableServiceClient>().GetTableClient(options.TableName),
                options.LockDuration,
                bus.MaxDeliveryCount,
                bus.DuplicateDetectionWindow,
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddKeyedSingleton<ContainerEventPublisher>(EventQueueTransports.Local, (sp, _) => new TableQueueContainerEventPublisher(sp.GetRequiredService<TableSessionQueue>()));
        services.TryAddKeyedSingleton<IHostedService>(EventQueueTransports.Local, (sp, _) =>
        {
            var handler = sp.GetRequiredService<ContainerEventMessageHandler>();
            return new TableSessionQueueConsumer(
                sp.GetRequiredService<TableSessionQueue>(),
                handler.HandleAsync,
                () => handler.MayProcess,
                sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value.MaxConcurrentSessions,
                sp.GetRequiredService<IOptions<TableSessionQueueOptions>>().Value.PollInterval,
                sp.GetRequiredService<ILogger<TableSessionQueueConsumer>>());
        });
        return services;
    }
}
