using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>The Flex Consumption function app: runtime, always-ready gate, identity, client certificates.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class FunctionAppTests(CompiledInfra infra)
{
    private ArmResource App => Arm.OfType(infra.Main, "Microsoft.Web/sites").Single();

    [Fact]
    public void Plan_is_flex_consumption()
    {
        var plan = Arm.OfType(infra.Main, "Microsoft.Web/serverfarms").Single();

        Assert.Equal("FC1", plan.Node["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan.Node["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan.Properties["reserved"]!.GetValue<bool>());
    }

    [Fact]
    public void App_is_linux_function_app_on_dotnet_isolated_10()
    {
        Assert.Equal("functionapp,linux", App.Node["kind"]!.GetValue<string>());
        var runtime = App.Properties["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
    }

    [Fact]
    public void Http_group_has_at_least_one_always_ready_instance()
    {
        var alwaysReady = App.Properties["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"]!.AsArray();
        var http = alwaysReady.Single(e => e!["name"]!.GetValue<string>() == "http")!;
        var count = http["instanceCount"];

        // The module parameter and the root parameter both refuse 0, and every environment sets at least 1.
        Assert.True(Arm.IsRootParameter(App.Scope, count, "alwaysReadyHttpInstances"));
        Assert.True(App.Scope.Parameters["alwaysReadyHttpInstances"]!["minValue"]!.GetValue<int>() >= 1);
        var root = infra.Main.Parameters["alwaysReadyHttpInstances"]!;
        Assert.True(root["minValue"]!.GetValue<int>() >= 1);
        Assert.True(root["defaultValue"]!.GetValue<int>() >= 1);
        foreach (var file in new[] { infra.DevParameters, infra.ProdParameters })
        {
            var resolved = Arm.Resolve(infra.MainWith(file), JsonValue.Create("[parameters('alwaysReadyHttpInstances')]"));
            Assert.True(resolved!.GetValue<int>() >= 1);
        }
    }

    [Fact]
    public void App_runs_as_the_user_assigned_identity_including_deployment_storage()
    {
        Assert.Equal("UserAssigned", App.Node["identity"]!["type"]!.GetValue<string>());
        var storage = App.Properties["functionAppConfig"]!["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", storage["type"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", storage["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", storage["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>());
        Assert.Equal("[reference('identity').outputs.id.value]", App.Scope.ParameterBinding("identityId")!.GetValue<string>());
    }

    [Fact]
    public void Https_only_tls12_and_client_certificates_forwarded()
    {
        Assert.True(App.Properties["httpsOnly"]!.GetValue<bool>());
        Assert.True(App.Properties["clientCertEnabled"]!.GetValue<bool>());
        Assert.Equal("Optional", Arm.ResolveString(infra.Main, JsonValue.Create("[parameters('clientCertMode')]")));
        Assert.True(Arm.IsRootParameter(App.Scope, App.Properties["clientCertMode"], "clientCertMode"));

        // Required would shut out Event Grid's webhook calls and the anonymous health probe; the app validates certificates itself.
        var modes = infra.Main.Parameters["clientCertMode"]!["allowedValues"]!.AsArray().Select(m => m!.GetValue<string>());
        Assert.DoesNotContain("Required", modes);
        Assert.Equal("1.2", App.Properties["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Basic_publishing_credentials_are_disabled()
    {
        var policies = Arm.OfType(infra.Main, "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False(p.Properties["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void App_is_tagged_for_azd()
    {
        var tags = App.Scope.ParameterBinding("tags")!.GetValue<string>();
        Assert.Contains("'azd-service-name', 'api'", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostic_settings_send_app_storage_service_bus_and_key_vault_logs_to_log_analytics()
    {
        var diagnostics = Arm.OfType(infra.Main, "Microsoft.Insights/diagnosticSettings").ToList();
        var scopes = diagnostics.Select(d => d.Node["scope"]!.GetValue<string>()).ToList();

        Assert.Contains(scopes, s => s.Contains("'Microsoft.Web/sites'", StringComparison.Ordinal));
        Assert.Equal(2, scopes.Count(s => s.Contains("'Microsoft.Storage/storageAccounts/blobServices'", StringComparison.Ordinal)));
        Assert.Contains(scopes, s => s.Contains("'Microsoft.ServiceBus/namespaces'", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("'Microsoft.KeyVault/vaults'", StringComparison.Ordinal));
        Assert.All(diagnostics, d =>
        {
            Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", d.Properties["workspaceId"]!.GetValue<string>());
            Assert.Equal("[reference('monitoring').outputs.workspaceId.value]", d.Scope.ParameterBinding("logAnalyticsWorkspaceId")!.GetValue<string>());
            Assert.Contains(d.Properties["logs"]!.AsArray(), l => l!["categoryGroup"]?.GetValue<string>() == "allLogs" && l["enabled"]!.GetValue<bool>());
        });
    }

    [Fact]
    public void Application_insights_is_workspace_based()
    {
        var appInsights = Arm.OfType(infra.Main, "Microsoft.Insights/components").Single();

        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]", appInsights.Properties["WorkspaceResourceId"]!.GetValue<string>());
        Assert.Equal("LogAnalytics", appInsights.Properties["IngestionMode"]!.GetValue<string>());
    }
}
