using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>policy.bicep: the subscription-scope residency guard.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class PolicyTests(CompiledInfra infra)
{
    private const string AllowedLocations = "e56962a6-4747-49cd-b67b-bf8b01975c4c";
    private const string AllowedResourceGroupLocations = "e765b5de-1225-4ba3-bd56-1ac6695af988";

    [Fact]
    public void Policy_deployment_is_subscription_scoped()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", infra.PolicyJson["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AllowedLocations)]
    [InlineData(AllowedResourceGroupLocations)]
    public void Policy_assigns_the_built_in_allowed_locations_definition(string definitionId)
    {
        var assignments = Arm.OfType(infra.Policy, "Microsoft.Authorization/policyAssignments").ToList();

        var assignment = Assert.Single(assignments, a =>
            Arm.ResolveString(infra.Policy, a.Properties["policyDefinitionId"])?.Contains(definitionId, StringComparison.Ordinal) == true);
        Assert.StartsWith("[tenantResourceId('Microsoft.Authorization/policyDefinitions'", Arm.ResolveString(infra.Policy, assignment.Properties["policyDefinitionId"]), StringComparison.Ordinal);
        Assert.Equal("[parameters('allowedLocations')]", assignment.Properties["parameters"]!["listOfAllowedLocations"]!["value"]!.GetValue<string>());
        Assert.True(Arm.IsRootParameter(infra.Policy, assignment.Properties["enforcementMode"], "enforcementMode"));
        Assert.Equal("Default", infra.Policy.Parameters["enforcementMode"]!["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void Allowed_list_is_required_and_limited_to_approved_regions()
    {
        var parameter = infra.Policy.Parameters["allowedLocations"]!;

        Assert.Equal("array", parameter["type"]!.GetValue<string>());
        Assert.Null(parameter["defaultValue"]);
        Assert.True(parameter["minLength"]!.GetValue<int>() >= 1);
        var allowed = parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Equal(ResidencyTests.ApprovedRegions, allowed);
        Assert.Equal(
            infra.Main.Parameters["location"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()),
            allowed);
    }
}
