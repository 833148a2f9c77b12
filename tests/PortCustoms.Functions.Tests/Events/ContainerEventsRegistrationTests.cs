using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Functions.Events;
using PortCustoms.LocalHost.Events;

namespace PortCustoms.Functions.Tests.Events;

public sealed class ContainerEventsRegistrationTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        extra?.Invoke(services);
        services.AddContainerStatusEvents();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static IHostedService SelectedConsumer(ServiceProvider provider) =>
        Assert.Single(provider.GetServices<IHostedService>().OfType<ContainerEventConsumerSelection>()).Selected;

    [Fact]
    public async Task AddContainerStatusEvents_NoServiceBusConfigured_UsesTheLocalQueueLocalHostRegisters()
    {
        await using var provider = Build(new() { ["AzureWebJobsStorage"] = Azurite }, services => services.AddLocalEventQueue());
        Assert.IsType<TableQueueContainerEventPublisher>(Assert.IsType<PendingTrackingPublisher>(provider.GetRequiredService<ContainerEventPublisher>()).Inner);
        Assert.IsType<TableSessionQueueConsumer>(SelectedConsumer(provider));
        Assert.IsType<TableContainerTimelineStore>(provider.GetRequiredService<ContainerTimelineStore>());
        Assert.NotNull(provider.GetRequiredService<ContainerTimelineService>());
    }

    [Fact]
    public async Task AddContainerStatusEvents_NoServiceBusAndNoLocalQueue_FailsNamingTheTransport()
    {
        // The worker's registrations carry no stand-in: without Service Bus there is nothing to fall back to.
        await using var provider = Build(new() { ["AzureWebJobsStorage"] = Azurite });
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ContainerEventPublisher>());
        Assert.Contains(EventQueueTransports.Local, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddContainerStatusEvents_LocalQueueRegisteredAfterTheFlow_IsUsedAllTheSame()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddContainerStatusEvents();
        services.AddLocalEventQueue();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.IsType<TableQueueContainerEventPublisher>(Assert.IsType<PendingTrackingPublisher>(provider.GetRequiredService<ContainerEventPublisher>()).Inner);
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
        }, services => services.AddLocalEventQueue());
        Assert.IsType<ServiceBusContainerEventPublisher>(Assert.IsType<PendingTrackingPublisher>(provider.GetRequiredService<ContainerEventPublisher>()).Inner);
        Assert.IsType<ServiceBusContainerEventConsumer>(SelectedConsumer(provider));
        Assert.Equal("container-status-events", provider.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusSender>().EntityPath);
        Assert.IsType<TableContainerTimelineStore>(provider.GetRequiredService<ContainerTimelineStore>());
    }

    [Theory]
    [InlineData("json", typeof(HttpCustomsEventSink))]
    [InlineData("EDIFACT", typeof(EdifactCustomsEventSink))]
    public async Task CustomsEventSink_FollowsTheConfiguredFormat_WhicheverFlowRegisteredFirst(string format, Type expected)
    {
        foreach (var edifactFirst in new[] { true, false })
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = Azurite,
                ["CustomsPlatform:Format"] = format,
            }).Build();
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<IConfiguration>(configuration);
            if (edifactFirst)
            {
                services.AddEdifact();
            }
            services.AddContainerStatusEvents();
            if (!edifactFirst)
            {
                services.AddEdifact();
            }
            await using var provider = services.BuildServiceProvider();
            Assert.IsType(expected, Assert.IsType<PendingTrackingSink>(provider.GetRequiredService<CustomsEventSink>()).Inner);
        }
    }
}
