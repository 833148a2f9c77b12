using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>deploy.yml, the deploy script, azure.yaml and the deployment guide agree with the templates.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class DeliveryTests(CompiledInfra infra)
{
    private static readonly string Workflow = File.ReadAllText(RepoPaths.Of(".github", "workflows", "deploy.yml"));
    private static readonly string Script = File.ReadAllText(RepoPaths.Of("infra", "scripts", "deploy.sh"));
    private static readonly string AzureYaml = File.ReadAllText(RepoPaths.Of("azure.yaml"));

    [GeneratedRegex(@"^\s*(-\s*)?uses:\s*(?<action>[^@\s]+)@(?<ref>\S+)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex Uses();

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_sha_with_its_version()
    {
        var uses = Uses().Matches(Workflow).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u =>
        {
            Assert.Matches("^[0-9a-f]{40}$", u.Groups["ref"].Value);
            Assert.Matches(@"^\s+#\s+v\d+\.\d+\.\d+", u.Groups["rest"].Value);
        });
        var actions = uses.Select(u => u.Groups["action"].Value).ToHashSet();
        Assert.Contains("actions/checkout", actions);
        Assert.Contains("actions/setup-dotnet", actions);
        Assert.Contains("azure/login", actions);
    }

    [Fact]
    public void Workflow_uses_oidc_with_least_permissions()
    {
        // Nothing may mint an OIDC token by default; only the jobs that sign in to Azure get id-token: write.
        Assert.Matches(@"(?m)^permissions:\s*\n\s+contents: read\s*$", Workflow);
        var topLevel = Regex.Match(Workflow, @"(?m)^permissions:[ \t]*\n(?<block>(  \S.*\n)*)").Groups["block"].Value;
        Assert.DoesNotContain("id-token", topLevel, StringComparison.Ordinal);
        foreach (var job in Jobs())
        {
            var signsIn = Job(job).Contains("azure/login@", StringComparison.Ordinal);
            Assert.True(signsIn == Regex.IsMatch(Job(job), @"permissions:\s*\n\s+id-token: write\s*\n\s+contents: read"), $"job {job}: id-token: write exactly when it signs in");
        }

        Assert.DoesNotContain("creds:", Workflow, StringComparison.Ordinal);
        Assert.DoesNotContain("publish-profile", Workflow, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(Workflow, @"client-id: \$\{\{ vars\.AZURE_CLIENT_ID \}\}").Count);
        Assert.Equal(3, Regex.Matches(Workflow, @"tenant-id: \$\{\{ vars\.AZURE_TENANT_ID \}\}").Count);
        Assert.Equal(3, Regex.Matches(Workflow, @"subscription-id: \$\{\{ vars\.AZURE_SUBSCRIPTION_ID \}\}").Count);
    }

    [Fact]
    public void The_prod_what_if_is_shown_before_the_approval()
    {
        var preview = Job("what-if-prod");
        var prod = Job("deploy-prod");

        // The preview runs in an environment without reviewers, writes the what-if into the run summary, and the
        // approval-gated prod job comes after it.
        Assert.Matches(@"environment:\s*\n\s+name: prod-preview", preview);
        Assert.Contains("infra/scripts/deploy.sh what-if prod ", preview, StringComparison.Ordinal);
        Assert.Contains("$GITHUB_STEP_SUMMARY", preview, StringComparison.Ordinal);
        Assert.Contains("needs: deploy-dev", preview, StringComparison.Ordinal);
        Assert.Contains("needs: what-if-prod", prod, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy.sh what-if", prod, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("what-if-prod")]
    [InlineData("deploy-prod")]
    public void Prod_deploys_from_main_only_enforced_by_the_workflow(string job)
    {
        var text = Job(job);

        Assert.Contains("github.event.workflow_run.head_branch == 'main'", text, StringComparison.Ordinal);
        Assert.Contains("github.ref == 'refs/heads/main'", text, StringComparison.Ordinal);
        var check = text.IndexOf("infra/scripts/deploy.sh on-main prod ", StringComparison.Ordinal);
        Assert.True(check > 0, "the job checks the commit is on main");
        Assert.True(check < text.IndexOf("azure/login@", StringComparison.Ordinal), "before it signs in");
        Assert.Contains("fetch-depth: 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_on_main_check_refuses_a_commit_that_is_not_on_main()
    {
        // A throwaway repository with the script, an origin whose main has one commit, and a side branch.
        var work = Directory.CreateTempSubdirectory("portcustoms-onmain-").FullName;
        try
        {
            var origin = Path.Combine(work, "origin.git");
            var clone = Path.Combine(work, "clone");
            Git(work, "init", "-q", "--bare", "-b", "main", origin);
            Git(work, "clone", "-q", origin, clone);
            Directory.CreateDirectory(Path.Combine(clone, "infra", "scripts"));
            Directory.CreateDirectory(Path.Combine(clone, "infra", "bicep"));
            File.Copy(RepoPaths.Of("infra", "scripts", "deploy.sh"), Path.Combine(clone, "infra", "scripts", "deploy.sh"));
            File.WriteAllText(Path.Combine(clone, "infra", "bicep", "prod.bicepparam"), "using 'main.bicep'\n");
            Git(clone, "add", ".");
            Git(clone, "-c", "user.name=t", "-c", "user.email=t@example.net", "commit", "-q", "-m", "main");
            Git(clone, "push", "-q", "origin", "HEAD:main");
            var onMain = Git(clone, "rev-parse", "HEAD").Trim();
            Git(clone, "checkout", "-q", "-b", "side");
            Git(clone, "-c", "user.name=t", "-c", "user.email=t@example.net", "commit", "-q", "--allow-empty", "-m", "side");
            var offMain = Git(clone, "rev-parse", "HEAD").Trim();

            Assert.Equal(0, OnMain(clone, onMain).ExitCode);
            var refused = OnMain(clone, offMain);
            Assert.Equal(3, refused.ExitCode);
            Assert.Contains("not on main", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        static (int ExitCode, string Error) OnMain(string repo, string commit)
        {
            var start = new ProcessStartInfo("bash", ["infra/scripts/deploy.sh", "on-main", "prod", "rg-test", commit])
            {
                WorkingDirectory = repo, RedirectStandardError = true, RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }

    [Fact]
    public void Workflow_runs_after_ci_on_main_and_on_demand_per_environment()
    {
        Assert.Matches(@"(?m)^  workflow_run:\s*\n(.*\n)*?\s+types: \[completed\]\s*\n\s+branches: \[main\]", Workflow);
        Assert.Contains("github.event.workflow_run.conclusion == 'success'", Workflow, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  workflow_dispatch:\s*\n\s+inputs:\s*\n\s+environment:", Workflow);
        Assert.Contains("options: [dev, prod]", Workflow, StringComparison.Ordinal);
    }

    [Fact]
    public void Dev_deploys_before_prod_and_each_uses_its_github_environment()
    {
        var dev = Job("deploy-dev");
        var prod = Job("deploy-prod");

        Assert.Matches(@"environment:\s*\n\s+name: dev", dev);
        Assert.Matches(@"environment:\s*\n\s+name: prod\s*\n", prod);
        Assert.Contains("needs: deploy-dev", Job("what-if-prod"), StringComparison.Ordinal);
        Assert.Contains("needs: what-if-prod", prod, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy-dev", "dev")]
    [InlineData("deploy-prod", "prod")]
    public void Each_job_runs_what_if_then_infra_then_code_then_smoke_test(string job, string environment)
    {
        // Prod's what-if runs in the preview job just before (shown before the approval).
        var text = environment == "prod" ? Job("what-if-prod") + Job(job) : Job(job);
        var steps = new[] { "what-if", "infra", "code", "smoke" }
            .Select(step => text.IndexOf($"infra/scripts/deploy.sh {step} {environment} ", StringComparison.Ordinal))
            .ToList();

        Assert.All(steps, index => Assert.True(index > 0));
        Assert.Equal(steps.Order(), steps);
        Assert.Contains("azure/login@", text, StringComparison.Ordinal);
        Assert.Contains($"infra/scripts/deploy.sh events {environment} ", text, StringComparison.Ordinal);
        Assert.Contains("if: steps.infra.outputs.blob_events == 'false'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void App_is_published_once_and_the_same_package_deployed_everywhere()
    {
        Assert.Contains("dotnet publish functions/PortCustoms.Functions -c Release", Job("build"), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(Workflow, "dotnet publish"));
        Assert.Equal(3, Regex.Matches(Workflow, "name: functions-package").Count); // one upload, two downloads
        Assert.Contains("needs: build", Job("deploy-dev"), StringComparison.Ordinal);
        Assert.True(File.Exists(RepoPaths.Of("functions", "PortCustoms.Functions", "PortCustoms.Functions.csproj")));
        Assert.True(File.Exists(RepoPaths.Of("global.json")));
    }

    [Fact]
    public void Script_runs_what_if_and_deploys_with_the_environment_parameter_file()
    {
        Assert.Contains("az deployment group what-if", Script, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", Script, StringComparison.Ordinal);
        Assert.Contains("parameters=\"$root/infra/bicep/$environment.bicepparam\"", Script, StringComparison.Ordinal);
        Assert.Contains("--parameters deployBlobEventSubscription=true", Script, StringComparison.Ordinal);
        Assert.Contains("az functionapp deployment source config-zip", Script, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", Script, StringComparison.Ordinal);
        Assert.Contains("trigger_function=BatchDropTrigger", Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Smoke_test_fetches_the_health_endpoint_with_retries()
    {
        Assert.Matches(@"curl --fail .*--retry \d+", Script);
        Assert.Contains("deployment_output healthUrl", Script, StringComparison.Ordinal);

        var healthUrl = infra.Main.Template["outputs"]!["healthUrl"]!["value"]!.GetValue<string>();
        Assert.Contains("/api/v1/health", healthUrl, StringComparison.Ordinal);
        Assert.NotNull(infra.Main.Template["outputs"]!["functionAppName"]);
    }

    [BashFact]
    public void Prod_is_refused_without_a_caller_identity_and_dev_is_not()
    {
        static (int Code, string Errors) Run(string environment, IReadOnlyDictionary<string, string> variables)
        {
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(RepoPaths.Of("infra", "scripts", "deploy.sh"));
            start.ArgumentList.Add("what-if");
            start.ArgumentList.Add(environment);
            start.ArgumentList.Add("rg-test");
            start.Environment.Remove("PORTCUSTOMS_ENTRA_CLIENT_ID");
            start.Environment.Remove("PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS");
            // No az here: past the guard the script fails on the missing CLI, with another code.
            start.Environment["PATH"] = "/usr/bin:/bin";
            foreach (var (name, value) in variables)
            {
                start.Environment[name] = value;
            }
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
            return (process.ExitCode, errors);
        }

        var refused = Run("prod", new Dictionary<string, string>());
        Assert.Equal(4, refused.Code);
        Assert.Contains("without caller identity", refused.Errors, StringComparison.Ordinal);
        Assert.NotEqual(4, Run("prod", new Dictionary<string, string> { ["PORTCUSTOMS_ENTRA_CLIENT_ID"] = "3f1c0b7e-0000-4000-8000-000000000001" }).Code);
        Assert.NotEqual(4, Run("prod", new Dictionary<string, string> { ["PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS"] = new string('A', 40) }).Code);
        Assert.NotEqual(4, Run("dev", new Dictionary<string, string>()).Code);
    }

    [Fact]
    public void Every_deploying_job_hands_the_caller_identity_variables_to_the_parameter_files()
    {
        foreach (var job in (string[])["deploy-dev", "what-if-prod", "deploy-prod"])
        {
            var start = Workflow.IndexOf($"\n  {job}:\n", StringComparison.Ordinal);
            Assert.True(start >= 0, job);
            var end = Workflow.IndexOf("\n    steps:\n", start, StringComparison.Ordinal);
            var header = Workflow[start..end];
            Assert.Contains("PORTCUSTOMS_ENTRA_CLIENT_ID: ${{ vars.PORTCUSTOMS_ENTRA_CLIENT_ID }}", header, StringComparison.Ordinal);
            Assert.Contains("PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS: ${{ vars.PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS }}", header, StringComparison.Ordinal);
            Assert.Contains("PORTCUSTOMS_CUSTOMS_SIGNING_CERTIFICATE: ${{ vars.PORTCUSTOMS_CUSTOMS_SIGNING_CERTIFICATE }}", header, StringComparison.Ordinal);
            Assert.Contains("PORTCUSTOMS_CUSTOMS_SIGNING_THUMBPRINTS: ${{ vars.PORTCUSTOMS_CUSTOMS_SIGNING_THUMBPRINTS }}", header, StringComparison.Ordinal);
        }
        foreach (var file in (string[])["dev.bicepparam", "prod.bicepparam"])
        {
            var parameters = File.ReadAllText(RepoPaths.Of("infra", "bicep", file));
            Assert.Contains("readEnvironmentVariable('PORTCUSTOMS_ENTRA_CLIENT_ID', '')", parameters, StringComparison.Ordinal);
            Assert.Contains("readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS', '')", parameters, StringComparison.Ordinal);
            Assert.Contains("readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_SIGNING_CERTIFICATE', '')", parameters, StringComparison.Ordinal);
            Assert.Contains("readEnvironmentVariable('PORTCUSTOMS_CUSTOMS_SIGNING_THUMBPRINTS', '')", parameters, StringComparison.Ordinal);
        }
    }

    [BashFact]
    public void Script_is_valid_bash()
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(RepoPaths.Of("infra", "scripts", "deploy.sh"));
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.True(process.ExitCode == 0, errors);
    }

    [Fact]
    public void Azure_yaml_deploys_the_function_project_with_the_bicep_infra()
    {
        Assert.Matches(@"(?m)^infra:\s*\n\s+provider: bicep\s*\n\s+path: infra/bicep\s*\n\s+module: main\s*$", AzureYaml);
        Assert.Matches(@"(?m)^services:\s*\n\s+api:\s*\n\s+project: functions/PortCustoms.Functions\s*\n\s+language: dotnet\s*\n\s+host: function\s*$", AzureYaml);
        Assert.True(Directory.Exists(RepoPaths.Of("functions", "PortCustoms.Functions")));
    }

    [Fact]
    public void Azd_parameters_match_the_template_and_take_the_region_from_the_azd_environment()
    {
        var file = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("infra", "bicep", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = infra.Main.Parameters.Select(p => p.Key).ToHashSet();

        Assert.All(file, p => Assert.Contains(p.Key, declared));
        Assert.Equal("${AZURE_LOCATION}", file["location"]!["value"]!.GetValue<string>());
        Assert.Contains(file["storageSku"]!["value"]!.GetValue<string>(), new[] { "Standard_LRS", "Standard_ZRS" });
    }

    [Fact]
    public void Deployment_guide_covers_the_operator_steps()
    {
        var guide = File.ReadAllText(RepoPaths.Of("docs", "deploy.md"));

        foreach (var needle in new[]
                 {
                     "az ad app create", "az ad app federated-credential create", "repo:", ":environment:prod", ":environment:prod-preview",
                     "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP",
                     "Required reviewers", "az keyvault certificate import", "az keyvault certificate create",
                     "az deployment group what-if", "az deployment group create", "az deployment sub create",
                     "policy.bicep", "azd up", "/api/v1/health", "list-flexconsumption-locations",
                     "deployBlobEventSubscription", "SftpCommit",
                 })
        {
            Assert.Contains(needle, guide, StringComparison.Ordinal);
        }

        Assert.All(ResidencyTests.ApprovedRegions, region => Assert.Contains($"`{region}`", guide, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Jobs() =>
        Regex.Matches(Workflow[Workflow.IndexOf("\njobs:\n", StringComparison.Ordinal)..], @"\n  (?<name>[a-z][\w-]*):\n").Select(m => m.Groups["name"].Value);

    private static string Job(string name)
    {
        var start = Workflow.IndexOf($"\n  {name}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no job {name}");
        var next = Regex.Match(Workflow[(start + 1)..], @"\n  [a-z][\w-]*:\n");
        return next.Success ? Workflow.Substring(start, next.Index + 1) : Workflow[start..];
    }
}
