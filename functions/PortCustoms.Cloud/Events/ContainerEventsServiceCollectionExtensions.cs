using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Cloud.Storage;
using Polly;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>Where container timelines are stored (section <c>ContainerEvents:TimelineStore</c>).</summary>
public sealed class ContainerTimelineStoreOptions
{
    public const string SectionName = "ContainerEvents:TimelineStore";

    /// <summary>A Table Storage table name: a letter, then letters and digits, 3 to 63 characters.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = TableContainerTimelineStore.DefaultTableName;

    /// <summary>In Azure: <c>https://{account}.table.core.windows.net</c>, with managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Local use (Azurite). When nothing is set, the app's <c>AzureWebJobsStorage</c> connection is used (<see cref="StorageConnection"/>).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Validates <see cref="ContainerTimelineStoreOptions"/> at start (source-generated from its data annotations).</summary>
[OptionsValidator]
public sealed partial class ContainerTimelineStoreOptionsValidator : IValidateOptions<ContainerTimelineStoreOptions>
{
}

/// <summary>
/// The hosted consumer of the selected transport, resolved when the host starts its services (after the start-up
/// validation): the keyed consumers themselves are not hosted services, so only the selected one runs.
/// </summary>
public sealed class ContainerEventConsumerSelection(IHostedService selected) : IHostedService
{
    /// <summary>The consumer of the selected transport.</summary>
    public IHostedService Selected => selected;

    public Task StartAsync(CancellationToken cancellationToken) => selected.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => selected.StopAsync(cancellationToken);
}

/// <summary>The status-event flow's Cloud registrations: queue transport, timeline store, customs sink.</summary>
public static class ContainerEventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything the flow needs, in any order with the other flows. The transport is chosen at resolution
    /// from the validated <see cref="ServiceBusEventQueueOptions.Transport"/>: Service Bus (sender + hosted session
    /// processor, keyed <see cref="EventQueueTransports.ServiceBus"/>) when a namespace is set, else the
    /// <see cref="EventQueueTransports.Local"/> transport, which only LocalHost registers (the worker's run mode requires
    /// Service Bus). The customs sink is chosen the same way from <c>CustomsPlatform:Format</c>: each format registers its
    /// sink under its name.
    /// </summary>
    public static IServiceCollection AddContainerStatusEventsCloud(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The intake and the sinks read the deployment's code lists (overrides), not the shipped ones.
        PortCustoms.Cloud.Gate.GatePathServiceCollectionExtensions.AddCodeLists(services);

        services.AddOptions<ContainerEventOptions>().BindConfiguration(ContainerEventOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainerEventOptions>, ContainerEventOptionsValidator>());
        services.AddOptions<ServiceBusEventQueueOptions>().BindConfiguration(ServiceBusEventQueueOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusEventQueueOptions>, ServiceBusEventQueueOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusEventQueueOptions>, ServiceBusLockRenewalValidation>());
        services.AddOptions<CustomsEventSinkOptions>().BindConfiguration(CustomsEventSinkOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomsEventSinkOptions>, CustomsEventSinkOptionsValidator>());
        services.AddOptions<ContainerTimelineStoreOptions>().BindConfiguration(ContainerTimelineStoreOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainerTimelineStoreOptions>, ContainerTimelineStoreOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ContainerEventMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ContainerTimelineStore>(CreateTimelineStore);
        services.TryAddSingleton<ContainerEventMessageHandler>();
        services.TryAddSingleton<ContainerEventIntake>();
        services.TryAddSingleton<ContainerTimelineService>();

        // The customs platform adapter's connection (options, formats, Key Vault certificate): the same base address and
        // mutual TLS as the gate's live query. One attempt's timeout only: the message handler owns retries (held
        // session, back-off), so the pipeline must not multiply them.
        services.AddCustomsPlatformConnection();
        services.AddCustomsPlatformHttpClient(HttpCustomsEventSink.HttpClientName, static (builder, context) =>
            builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<CustomsEventSinkOptions>>().Value.StatusEventAttemptTimeout));
        services.TryAddKeyedSingleton<CustomsEventSink, HttpCustomsEventSink>(JsonCustomsMessageFormat.FormatName);
        // What waits for customs, per container (the container view, the queue gauges, the KPIs): the selected sink
        // and transport are wrapped so every acceptance and every delivery outcome is recorded.
        services.TryAddSingleton<PendingDeliveryStore>(sp => new TablePendingDeliveryStore(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<CustomsEventSink>(sp => new PendingTrackingSink(
            sp.GetRequiredKeyedService<CustomsEventSink>(sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value.Format.ToLowerInvariant()),
            sp.GetRequiredService<PendingDeliveryStore>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<PendingDeliveryMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingDeliveryMetrics>());

        services.TryAddSingleton(sp => CreateServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value));
        services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
            .CreateSender(sp.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value.QueueName));
        services.TryAddKeyedSingleton<ContainerEventPublisher, ServiceBusContainerEventPublisher>(EventQueueTransports.ServiceBus);
        services.TryAddKeyedSingleton<IHostedService, ServiceBusContainerEventConsumer>(EventQueueTransports.ServiceBus);
        services.TryAddSingleton<ContainerEventPublisher>(sp => new PendingTrackingPublisher(
            Selected<ContainerEventPublisher>(sp), sp.GetRequiredService<PendingDeliveryStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ContainerEventConsumerSelection>(
            sp => new ContainerEventConsumerSelection(Selected<IHostedService>(sp))));
        return services;
    }

    private static T Selected<T>(IServiceProvider services)
        where T : class
    {
        var transport = services.GetRequiredService<IOptions<ServiceBusEventQueueOptions>>().Value.Transport;
        return services.GetKeyedService<T>(transport) ?? throw new InvalidOperationException(
            $"No status-event transport '{transport}' is registered: set ServiceBus:FullyQualifiedNamespace (app setting ServiceBus__fullyQualifiedNamespace; the worker requires it), or run on LocalHost, which registers its '{EventQueueTransports.Local}' queue.");
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

    /// <summary>
    /// Table Storage, always: <c>ContainerEvents:TimelineStore:TableServiceUri</c> (identity) or <c>:ConnectionString</c>
    /// (local), else the app's own storage (<c>AzureWebJobsStorage</c>), which fails naming the setting when it is not
    /// configured. There is no in-memory fallback here; tests that want one register it themselves.
    /// </summary>
    private static ContainerTimelineStore CreateTimelineStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ContainerTimelineStoreOptions>>().Value;
        var client = options.TableServiceUri is not null
            ? new TableServiceClient(options.TableServiceUri, Credential(options.ClientId))
            : !string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new TableServiceClient(options.ConnectionString)
                : services.GetRequiredService<TableServiceClient>();
        return new TableContainerTimelineStore(client.GetTableClient(options.TableName));
    }

    private static DefaultAzureCredential Credential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
