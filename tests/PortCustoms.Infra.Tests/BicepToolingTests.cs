using System.Text.Json.Nodes;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>bicep build / build-params / lint are clean: any warning or error fails.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class BicepToolingTests(CompiledInfra infra)
{
    [Theory]
    [InlineData("main")]
    [InlineData("policy")]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("lint")]
    public void Bicep_run_succeeds_without_warnings_or_errors(string run)
    {
        var result = run switch
        {
            "main" => infra.MainBuild,
            "policy" => infra.PolicyBuild,
            "dev" => infra.DevParamsBuild,
            "prod" => infra.ProdParamsBuild,
            _ => infra.Lint,
        };

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Diagnostics.Count == 0, result.ToString());
    }

    [Fact]
    public void Lint_covers_every_bicep_file()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Bicep, "*.bicep", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("main.bicep", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("policy.bicep", StringComparison.Ordinal));
        Assert.True(files.Count(f => f.Contains($"{Path.DirectorySeparatorChar}modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) >= 6);

        // lint --pattern prints nothing for clean files; a file it could not read would be an error line.
        Assert.Equal(0, infra.Lint.ExitCode);
    }

    [Theory]
    [InlineData("no-hardcoded-location")]
    [InlineData("secure-parameter-default")]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("no-unused-params")]
    [InlineData("no-unused-vars")]
    [InlineData("protect-commandtoexecute-secrets")]
    [InlineData("use-resource-id-functions")]
    [InlineData("prefer-interpolation")]
    [InlineData("simplify-interpolation")]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("adminusername-should-not-be-literal")]
    [InlineData("no-loc-expr-outside-params")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("use-stable-resource-identifiers")]
    public void Bicepconfig_raises_rule_to_error(string rule)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Bicep, "bicepconfig.json")))!;
        Assert.Equal(true, config["analyzers"]?["core"]?["enabled"]?.GetValue<bool>());
        Assert.Equal("error", config["analyzers"]?["core"]?["rules"]?[rule]?["level"]?.GetValue<string>());
    }

    [Fact]
    public void A_linter_finding_is_detected_as_a_failure()
    {
        // Guards the guard: a file with a hard-coded location and an unused parameter must produce diagnostics.
        var dir = Directory.CreateTempSubdirectory("portcustoms-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Bicep, "bicepconfig.json"), Path.Combine(dir, "bicepconfig.json"));
            File.WriteAllText(Path.Combine(dir, "bad.bicep"), """
                param unused string
                resource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
                  name: 'id-bad'
                  location: 'westeurope'
                }
                """);

            var run = BicepCli.Run(dir, "lint", "bad.bicep");

            Assert.NotEmpty(run.Diagnostics);
            Assert.Contains(run.Diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
            Assert.Contains(run.Diagnostics, d => d.Contains("no-hardcoded-location", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Compiled_templates_are_deployable_shapes()
    {
        Assert.Contains("deploymentTemplate.json", infra.MainJson["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("subscriptionDeploymentTemplate.json", infra.PolicyJson["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(infra.DevParameters["parameters"]);
        Assert.NotNull(infra.ProdParameters["parameters"]);
    }
}
