using System.Text;
using PortCustoms.Core.Operations;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary><c>portcustoms audit</c>: the data-quality profile of a terminal export (contracts/cli.md).</summary>
public sealed class AuditCommandTests
{
    private const string Header = "containerNumber,vesselImo,voyage,dischargedAt,sizeType\n";

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, bool json = false, ExportProfile? profile = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AuditCommand.RunAsync(file, profile ?? ExportProfile.DischargeList, json, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_clean_export_exits_0_in_the_contract_shape()
    {
        using var export = Temp(Header + "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1\n", ".csv");

        var (exit, stdout, _) = await RunAsync(export.Path, json: true);

        Assert.Equal(PortCustomsCli.Success, exit);
        var report = ParseJson(stdout);
        Assert.Equal(export.Path, report.GetProperty("file").GetString());
        Assert.Equal(1, report.GetProperty("rows").GetInt64());
        var container = report.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "containerNumber");
        Assert.Equal(1, container.GetProperty("filled").GetInt64());
        Assert.Equal(1, container.GetProperty("valid").GetInt64());
        Assert.Equal(0, container.GetProperty("findings").GetArrayLength());
        Assert.Equal(0, report.GetProperty("unmappedCodes").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_mandatory_values_exit_1_with_codes_and_rows()
    {
        using var export = Temp(Header + "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1\nMSCU1234567,9811000,124E,2026-11-26T03:02:00Z,XXXX\n", ".csv");

        var (exit, stdout, _) = await RunAsync(export.Path, json: true);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var report = ParseJson(stdout);
        var container = report.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "containerNumber");
        var finding = container.GetProperty("findings")[0];
        Assert.Equal("CHECK-DIGIT", finding.GetProperty("code").GetString());
        Assert.Equal(1, finding.GetProperty("count").GetInt64());
        Assert.Equal(3, finding.GetProperty("rows")[0].GetInt64());
        var unmapped = report.GetProperty("unmappedCodes")[0];
        Assert.Equal(("sizeType", "XXXX", 1), (unmapped.GetProperty("field").GetString(), unmapped.GetProperty("code").GetString(), unmapped.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task The_table_names_fields_and_unmapped_codes()
    {
        using var export = Temp(Header + "MSCU1234567,9811000,124E,2026-11-26T03:02:00Z,XXXX\n", ".csv");

        var (exit, stdout, _) = await RunAsync(export.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("containerNumber", stdout, StringComparison.Ordinal);
        Assert.Contains("CHECK-DIGIT x1 (2)", stdout, StringComparison.Ordinal);
        Assert.Contains("XXXX", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_export_streams_to_exact_counts()
    {
        // 200 000 rows written to disk and read back through the command: exact counts, examples bounded.
        var path = Path.Combine(Path.GetTempPath(), $"portcustoms-audit-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                await writer.WriteAsync(Header);
                for (var i = 0; i < 200_000; i++)
                {
                    await writer.WriteAsync(i % 1000 == 0 ? "MSCU1234567,9811000,124E,2026-11-26T03:02:00Z,45G1\n" : "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1\n");
                }
            }

            var (exit, stdout, _) = await RunAsync(path, json: true);

            Assert.Equal(PortCustomsCli.Findings, exit);
            var report = ParseJson(stdout);
            Assert.Equal(200_000, report.GetProperty("rows").GetInt64());
            var finding = report.GetProperty("fields")[0].GetProperty("findings")[0];
            Assert.Equal(200, finding.GetProperty("count").GetInt64());
            Assert.Equal(5, finding.GetProperty("rows").GetArrayLength());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_unreadable_file_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("/nonexistent/export.csv");

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("/nonexistent/export.csv", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_exits_2_with_the_reason()
    {
        using var export = Temp(string.Empty, ".csv");

        var (exit, _, stderr) = await RunAsync(export.Path);

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("header row is required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_list_override_files_apply_in_order_as_in_the_app()
    {
        using var export = Temp(Header + "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,40SD\nMSCU1234566,9811000,124E,2026-11-26T03:02:00Z,40SX\n", ".csv");
        using var first = Temp("""{ "list": "size-types", "version": "port 1", "mode": "extend", "aliases": { "40SD": "42G1" } }""", ".json");
        using var second = Temp("""{ "list": "size-types", "version": "port 2", "mode": "extend", "aliases": { "40SX": "42G1" } }""", ".json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await AuditCommand.RunAsync(export.Path, ExportProfile.DischargeList, [first.Path, second.Path], json: true, stdout, stderr);
        var (_, shipped, _) = await RunAsync(export.Path, json: true);

        Assert.Equal(PortCustomsCli.Success, exit);
        var report = ParseJson(stdout.ToString());
        Assert.Equal(2, report.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "sizeType").GetProperty("valid").GetInt64());
        Assert.Equal(0, report.GetProperty("unmappedCodes").GetArrayLength());
        Assert.Equal(["40SD", "40SX"], ParseJson(shipped).GetProperty("unmappedCodes").EnumerateArray().Select(u => u.GetProperty("code").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_code_list_file_is_a_usage_error_naming_it()
    {
        using var export = Temp(Header + "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1\n", ".csv");
        using var bad = Temp("""{ "list": "size-types", "version": "port", "mode": "extend", "aliases": { "40SD": "ZZZZ" } }""", ".json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await AuditCommand.RunAsync(export.Path, ExportProfile.DischargeList, [bad.Path], json: true, stdout, stderr);

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains(bad.Path, stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("ZZZZ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["audit", export.Path, "--code-lists", bad.Path]));
    }

    [Fact]
    public void The_code_lists_option_is_repeatable_and_keeps_its_order()
    {
        var parse = PortCustomsCli.BuildRootCommand().Parse(["audit", "export.csv", "--code-lists", "a.json", "--code-lists", "b.json"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["a.json", "b.json"], parse.GetValue<string[]>("--code-lists")!);
    }
}
