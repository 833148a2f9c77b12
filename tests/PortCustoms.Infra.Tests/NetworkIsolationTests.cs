using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>
/// Network isolation behind main.bicep's privateNetworking (on for prod): VNet integration for the app, private
/// endpoints with their DNS zones, public network access off where the app is the only client; SFTP and Event Grid
/// delivery still reach what they must.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class NetworkIsolationTests(CompiledInfra infra)
{
    private TemplateScope Network => Arm.Module(infra.Main, "network");

    private string PrivateEndpointList => infra.Main.Variables["privateEndpoints"]!.GetValue<string>();

    [Fact]
    public void Prod_turns_private_networking_on_and_dev_leaves_it_off()
    {
        Assert.True(infra.ProdParameters["parameters"]!["privateNetworking"]!["value"]!.GetValue<bool>());
        Assert.Null(infra.DevParameters["parameters"]!["privateNetworking"]);
        Assert.False(infra.Main.Parameters["privateNetworking"]!["defaultValue"]!.GetValue<bool>());
        Assert.Equal("Premium", infra.ProdParameters["parameters"]!["serviceBusSku"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_network_module_is_deployed_only_with_private_networking()
    {
        Assert.Equal("[parameters('privateNetworking')]", Network.Deployment!["condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_subnet_is_delegated_for_flex_consumption_and_endpoints_have_their_own()
    {
        var vnet = Arm.OfType(infra.Main, "Microsoft.Network/virtualNetworks").Single();
        var subnets = vnet.Properties["subnets"]!.AsArray().Select(s => s!.AsObject()).ToList();

        var app = subnets.Single(s => s["name"]!.GetValue<string>() == "app");
        Assert.Equal("Microsoft.App/environments", app["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
        Assert.Contains(subnets, s => s["name"]!.GetValue<string>() == "private-endpoints");
        Assert.All(subnets, s => Assert.False(s["properties"]!["defaultOutboundAccess"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("hostStorage", "blob")]
    [InlineData("hostStorage", "queue")]
    [InlineData("hostStorage", "table")]
    [InlineData("landingStorage", "blob")]
    [InlineData("landingStorage", "queue")]
    [InlineData("landingStorage", "dfs")]
    [InlineData("keyVault", "vault")]
    [InlineData("serviceBus", "namespace")]
    public void Every_service_the_app_calls_has_a_private_endpoint(string target, string group)
    {
        Assert.Contains($"'resourceName', variables('names').{target}, 'groupId', '{group}'", PrivateEndpointList, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_bus_gets_a_private_endpoint_only_on_premium()
    {
        // Standard namespaces have no private endpoints; they stay public (dev).
        Assert.Equal("[and(parameters('privateNetworking'), equals(parameters('serviceBusSku'), 'Premium'))]", infra.Main.Variables["serviceBusPrivate"]!.GetValue<string>());
        Assert.Contains("if(variables('serviceBusPrivate'), createArray(createObject('name', format('pe-{0}-namespace'", PrivateEndpointList, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_endpoint_registers_in_its_private_dns_zone_linked_to_the_vnet()
    {
        var zoneOf = Network.Variables["zoneOf"]!.AsObject();
        Assert.Equal("privatelink.servicebus.windows.net", zoneOf["namespace"]!.GetValue<string>());
        Assert.Equal("privatelink.vaultcore.azure.net", zoneOf["vault"]!.GetValue<string>());
        foreach (var group in new[] { "blob", "queue", "table", "dfs" })
        {
            Assert.Equal($"[format('privatelink.{group}.{{0}}', environment().suffixes.storage)]", zoneOf[group]!.GetValue<string>());
        }

        Assert.Single(Arm.OfType(infra.Main, "Microsoft.Network/privateDnsZones/virtualNetworkLinks"));
        var group0 = Arm.OfType(infra.Main, "Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Single();
        Assert.Contains("variables('zoneOf')", group0.Properties["privateDnsZoneConfigs"]![0]!["properties"]!["privateDnsZoneId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hostStorage", "publicNetworkAccess", "[not(parameters('privateNetworking'))]")]
    [InlineData("serviceBus", "publicNetworkAccess", "[not(variables('serviceBusPrivate'))]")]
    [InlineData("keyVault", "privateOnly", "[parameters('privateNetworking')]")]
    public void Public_network_access_follows_private_networking(string module, string parameter, string binding)
    {
        Assert.Equal(binding, Arm.Module(infra.Main, module).ParameterBinding(parameter)!.GetValue<string>());
    }

    [Fact]
    public void Private_services_turn_public_network_access_off()
    {
        var host = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").Single(s => s.Scope.Path == "hostStorage");
        Assert.Equal("[if(parameters('publicNetworkAccess'), 'Enabled', 'Disabled')]", host.Properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("[if(parameters('publicNetworkAccess'), 'Allow', 'Deny')]", host.Properties["networkAcls"]!["defaultAction"]!.GetValue<string>());

        var bus = Arm.OfType(infra.Main, "Microsoft.ServiceBus/namespaces").Single();
        Assert.Equal("[if(parameters('publicNetworkAccess'), 'Enabled', 'Disabled')]", bus.Properties["publicNetworkAccess"]!.GetValue<string>());

        // Key Vault: off, or open to the named operator ranges only.
        var vault = Arm.OfType(infra.Main, "Microsoft.KeyVault/vaults").Single();
        Assert.Equal("[if(and(parameters('privateOnly'), empty(parameters('operatorIpRanges'))), 'Disabled', 'Enabled')]", vault.Properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("[if(parameters('privateOnly'), 'Deny', 'Allow')]", vault.Properties["networkAcls"]!["defaultAction"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_joins_the_vnet_but_stays_reachable_for_its_callers_and_event_grid()
    {
        var app = Arm.OfType(infra.Main, "Microsoft.Web/sites").Single();
        Assert.Equal("Enabled", app.Properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.Contains("parameters('virtualNetworkSubnetId')", app.Properties["virtualNetworkSubnetId"]!.GetValue<string>(), StringComparison.Ordinal);

        // The whole parameter is one conditional expression: the network module's subnet, or none.
        var binding = Arm.Module(infra.Main, "functionApp").Deployment!["properties"]!["parameters"]!["virtualNetworkSubnetId"]!.GetValue<string>();
        Assert.Equal("[if(parameters('privateNetworking'), createObject('value', reference('network').outputs.appSubnetId.value), createObject('value', ''))]", binding);
    }

    [Fact]
    public void The_landing_account_stays_reachable_for_sftp_behind_its_ip_allow_list()
    {
        var landing = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").Single(s => s.Scope.Path == "landingStorage");
        Assert.Equal("Enabled", landing.Properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.Contains("allowedIpRanges", landing.Properties["networkAcls"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
