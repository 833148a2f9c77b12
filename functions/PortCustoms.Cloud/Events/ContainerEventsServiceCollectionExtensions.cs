using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Cloud.Storage;
using Polly;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>Where container timelines are stored (section <c>ContainerEvents:TimelineStore</c>).</summary>
public sealed class ContainerTimelineStoreOptions
{
    public const string SectionName = "ContainerEvents:TimelineStore";

    public string TableName { get; set; } = TableContainerTimelineStore.DefaultTableName;

    /// <summary>In Azure: <c>https://{account}.table.core.windows.net</c>, with managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Local use (Azurite). When nothing is set, the app's <c>AzureWebJobsStorage</c> connection is used (<see cref="StorageConnection"/>).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The status-event flow's Cloud registrations: queue transport, timeline store, customs sink.</summary>
public static class ContainerEventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything the flow needs. The transport is chosen from <c>ServiceBus</c>: a namespace or a connection
    /// string selects Service Bus (sender + hosted session processor); neither selects the embedded session queue.
    /// </summary>
    public static IServiceCollection AddContainerStatusEventsCloud(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ContainerEventOptions>().BindConfiguration(ContainerEventOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainerEventOptions>, ContainerEventOptionsValidator>());
        services.AddOptions<ServiceBusEventQueueOptions>().BindConfiguration(ServiceBusEventQueueOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusEventQueueOptions>, ServiceBusEventQueueOptionsValidator>());
        services.AddOptions<CustomsEventSinkOptions>().BindConfiguration(CustomsEventSinkOptions.SectionName);
        services.AddOptions<ContainerTimelineStoreOptions>().BindConfiguration(ContainerTimelineStoreOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ContainerEventMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ICustomsReleaseLookup>(UnknownCustomsReleaseLookup.Instance);
        services.TryAddSingleton<ContainerTimelineStore>(sp => CreateTimelineStore(sp, configuration));
        services.TryAddSingleton<ContainerEventMessageHandler>();
        services.TryAddSingleton<ContainerEventIntake>();
        services.TryAddSingleton<ContainerTimelineService>();

        // One attempt's timeout only: the message handler owns retries (held session, back-off), so the pipeline
        // must not multiply them.
        static void AttemptTimeout(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context) =>
            builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<CustomsEventSinkOptions>>().Value.StatusEventAttemptTimeout);
        if (services.Any(d => d.ServiceType == typeof(ClientCertificateProvider)))
        {
            // The gate path's customs platform adapter is registered: same base address and mutual TLS as its live query.
            services.AddCustomsPlatformHttpClient(HttpCustomsEventSink.HttpClientName, AttemptTimeout);
        }
        else
        {
            services.AddHttpClient(HttpCustomsEventSink.HttpClientName).AddResilienceHandler("customs-status-events", AttemptTimeout);
        }
        services.TryAddSingleton<CustomsEventSink, HttpCustomsEventSink>();

        var queue = configuration.GetSection(ServiceBusEventQueueOptions.SectionName).Get<ServiceBusEventQueueOptions>() ?? new ServiceBusEventQueueOptions();
        if (queue.UsesServiceBus)
        {
            services.TryAddSingleton(sp => CreateServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value));
            services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
                .CreateSender(sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value.QueueName));
            services.TryAddSingleton<ContainerEventPublisher, ServiceBusContainerEventPublisher>();
            services.AddHostedService<ServiceBusContainerEventConsumer>();
        }
        else
        {
            services.TryAddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value;
                return new EmbeddedSessionQueue(options.MaxDeliveryCount, options.DuplicateDetectionWindow, sp.GetRequiredService<TimeProvider>());
            });
            services.TryAddSingleton<ContainerEventPublisher, EmbeddedQueueContainerEventPublisher>();
            services.AddHostedService<EmbeddedSessionQueueConsumer>();
        }
        return services;
    }

    public static ServiceBusClient CreateServiceBusClient(ServiceBusEventQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new ServiceBusClientOptions();
        if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
        {
            var credential = string.Equals(options.Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
                ? new ManagedIdentityCredential(options.ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(options.ClientId))
                : (Azure.Core.TokenCredential)Credential(options.ClientId);
            return new ServiceBusClient(options.FullyQualifiedNamespace, credential, clientOptions);
        }
        return new ServiceBusClient(options.ConnectionString, clientOptions);
    }

    private static ContainerTimelineStore CreateTimelineStore(IServiceProvider services, IConfiguration configuration)
    {
        var options = services.GetRequiredService<IOptions<ContainerTimelineStoreOptions>>().Value;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("PortCustoms.Cloud.Events") ?? NullLogger.Instance;
        TableServiceClient? client = null;
        if (options.TableServiceUri is not null)
        {
            client = new TableServiceClient(options.TableServiceUri, Credential(options.ClientId));
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            client = new TableServiceClient(options.ConnectionString);
        }
        else if (!string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]) || configuration.GetSection("AzureWebJobsStorage").GetChildren().Any())
        {
            // The app's storage, named and authenticated as every other store of the app (identity in Azure, Azurite locally).
            client = services.GetService<StorageConnection>()?.CreateTableServiceClient()
                ?? StorageConnection.FromConfiguration(configuration).CreateTableServiceClient();
        }
        if (client is null)
        {
            logger.TimelinesInMemory();
            return new InMemoryContainerTimelineStore();
        }
        return new TableContainerTimelineStore(client.GetTableClient(options.TableName));
    }

    private static DefaultAzureCredential Credential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
