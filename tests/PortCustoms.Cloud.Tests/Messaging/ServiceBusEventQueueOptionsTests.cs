using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Tests.Messaging;

public sealed class ServiceBusEventQueueOptionsTests
{
    [Fact]
    public void Validate_LockRenewalShorterThanTheCustomsHold_Fails()
    {
        var events = Microsoft.Extensions.Options.Options.Create(new ContainerEventOptions { MaxHoldDuration = TimeSpan.FromMinutes(30) });
        var validator = new ServiceBusLockRenewalValidation(events);
        var options = new ServiceBusEventQueueOptions { FullyQualifiedNamespace = "x.servicebus.windows.net", MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(10) };
        Assert.True(validator.Validate(null, options).Failed);
        options.MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(40);
        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SourceGenerated_NamesEachBadSetting()
    {
        var result = new ServiceBusEventQueueOptionsValidator().Validate(null, new ServiceBusEventQueueOptions { QueueName = " ", MaxConcurrentSessions = 0, MaxDeliveryCount = 0 });
        Assert.True(result.Failed);
        Assert.Contains("ServiceBus:QueueName", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ServiceBus:MaxConcurrentSessions", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ServiceBus:MaxDeliveryCount", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new ServiceBusEventQueueOptionsValidator().Validate(null, new ServiceBusEventQueueOptions()).Succeeded);
    }

    [Fact]
    public void UsesServiceBus_NeitherNamespaceNorConnectionString_IsFalse()
    {
        Assert.False(new ServiceBusEventQueueOptions().UsesServiceBus);
        Assert.Equal(EventQueueTransports.Local, new ServiceBusEventQueueOptions().Transport);
        Assert.True(new ServiceBusEventQueueOptions { FullyQualifiedNamespace = "x.servicebus.windows.net" }.UsesServiceBus);
        Assert.Equal(EventQueueTransports.ServiceBus, new ServiceBusEventQueueOptions { FullyQualifiedNamespace = "x.servicebus.windows.net" }.Transport);
        Assert.True(new ServiceBusEventQueueOptions { ConnectionString = "Endpoint=sb://x/" }.UsesServiceBus);
    }
}
