using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>SFTP landing account and the Event Grid route to the blob trigger.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class BlobEventTests(CompiledInfra infra)
{
    private ArmResource Subscription => Arm.OfType(infra.Main, "Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();

    private ArmResource Landing => Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").Single(a => a.Scope.Path == "landingStorage");

    [Fact]
    public void Landing_account_is_a_separate_sftp_account_with_hierarchical_namespace()
    {
        var host = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").Single(a => a.Scope.Path == "hostStorage");
        Assert.NotEqual(
            infra.Main.Variables["names"]!["hostStorage"]!.GetValue<string>(),
            infra.Main.Variables["names"]!["landingStorage"]!.GetValue<string>());
        Assert.Equal("[variables('names').landingStorage]", Landing.Scope.ParameterBinding("name")!.GetValue<string>());
        Assert.Equal("[variables('names').hostStorage]", host.Scope.ParameterBinding("name")!.GetValue<string>());

        Assert.True(Landing.Properties["isHnsEnabled"]!.GetValue<bool>());
        Assert.True(Landing.Properties["isSftpEnabled"]!.GetValue<bool>());
        Assert.True(Landing.Properties["isLocalUserEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Landing_account_has_the_four_flow_containers()
    {
        var containers = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers").Single(c => c.Scope.Path == "landingStorage");
        var names = Landing.Scope.Variables["containerNames"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

        Assert.Contains("variables('containerNames')[copyIndex()]", containers.Node["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "inbound", "processed", "quarantine", "outbound" });
    }

    [Fact]
    public void Each_broker_gets_a_key_only_local_user_homed_in_its_inbound_folder()
    {
        var user = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts/localUsers").Single();
        var p = user.Properties;

                Assert.Equal("[length(parameters('brokers'))]", user.Node["copy"]!["count"]!.GetValue<string>());
        Assert.Equal("[format('inbound/{0}', parameters('brokers')[copyIndex()].name)]", p["homeDirectory"]!.GetValue<string>());
        Assert.True(p["hasSshKey"]!.GetValue<bool>());
        Assert.False(p["hasSshPassword"]!.GetValue<bool>());
        Assert.False(p["hasSharedKey"]!.GetValue<bool>());

        // Keep copyIndex() out of map()'s lambda: ARM restricts what a lambda body may reference.
        var keys = p["sshAuthorizedKeys"]!.GetValue<string>();
        Assert.DoesNotContain("copyIndex", keys[keys.IndexOf("lambda(", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var scopes = p["permissionScopes"]!.GetValue<string>();
        Assert.Contains("'resourceName', 'inbound'", scopes, StringComparison.Ordinal);
        // Container-wide scopes list only; writing comes from the ACL on the broker's own folder (LandingFolderAccess).
        Assert.Contains("'l'", scopes, StringComparison.Ordinal);
        Assert.DoesNotContain("'cw'", scopes, StringComparison.Ordinal);
        Assert.DoesNotContain("'rl'", scopes, StringComparison.Ordinal);
        Assert.True(p["allowAclAuthorization"]!.GetValue<bool>());
        Assert.True(Arm.IsRootParameter(user.Scope, JsonValue.Create("[parameters('brokers')]"), "brokers"));
    }

    [Fact]
    public void Each_brokers_local_user_id_reaches_the_app_as_its_sftp_user_setting()
    {
        var landing = Arm.Module(infra.Main, "landingStorage");
        var output = landing.Template["outputs"]!["sftpUsers"]!["copy"]!["input"]!;
        Assert.Equal("[parameters('brokers')[copyIndex()].name]", output["broker"]!.GetValue<string>());
        Assert.Equal("[reference(format('localUsers[{0}]', copyIndex())).userId]", output["userId"]!.GetValue<string>());

        var app = Arm.Module(infra.Main, "functionApp");
        Assert.Equal("[reference('landingStorage').outputs.sftpUsers.value]", app.ParameterBinding("brokerSftpUsers")!.GetValue<string>());
        Assert.Contains("Batch__Brokers__{0}__SftpUserId", app.Variables["brokerSftpUserSettings"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_delivers_only_committed_sftp_uploads_under_inbound()
    {
        var filter = Subscription.Properties["filter"]!;

        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("/blobServices/default/containers/inbound/", filter["subjectBeginsWith"]!.GetValue<string>());
        var advanced = Assert.Single(filter["advancedFilters"]!.AsArray())!;
        Assert.Equal("StringIn", advanced["operatorType"]!.GetValue<string>());
        Assert.Equal("data.api", advanced["key"]!.GetValue<string>());
        Assert.Equal(["SftpCommit"], advanced["values"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Subscription_targets_the_blob_extension_webhook_of_BatchDropTrigger()
    {
        var destination = Subscription.Properties["destination"]!;
        var url = destination["properties"]!["endpointUrl"]!.GetValue<string>();

        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        Assert.Contains("https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}", url, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", url, StringComparison.Ordinal);
        Assert.Equal("BatchDropTrigger", Arm.ResolveString(Subscription.Scope, JsonValue.Create("[parameters('functionName')]")));
    }

    [Fact]
    public void Subscription_is_created_only_when_the_app_code_can_answer_validation()
    {
        Assert.Equal("[parameters('deploySubscription')]", Subscription.Node["condition"]!.GetValue<string>());
        Assert.True(Arm.IsRootParameter(Subscription.Scope, Subscription.Node["condition"], "deployBlobEventSubscription"));
    }

    [Fact]
    public void Undeliverable_events_are_dead_lettered_with_the_topic_identity()
    {
        var deadLetter = Subscription.Properties["deadLetterWithResourceIdentity"]!;
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());

        var topic = Arm.OfType(infra.Main, "Microsoft.EventGrid/systemTopics").Single();
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Properties["topicType"]!.GetValue<string>());
        Assert.Equal("SystemAssigned", topic.Node["identity"]!["type"]!.GetValue<string>());
    }
}
