using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// The status-event queue (section <c>ServiceBus</c>). In Azure set <see cref="FullyQualifiedNamespace"/> (identity:
/// DefaultAzureCredential, with <see cref="ClientId"/> for a user-assigned managed identity); <see cref="ConnectionString"/>
/// is for local use only. With neither, the app uses the embedded session queue (local runs and tests).
/// </summary>
public sealed class ServiceBusEventQueueOptions
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

    /// <summary>Embedded queue only: resends with the same message id inside this window are dropped (Service Bus's default is 10 min).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Embedded queue only: deliveries before the queue itself dead-letters (Service Bus: the queue's maxDeliveryCount).</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    public bool UsesServiceBus => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}

public sealed class ServiceBusEventQueueOptionsValidator(IOptions<ContainerEventOptions>? events = null) : IValidateOptions<ServiceBusEventQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusEventQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.QueueName)) failures.Add("ServiceBus:QueueName is required.");
        if (options.MaxConcurrentSessions is < 1 or > 256) failures.Add("ServiceBus:MaxConcurrentSessions must be 1..256.");
        if (options.SessionIdleTimeout <= TimeSpan.Zero) failures.Add("ServiceBus:SessionIdleTimeout must be positive.");
        if (options.MaxAutoLockRenewalDuration <= TimeSpan.Zero) failures.Add("ServiceBus:MaxAutoLockRenewalDuration must be positive.");
        if (options.MaxDeliveryCount < 1) failures.Add("ServiceBus:MaxDeliveryCount must be at least 1.");
        // A handler holding its session for customs must never outlive the lock renewal, or the session moves on.
        if (options.UsesServiceBus && events?.Value is { } e && options.MaxAutoLockRenewalDuration <= e.MaxHoldDuration + TimeSpan.FromMinutes(1))
        {
            failures.Add($"ServiceBus:MaxAutoLockRenewalDuration ({options.MaxAutoLockRenewalDuration}) must exceed ContainerEvents:MaxHoldDuration ({e.MaxHoldDuration}) by at least a minute.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
