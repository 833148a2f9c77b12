using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>The status-event queue: ordered per container, idempotent, dead-lettered, no SAS keys.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class MessagingTests(CompiledInfra infra)
{
    private ArmResource Queue => Arm.OfType(infra.Main, "Microsoft.ServiceBus/namespaces/queues").Single();

    private ArmResource Namespace => Arm.OfType(infra.Main, "Microsoft.ServiceBus/namespaces").Single();

    [Fact]
    public void Queue_is_the_status_event_queue()
    {
        Assert.Contains("parameters('queueName')", Queue.Node["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("container-status-events", Arm.ResolveString(Queue.Scope, JsonValue.Create("[parameters('queueName')]")));
    }

    [Fact]
    public void Queue_requires_sessions_and_duplicate_detection()
    {
        var p = Queue.Properties;

        Assert.True(p["requiresSession"]!.GetValue<bool>());
        Assert.True(p["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.Equal("PT10M", Arm.ResolveString(Queue.Scope, p["duplicateDetectionHistoryTimeWindow"]));
    }

    [Fact]
    public void Queue_dead_letters_and_locks_for_a_minute()
    {
        var p = Queue.Properties;

        Assert.True(p["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        Assert.Equal("PT1M", p["lockDuration"]!.GetValue<string>());
        Assert.True(Arm.IsRootParameter(Queue.Scope, p["maxDeliveryCount"], "statusEventMaxDeliveryCount"));
        Assert.Equal(10, Arm.Resolve(Queue.Scope, p["maxDeliveryCount"])!.GetValue<int>());
    }

    [Fact]
    public void Namespace_disables_local_auth_and_old_tls()
    {
        Assert.True(Namespace.Properties["disableLocalAuth"]!.GetValue<bool>());
        Assert.Equal("1.2", Namespace.Properties["minimumTlsVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Namespace_sku_is_standard_or_premium_by_parameter()
    {
        var allowed = infra.Main.Parameters["serviceBusSku"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Equal(["Standard", "Premium"], allowed);
        Assert.Equal("Premium", Arm.ResolveString(infra.MainWith(infra.ProdParameters), JsonValue.Create("[parameters('serviceBusSku')]")));
        Assert.Equal("Standard", Arm.ResolveString(infra.MainWith(infra.DevParameters), JsonValue.Create("[parameters('serviceBusSku')]")));
    }

    [Fact]
    public void No_shared_access_authorization_rules_are_created()
    {
        var types = Arm.AllResources(infra.Main).Select(r => r.Type).ToList();
        Assert.DoesNotContain(types, t => t.Contains("authorizationRules", StringComparison.OrdinalIgnoreCase));
    }
}
