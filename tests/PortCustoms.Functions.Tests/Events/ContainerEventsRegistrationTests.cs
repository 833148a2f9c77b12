using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Functions.Events;

namespace PortCustoms.Functions.Tests.Events;

public sealed class ContainerEventsRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddContainerStatusEvents(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddContainerStatusEvents_NoServiceBusConfigured_UsesTheEmbeddedQueue()
    {
        await using var provider = Build([]);
        Assert.IsType<EmbeddedQueueContainerEventPublisher>(provider.GetRequiredService<ContainerEventPublisher>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is EmbeddedSessionQueueConsumer);
        Assert.IsType<InMemoryContainerTimelineStore>(provider.GetRequiredService<ContainerTimelineStore>());
        Assert.NotNull(provider.GetRequiredService<ContainerTimelineService>());
    }

    [Fact]
    public async Task AddContainerStatusEvents_NamespaceConfigured_UsesServiceBusWithTheQueueName()
    {
        await using var provider = Build(new()
        {
            ["ServiceBus:fullyQualifiedNamespace"] = "sb-portcustoms-test.servicebus.windows.net",
            ["ServiceBus:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["ServiceBus:credential"] = "managedidentity",
            ["AzureWebJobsStorage:accountName"] = "stportcustomstest",
        });
        Assert.IsType<ServiceBusContainerEventPublisher>(provider.GetRequiredService<ContainerEventPublisher>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is ServiceBusContainerEventConsumer);
        Assert.Null(provider.GetService<EmbeddedSessionQueue>());
        Assert.Equal("container-status-events", provider.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusSender>().EntityPath);
        Assert.IsType<TableContainerTimelineStore>(provider.GetRequiredService<ContainerTimelineStore>());
    }
}
