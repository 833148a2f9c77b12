using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>Identity, not secrets: every connection in the app settings is identity-based.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AppSettingsTests(CompiledInfra infra)
{
    private static readonly string[] SecretMarkers =
    [
        "AccountKey=", "SharedAccessKey", "DefaultEndpointsProtocol", "listKeys(", "listConnectionStrings(",
        "listSecrets(", "listAccountSas(", "listServiceSas(", "SharedAccessSignature",
    ];

    // Flex Consumption rejects these; the classic storage connection string setting must not come back either.
    private static readonly string[] ForbiddenSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "AzureWebJobsStorage",
        "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT",
    ];

    private TemplateScope FunctionApp => Arm.Module(infra.Main, "functionApp");

    private JsonObject Settings => FunctionApp.Variables["baseSettings"]!.AsObject();

    [Fact]
    public void App_settings_are_built_from_the_identity_based_settings()
    {
        var app = Arm.OfType(infra.Main, "Microsoft.Web/sites").Single();
        var copy = app.Properties["siteConfig"]!["copy"]!.AsArray().Single()!;

        Assert.Equal("appSettings", copy["name"]!.GetValue<string>());
        Assert.Contains("variables('allSettings')", copy["count"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("variables('baseSettings')", FunctionApp.Variables["allSettings"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "hostStorage", "blobServiceUri", "queueServiceUri", "tableServiceUri")]
    [InlineData("LandingStorage", "landingStorage", "blobServiceUri", "queueServiceUri")]
    public void Storage_connections_use_service_uris_and_the_managed_identity(string prefix, string module, params string[] uris)
    {
        foreach (var uri in uris)
        {
            var value = Settings[$"{prefix}__{uri}"]!.GetValue<string>();
            var parameter = value["[parameters('".Length..value.IndexOf("')", StringComparison.Ordinal)];
            var bound = FunctionApp.ParameterBinding(parameter)!.GetValue<string>();
            Assert.StartsWith($"[reference('{module}').outputs.", bound, StringComparison.Ordinal);
        }

        AssertIdentityCredential(prefix);
    }

    [Fact]
    public void Service_bus_connection_uses_the_namespace_and_the_managed_identity()
    {
        Assert.Equal("[reference('serviceBus').outputs.fullyQualifiedNamespace.value]", FunctionApp.ParameterBinding("serviceBusFullyQualifiedNamespace")!.GetValue<string>());
        Assert.Equal("[parameters('serviceBusFullyQualifiedNamespace')]", Settings["ServiceBus__fullyQualifiedNamespace"]!.GetValue<string>());
        AssertIdentityCredential("ServiceBus");

        var queue = Arm.ResolveString(FunctionApp, Settings["ServiceBus__QueueName"]);
        Assert.Equal("[reference('serviceBus').outputs.queueName.value]", queue);
        Assert.Equal("container-status-events", Arm.ResolveString(infra.Main, infra.Main.Variables["statusEventQueueName"]));
    }

    [Fact]
    public void Customs_certificate_comes_from_key_vault_by_name()
    {
        Assert.Equal("[reference('keyVault').outputs.uri.value]", Arm.ResolveString(FunctionApp, Settings["CustomsPlatform__ClientCertificate__VaultUri"]));
        Assert.True(Arm.IsRootParameter(FunctionApp, Settings["CustomsPlatform__ClientCertificate__CertificateName"], "customsCertificateName"));
        Assert.Equal("customs-client", Arm.ResolveString(infra.MainWith(infra.ProdParameters), JsonValue.Create("[parameters('customsCertificateName')]")));
    }

    [Fact]
    public void Application_insights_uses_entra_id_authentication()
    {
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>());
        Assert.Equal("[reference('monitoring').outputs.appInsightsConnectionString.value]", Arm.ResolveString(FunctionApp, Settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        Assert.Equal("[parameters('identityClientId')]", Settings["AZURE_CLIENT_ID"]!.GetValue<string>());
        Assert.Equal("[reference('identity').outputs.clientId.value]", FunctionApp.ParameterBinding("identityClientId")!.GetValue<string>());
    }

    [Fact]
    public void No_app_setting_carries_a_key_or_connection_string()
    {
        // Values and names of the settings, the module's whole template, and what main passes into it.
        var strings = Arm.AllStrings(FunctionApp.Template)
            .Concat(Arm.AllStrings(FunctionApp.Deployment!["properties"]!["parameters"]))
            .ToList();

        foreach (var marker in SecretMarkers)
        {
            Assert.DoesNotContain(strings, s => s.Contains(marker, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var name in ForbiddenSettings)
        {
            Assert.False(Settings.ContainsKey(name), name);
        }
    }

    [Fact]
    public void Parameter_files_add_no_secrets_to_the_app_settings()
    {
        foreach (var file in new[] { infra.DevParameters, infra.ProdParameters })
        {
            var strings = Arm.AllStrings(file).ToList();
            foreach (var marker in SecretMarkers)
            {
                Assert.DoesNotContain(strings, s => s.Contains(marker, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public void The_only_key_read_anywhere_is_the_blob_extension_webhook_key_for_event_grid()
    {
        var uses = Arm.AllStrings(infra.MainJson).Where(s => s.Contains("listKeys(", StringComparison.OrdinalIgnoreCase)).ToList();

        var use = Assert.Single(uses);
        Assert.Contains("/runtime/webhooks/blobs", use, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", use, StringComparison.Ordinal);

        var subscription = Arm.OfType(infra.Main, "Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();
        Assert.Equal(use, subscription.Properties["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>());

        // And no other list* call (connection strings, SAS, secrets) in any template.
        var all = Arm.AllStrings(infra.MainJson).Concat(Arm.AllStrings(infra.PolicyJson)).ToList();
        foreach (var marker in SecretMarkers.Where(m => m != "listKeys("))
        {
            Assert.DoesNotContain(all, s => s.Contains(marker, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Outputs_expose_no_keys()
    {
        var outputs = Arm.AllScopes(infra.Main).SelectMany(s => Arm.AllStrings(s.Template["outputs"])).ToList();

        Assert.DoesNotContain(outputs, s => s.Contains("listKeys(", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(outputs, s => s.Contains("blobs_extension", StringComparison.OrdinalIgnoreCase));
    }

    private void AssertIdentityCredential(string prefix)
    {
        Assert.Equal("managedidentity", Settings[$"{prefix}__credential"]!.GetValue<string>());
        Assert.Equal("[parameters('identityClientId')]", Settings[$"{prefix}__clientId"]!.GetValue<string>());
    }
}
