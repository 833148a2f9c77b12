using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>
/// App Service authentication with Entra ID (issue 17, point 2): the app registration comes in as parameters, tokens are
/// validated by the platform, and unauthenticated requests still reach the app, whose middleware enforces the roles.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AuthenticationTests(CompiledInfra infra)
{
    private ArmResource Auth => Arm.OfType(infra.Main, "Microsoft.Web/sites/config").Single(r => Arm.AllStrings(r.Node["name"]).Any(n => n.Contains("authsettingsV2", StringComparison.Ordinal)));

    [Fact]
    public void The_app_registration_is_a_parameter_of_the_deployment()
    {
        foreach (var name in new[] { "entraClientId", "entraTenantId", "entraAllowedAudiences" })
        {
            Assert.NotNull(infra.Main.Parameters[name]);
        }
    }

    [Fact]
    public void Entra_ID_validates_tokens_for_the_app_registration_and_lets_anonymous_requests_reach_the_app()
    {
        var properties = Auth.Properties;
        var aad = properties["identityProviders"]!["azureActiveDirectory"]!;

        Assert.True(Arm.IsRootParameter(Auth.Scope, aad["registration"]!["clientId"], "entraClientId"));
        Assert.Contains("v2.0", Arm.AllStrings(aad["registration"]!["openIdIssuer"]).Single(), StringComparison.Ordinal);
        Assert.NotNull(aad["validation"]!["allowedAudiences"]);
        // Health, OpenAPI, certificate callers and Event Grid carry no token; the app refuses them where roles are needed.
        Assert.Equal("AllowAnonymous", properties["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        Assert.False(properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.False(properties["login"]!["tokenStore"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void The_gate_rate_per_caller_is_written_for_the_app()
    {
        var module = Arm.Module(infra.Main, "functionApp");
        var settings = Arm.AllStrings(module.Variables["baseSettings"]).ToList();

        Assert.True(module.Variables["baseSettings"]!.AsObject().ContainsKey("RateLimits__Groups__gate__PermitLimit"));
        Assert.Equal(1, infra.Main.Parameters["gateQueriesPerCallerPerMinute"]!["minValue"]!.GetValue<int>());
        Assert.NotEmpty(settings);
    }
}
