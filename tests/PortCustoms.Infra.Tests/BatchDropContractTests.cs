using System.Text.Json;
using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>
/// The blob trigger the app really has (the Worker SDK's functions.metadata) against what the compiled ARM wires to it:
/// one function name, the container the subscription filters on, the Event Grid source, and the connection whose
/// identity-based settings the infrastructure writes.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class BatchDropContractTests(CompiledInfra infra)
{
    private static JsonElement BlobTrigger()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Contract", "functions.metadata")));
        var functions = document.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "blobTrigger"))
            .Select(f => f.Clone())
            .ToList();
        return Assert.Single(functions);
    }

    private ArmResource Subscription => Arm.OfType(infra.Main, "Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();

    [Fact]
    public void The_subscription_targets_the_one_blob_triggered_function_by_its_generated_name()
    {
        var function = BlobTrigger();

        Assert.Equal(
            Arm.ResolveString(Subscription.Scope, JsonValue.Create("[parameters('functionName')]")),
            function.GetProperty("name").GetString());
        Assert.Equal(infra.Main.Variables["blobTriggerFunctionName"]!.GetValue<string>(), function.GetProperty("name").GetString());
    }

    [Fact]
    public void The_trigger_watches_the_container_the_subscription_filters_on_with_the_Event_Grid_source()
    {
        var trigger = BlobTrigger().GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "blobTrigger");
        var path = trigger.GetProperty("path").GetString()!;
        var container = path[..path.IndexOf('/', StringComparison.Ordinal)];

        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal($"/blobServices/default/containers/{container}/", Subscription.Properties["filter"]!["subjectBeginsWith"]!.GetValue<string>());
        Assert.Equal("inbound/{broker}/{name}", path);
    }

    [Fact]
    public void The_trigger_connection_is_identity_based_settings_the_infrastructure_writes()
    {
        var trigger = BlobTrigger().GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "blobTrigger");
        var connection = trigger.GetProperty("connection").GetString()!;
        var app = Arm.OfType(infra.Main, "Microsoft.Web/sites").Single();
        var settings = app.Scope.Variables["baseSettings"]!.AsObject();

        Assert.Contains($"{connection}__blobServiceUri", settings.Select(s => s.Key));
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]!.GetValue<string>());
        Assert.Contains($"{connection}__clientId", settings.Select(s => s.Key));
        Assert.DoesNotContain(settings, s => s.Key == connection);
    }
}
