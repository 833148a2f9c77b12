using System.Text.Json;
using PortCustoms.Core.Reconciliation;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

public sealed class ReconcileCommandTests
{
    // The CUSCAR fixture: MSCU1234566 45G1 full with seal ML-12345, CMAU4001000 4510 (= 45G1) empty; IMO 9811000 voyage 124E.
    private const string Header = "containerNumber,vesselImo,voyage,dischargedAt,sizeType,sealNumbers,fullEmpty\n";
    private const string Matching = Header +
        "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,40HC,ML-12345,F\n" +
        "CMAU4001000,9811000,124E,2026-11-26T03:05:00Z,45G1,,E\n";

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] manifests, string discharge, bool json = false)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ReconcileCommand.RunAsync(manifests, discharge, json, new ReconciliationOptions(), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Manifest_and_discharge_list_that_agree_exit_0()
    {
        using var list = Temp(Matching, ".csv");
        var (exit, stdout, stderr) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path);
        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Contains("2 manifested, 2 discharged, 0 discrepancies", stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task Discrepancies_exit_1_with_a_table_line_per_discrepancy()
    {
        using var list = Temp(Header +
            "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,22G1,ML-99999,E\n" +
            "TGHU1234567,9811000,124E,2026-11-26T03:05:00Z,45G1,,E\n", ".csv");
        var (exit, stdout, _) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path);
        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("short-landed", stdout, StringComparison.Ordinal);
        Assert.Contains("CMAU4001000", stdout, StringComparison.Ordinal);
        Assert.Contains("over-landed", stdout, StringComparison.Ordinal);
        Assert.Contains("seal mismatch", stdout, StringComparison.Ordinal);
        Assert.Contains("size-type mismatch", stdout, StringComparison.Ordinal);
        Assert.Contains("full/empty mismatch", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_prints_the_report_with_counts_and_evidence()
    {
        using var list = Temp(Header + "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1,ML-12345,F\n", ".csv");
        var (exit, stdout, _) = await RunAsync([Fixture("cuscar-d95b-manifest.json")], list.Path, json: true);
        Assert.Equal(PortCustomsCli.Findings, exit);
        var report = ParseJson(stdout);
        Assert.Equal("9811000-124E", report.GetProperty("vesselCall").GetString());
        Assert.Equal(1, report.GetProperty("counts").GetProperty("SHORT-LANDED").GetInt32());
        Assert.Equal(0, report.GetProperty("counts").GetProperty("OVER-LANDED").GetInt32());
        var d = report.GetProperty("discrepancies")[0];
        Assert.Equal(1, d.GetProperty("number").GetInt32());
        Assert.Equal("SHORT-LANDED", d.GetProperty("code").GetString());
        Assert.Equal("CMAU4001000", d.GetProperty("containerNumber").GetString());
        Assert.EndsWith("CUSCAR M1", d.GetProperty("manifest")[0].GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_rows_are_reported_as_discrepancies_not_skipped()
    {
        using var list = Temp(Matching + "MSCU1234567,9811000,124E,2026-11-26T03:09:00Z,45G1,,F\n,9811000,124E,2026-11-26T03:09:00Z,,,\n", ".csv");
        var (exit, stdout, _) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path, json: true);
        Assert.Equal(PortCustomsCli.Findings, exit);
        var counts = ParseJson(stdout).GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("CHECK-DIGIT-IN-DISCHARGE-LIST").GetInt32());
        Assert.Equal(1, counts.GetProperty("INVALID-DISCHARGE-ROW").GetInt32());
    }

    [Fact]
    public async Task A_manifest_for_another_call_is_named_in_the_report()
    {
        using var list = Temp(Matching.Replace("124E", "125W", StringComparison.Ordinal), ".csv");
        var (exit, stdout, _) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path, json: true);
        Assert.Equal(PortCustomsCli.Findings, exit);
        var counts = ParseJson(stdout).GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("OTHER-VESSEL-CALL").GetInt32());
        Assert.Equal(2, counts.GetProperty("OVER-LANDED").GetInt32());
    }

    [Fact]
    public async Task A_discharge_list_without_a_required_column_exits_2_with_the_code()
    {
        using var list = Temp("containerNumber,vesselImo,dischargedAt\nMSCU1234566,9811000,2026-11-26T03:02:00Z\n", ".csv");
        var (exit, stdout, stderr) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path);
        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains(":1: DISCHARGE-COLUMN-MISSING", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task An_empty_discharge_list_exits_2()
    {
        using var list = Temp(Header, ".csv");
        var (exit, _, stderr) = await RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path);
        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("DISCHARGE-EMPTY", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_unreadable_manifest_exits_2()
    {
        using var list = Temp(Matching, ".csv");
        Assert.Equal(PortCustomsCli.UsageOrFailure, (await RunAsync([Path.Combine(Path.GetTempPath(), "no-such-manifest.edi")], list.Path)).Exit);
        using var garbage = Temp("UNA:+.? 'UNB+UNOC:3+A+B+261120:1000+1'UNH+1+CODECO:D:95B:UN'", ".edi");
        var (exit, _, stderr) = await RunAsync([garbage.Path], list.Path);
        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("EDI-", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_command_parses_several_manifests_and_requires_discharge()
    {
        using var list = Temp(Matching, ".csv");
        var exit = await PortCustomsCli.InvokeAsync(["reconcile", "--manifest", Fixture("cuscar-d95b-manifest.edi"), Fixture("cuscar-d95b-manifest.json"), "--discharge", list.Path, "--format", "json"]);
        // The same containers on two manifests: listed twice.
        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["reconcile", "--manifest", Fixture("cuscar-d95b-manifest.edi")]));
    }
}
