using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>
/// Alert rules and the operations workbook on the compiled ARM JSON: each threshold the operations desks agreed on, the
/// action group, and every app metric a rule reads is one the app really emits (a renamed metric silences no alert).
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class AlertTests(CompiledInfra infra)
{
    private TemplateScope Alerts => Arm.Module(infra.Main, "alerts");

    private JsonArray QueryRules => Alerts.Variables["queryRules"]!.AsArray();

    [GeneratedRegex(@"portcustoms\.[a-z_]+(\.[a-z_]+)+")]
    private static partial Regex AppMetricName();

    private string Query(string rule) =>
        QueryRules.Single(r => r!["name"]!.GetValue<string>() == rule)!["query"]!.GetValue<string>();

    [Fact]
    public void Delivery_success_under_99_5_percent_fires()
    {
        var query = Query("delivery-success-below-99-5");
        Assert.Contains("successRate < 0.995", query, StringComparison.Ordinal);
        Assert.Contains("portcustoms.events.delivered", query, StringComparison.Ordinal);
        Assert.Contains("portcustoms.events.delivery_failures", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_p95_over_3_seconds_fires_on_the_gate_function()
    {
        var query = Query("gate-p95-over-3s");
        Assert.Contains("percentile(DurationMs, 95)", query, StringComparison.Ordinal);
        Assert.Contains("p95 > 3000", query, StringComparison.Ordinal);
        Assert.Contains("parameters('gateFunctionName')", query, StringComparison.Ordinal);
        Assert.Equal("GateQuery", Arm.ResolveString(Alerts, JsonValue.Create("[parameters('gateFunctionName')]")));
        Assert.Contains("[Function(\"GateQuery\")]", File.ReadAllText(RepoPaths.Of("functions", "PortCustoms.Functions", "Gate", "GateQueryFunction.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dead_letter_on_the_status_event_queue_fires()
    {
        var rule = Arm.OfType(infra.Main, "Microsoft.Insights/metricAlerts").Single(r => r.Properties["description"]!.GetValue<string>().Contains("dead-lettered", StringComparison.Ordinal));
        var criterion = rule.Properties["criteria"]!["allOf"]![0]!;

        Assert.Equal("DeadletteredMessages", criterion["metricName"]!.GetValue<string>());
        Assert.Equal("GreaterThan", criterion["operator"]!.GetValue<string>());
        Assert.Equal(0, criterion["threshold"]!.GetValue<int>());
        Assert.Equal("[parameters('statusEventQueueName')]", criterion["dimensions"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal("[variables('statusEventQueueName')]", Alerts.ParameterBinding("statusEventQueueName")!.GetValue<string>());
    }

    [Fact]
    public void The_certificate_expiry_rule_and_the_app_share_one_warning_window()
    {
        Assert.Contains("daysLeft < {0}", Query("customs-certificate-expiring"), StringComparison.Ordinal);
        Assert.Equal("[parameters('certificateExpiryWarningDays')]", Alerts.ParameterBinding("certificateExpiryWarningDays")!.GetValue<string>());
        var settings = DeployedAppSettings.For(infra.MainWith(infra.ProdParameters));
        Assert.Equal("30.00:00:00", settings["CustomsPlatform__ClientCertificate__ExpiryWarning"]);
    }

    [Theory]
    [InlineData("unmapped-code-seen", "portcustoms.codes.unmapped")]
    [InlineData("reconciliation-past-deadline", "portcustoms.reconciliation.deadlines_missed")]
    public void A_single_occurrence_fires(string rule, string metric)
    {
        var query = Query(rule);
        Assert.Contains($"Name == \"{metric}\"", query, StringComparison.Ordinal);
        Assert.Contains("> 0", query, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_waiting_over_a_minute_fires()
    {
        var query = Query("oldest-undelivered-over-60s");
        Assert.Contains("Name == \"portcustoms.events.oldest_undelivered.age\"", query, StringComparison.Ordinal);
        Assert.Contains("oldest > 60", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_notifies_the_action_group_parameter()
    {
        Assert.Equal("[parameters('alertActionGroupId')]", Alerts.ParameterBinding("actionGroupId")!.GetValue<string>());
        Assert.Equal("[if(empty(parameters('actionGroupId')), createArray(), createArray(parameters('actionGroupId')))]", Alerts.Variables["actions"]!.GetValue<string>());
        foreach (var rule in Arm.OfType(infra.Main, "Microsoft.Insights/scheduledQueryRules"))
        {
            Assert.Equal("[variables('actions')]", rule.Properties["actions"]!["actionGroups"]!.GetValue<string>());
            Assert.Equal("[parameters('workspaceId')]", rule.Properties["scopes"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public void Every_app_metric_a_rule_or_the_workbook_reads_is_emitted_by_the_app()
    {
        var source = string.Join('\n', Directory.EnumerateFiles(RepoPaths.Of("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var read = Arm.AllStrings(Alerts.Template).SelectMany(s => AppMetricName().Matches(s).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(read);
        Assert.All(read, metric => Assert.Contains($"\"{metric}\"", source, StringComparison.Ordinal));
    }

    [Fact]
    public void The_workbook_is_shared_and_tied_to_application_insights()
    {
        var workbook = Arm.OfType(infra.Main, "Microsoft.Insights/workbooks").Single();

        Assert.Equal("shared", workbook.Node["kind"]!.GetValue<string>());
        Assert.Equal("[parameters('appInsightsId')]", workbook.Properties["sourceId"]!.GetValue<string>());
        Assert.Contains("variables('workbookContent')", workbook.Properties["serializedData"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
