using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>Data residency: one pinned region, no geo-redundant copies, the app told where it may run.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class ResidencyTests(CompiledInfra infra)
{
    // Approved EU regions (real Azure region names). Keep in step with main.bicep, policy.bicep and docs/deploy.md.
    internal static readonly string[] ApprovedRegions =
    [
        "westeurope", "northeurope", "germanywestcentral", "francecentral",
        "swedencentral", "italynorth", "polandcentral", "spaincentral",
    ];

    // Tracked (top-level) resource types that must carry a location.
    private static readonly string[] TrackedTypes =
    [
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.OperationalInsights/workspaces",
        "Microsoft.Insights/components",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.KeyVault/vaults",
        "Microsoft.Web/serverfarms",
        "Microsoft.Web/sites",
        "Microsoft.EventGrid/systemTopics",
    ];

    [GeneratedRegex(@"(?i)\b(Standard|Premium)_(RAGRS|GRS|GZRS|RAGZRS)\b")]
    private static partial Regex GeoRedundantSku();

    [Fact]
    public void Location_is_a_required_parameter_restricted_to_approved_regions()
    {
        var location = infra.Main.Parameters["location"]!.AsObject();

        Assert.Equal("string", location["type"]!.GetValue<string>());
        Assert.Null(location["defaultValue"]);
        var allowed = location["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.NotEmpty(allowed);
        Assert.All(allowed, region => Assert.Contains(region, ApprovedRegions));
    }

    [Fact]
    public void Every_resource_with_a_location_takes_the_location_parameter()
    {
        var located = Arm.AllResources(infra.Main).Where(r => !r.IsExisting && r.Node["location"] is not null).ToList();

        // Private DNS zones and metric alert rules exist only as global resources; they hold the private endpoints' DNS
        // records and a rule's definition, no customs data.
        var global = located.Where(r => r.Type.StartsWith("Microsoft.Network/privateDnsZones", StringComparison.OrdinalIgnoreCase)
                                        || r.Type.Equals("Microsoft.Insights/metricAlerts", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.All(global, r => Assert.Equal("global", r.Node["location"]!.GetValue<string>()));
        located = located.Except(global).ToList();

        Assert.NotEmpty(located);
        Assert.All(located, r => Assert.True(
            Arm.IsRootParameter(r.Scope, r.Node["location"], "location"),
            $"{r} has location {r.Node["location"]}, not the root 'location' parameter."));
    }

    [Fact]
    public void Every_tracked_resource_declares_a_location()
    {
        var resources = Arm.AllResources(infra.Main).Where(r => !r.IsExisting).ToList();

        foreach (var type in TrackedTypes)
        {
            var ofType = resources.Where(r => r.Type == type).ToList();
            Assert.True(ofType.Count > 0, $"no {type} declared");
            Assert.All(ofType, r => Assert.NotNull(r.Node["location"]));
        }
    }

    [Fact]
    public void No_module_falls_back_to_the_resource_group_location()
    {
        foreach (var scope in Arm.AllScopes(infra.Main).Where(s => s.Parent is not null))
        {
            var text = scope.Template.ToJsonString();
            Assert.DoesNotContain("resourceGroup().location", text, StringComparison.Ordinal);
            Assert.DoesNotContain("deployment().location", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("resourceGroup().location", infra.MainJson.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_geo_redundant_sku_anywhere()
    {
        var everything = Arm.AllStrings(infra.MainJson)
            .Concat(Arm.AllStrings(infra.DevParameters))
            .Concat(Arm.AllStrings(infra.ProdParameters));

        Assert.DoesNotContain(everything, s => GeoRedundantSku().IsMatch(s));
    }

    [Fact]
    public void Storage_sku_is_locally_or_zone_redundant_at_every_level()
    {
        var accounts = Arm.OfType(infra.Main, "Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(2, accounts.Count);

        foreach (var account in accounts)
        {
            // The module parameter and the root parameter it is bound to only allow LRS/ZRS.
            var scope = account.Scope;
            JsonNode? value = account.Node["sku"]!["name"];
            while (value is JsonValue v && v.GetValue<string>() is var text && text.StartsWith("[parameters('", StringComparison.Ordinal))
            {
                var name = text["[parameters('".Length..text.IndexOf("')", StringComparison.Ordinal)];
                var allowed = scope.Parameters[name]!["allowedValues"]!.AsArray().Select(a => a!.GetValue<string>());
                Assert.Subset(new HashSet<string> { "Standard_LRS", "Standard_ZRS" }, allowed.ToHashSet());
                if (scope.Parent is null)
                {
                    break;
                }

                value = scope.ParameterBinding(name);
                scope = scope.Parent;
            }

            Assert.Null(scope.Parent);
        }

        foreach (var file in new[] { infra.DevParameters, infra.ProdParameters })
        {
            var sku = file["parameters"]?["storageSku"]?["value"]?.GetValue<string>();
            Assert.True(sku is null or "Standard_LRS" or "Standard_ZRS", sku);
        }
    }

    [Fact]
    public void No_cross_region_replication_is_declared()
    {
        var types = Arm.AllResources(infra.Main).Select(r => r.Type).ToList();
        Assert.DoesNotContain(types, t => t.Contains("disasterRecoveryConfigs", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(types, t => t.Contains("objectReplicationPolicies", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(types, t => t.Contains("geoReplication", StringComparison.OrdinalIgnoreCase));

        var strings = Arm.AllStrings(infra.MainJson).ToList();
        Assert.DoesNotContain(strings, s => s.Equals("geoDataReplication", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(strings, s => s.Equals("alternateName", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(strings, s => s.Equals("partnerNamespace", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_app_is_told_its_region_and_allowed_regions()
    {
        var functionApp = Arm.Module(infra.Main, "functionApp");
        var settings = functionApp.Variables["baseSettings"]!.AsObject();

        Assert.True(Arm.IsRootParameter(functionApp, settings["Residency__Region"], "location"));

        Assert.Equal("[join(parameters('residencyAllowedRegions'), ',')]", settings["Residency__AllowedRegions"]!.GetValue<string>());
        var allowedBinding = functionApp.ParameterBinding("residencyAllowedRegions")!.GetValue<string>();
        Assert.Equal("[variables('allowedRegions')]", allowedBinding);
        var union = infra.Main.Variables["allowedRegions"]!.GetValue<string>();
        Assert.Contains("parameters('location')", union, StringComparison.Ordinal);
        Assert.Contains("parameters('residencyAllowedRegions')", union, StringComparison.Ordinal);

        // The list also binds to string[] through indexed keys.
        Assert.Contains("Residency__AllowedRegions__{0}", functionApp.Variables["indexedRegions"]!.GetValue<string>(), StringComparison.Ordinal);

        // The extra allowed regions are held to the same approved list as the location.
        var regions = infra.Main.Parameters["residencyAllowedRegions"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>());
        var locations = infra.Main.Parameters["location"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(locations, regions);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Parameter_files_pin_an_approved_region(string environment)
    {
        var file = environment == "dev" ? infra.DevParameters : infra.ProdParameters;
        var parameters = file["parameters"]!;

        Assert.Contains(parameters["location"]!["value"]!.GetValue<string>(), ApprovedRegions);
        Assert.Equal(environment, parameters["environmentName"]!["value"]!.GetValue<string>());
    }
}
