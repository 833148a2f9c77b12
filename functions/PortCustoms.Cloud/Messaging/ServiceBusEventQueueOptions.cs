using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// The status-event queue (section <c>ServiceBus</c>). In Azure set <see cref="FullyQualifiedNamespace"/> (identity:
/// DefaultAzureCredential, with <see cref="ClientId"/> for a user-assigned managed identity); <see cref="ConnectionString"/>
/// is for local use only (refused in Azure). With neither, the app uses the <c>local</c> transport, which only LocalHost
/// registers (its durable queue in Azurite); the worker's run mode requires a namespace.
/// </summary>
public sealed class ServiceBusEventQueueOptions : IValidatableObject
{
    public const string SectionName = "ServiceBus";

    public string QueueName { get; set; } = "container-status-events";

    /// <summary>e.g. <c>sb-portcustoms-prod.servicebus.windows.net</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Client id of the user-assigned managed identity, when the app has one.</summary>
    public string? ClientId { get; set; }

    /// <summary><c>managedidentity</c> (what the infrastructure writes): that identity only; else DefaultAzureCredential.</summary>
    public string? Credential { get; set; }

    /// <summary>Local use only (shared keys are not allowed in Azure).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Containers processed in parallel; each container still one message at a time.</summary>
    public int MaxConcurrentSessions { get; set; } = 8;

    /// <summary>How long to wait on an idle session before moving to another container.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the processor keeps renewing a session's lock while one message is being handled. Must exceed the worst
    /// processing time: <c>ContainerEvents:MaxHoldDuration</c> (30 min by default) plus a margin.
    /// </summary>
    public TimeSpan MaxAutoLockRenewalDuration { get; set; } = TimeSpan.FromMinutes(40);

    /// <summary>LocalHost's queue only: resends with the same message id inside this window are dropped (Service Bus's default is 10 min).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>LocalHost's queue only: deliveries before the queue itself dead-letters (Service Bus: the queue's maxDeliveryCount).</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    public bool UsesServiceBus => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// The transport these options select, the key of its keyed <c>ContainerEventPublisher</c> and consumer:
    /// <see cref="EventQueueTransports.ServiceBus"/> when a namespace or connection string is set, else
    /// <see cref="EventQueueTransports.Local"/> (which only LocalHost registers).
    /// </summary>
    public string Transport => UsesServiceBus ? EventQueueTransports.ServiceBus : EventQueueTransports.Local;

    /// <summary>The rules of this section alone, for the source-generated validator.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(QueueName)) yield return new ValidationResult("ServiceBus:QueueName is required.");
        if (MaxConcurrentSessions is < 1 or > 256) yield return new ValidationResult("ServiceBus:MaxConcurrentSessions must be 1..256.");
        if (SessionIdleTimeout <= TimeSpan.Zero) yield return new ValidationResult("ServiceBus:SessionIdleTimeout must be positive.");
        if (MaxAutoLockRenewalDuration <= TimeSpan.Zero) yield return new ValidationResult("ServiceBus:MaxAutoLockRenewalDuration must be positive.");
        if (MaxDeliveryCount < 1) yield return new ValidationResult("ServiceBus:MaxDeliveryCount must be at least 1.");
        if (DuplicateDetectionWindow <= TimeSpan.Zero) yield return new ValidationResult("ServiceBus:DuplicateDetectionWindow must be positive.");
    }
}

/// <summary>The keys of the status-event transports (keyed services).</summary>
public static class EventQueueTransports
{
    public const string ServiceBus = "servicebus";

    /// <summary>LocalHost's durable session queue on Azurite; never registered by the worker.</summary>
    public const string Local = "local";
}

/// <summary>Validates <see cref="ServiceBusEventQueueOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class ServiceBusEventQueueOptionsValidator : IValidateOptions<ServiceBusEventQueueOptions>
{
}

/// <summary>
/// The one rule across sections: a handler holding its session for customs (<c>ContainerEvents:MaxHoldDuration</c>)
/// must never outlive the lock renewal, or the session moves on while it still works.
/// </summary>
public sealed class ServiceBusLockRenewalValidation(IOptions<ContainerEventOptions> events) : IValidateOptions<ServiceBusEventQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusEventQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        var hold = events.Value.MaxHoldDuration;
        return options.UsesServiceBus && options.MaxAutoLockRenewalDuration <= hold + TimeSpan.FromMinutes(1)
            ? ValidateOptionsResult.Fail($"ServiceBus:MaxAutoLockRenewalDuration ({options.MaxAutoLockRenewalDuration}) must exceed ContainerEvents:MaxHoldDuration ({hold}) by at least a minute.")
            : ValidateOptionsResult.Success;
    }
}

