using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary><c>portcustoms compare</c>: parallel running, legacy channel beside PortCustoms (contracts/cli.md).</summary>
public sealed class CompareCommandTests
{
    private const string Header = "containerNumber,outcome,at,reference\n";

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string legacy, string ours, string window = "PT10M", bool json = false)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CompareCommand.RunAsync(legacy, ours, window, json, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Channels_that_agree_within_the_window_exit_0()
    {
        using var legacy = Temp(Header + "MSCU1234566,RELEASED,2026-11-26T08:00:00Z,L1\nTGHU9876540,HOLD,2026-11-26T08:05:00Z,L2\n", ".csv");
        using var ours = Temp("""[ { "containerNumber": "MSCU1234566", "outcome": "CLEAR", "at": "2026-11-26T09:03:00+01:00" }, { "containerNumber": "TGHU9876540", "outcome": "HOLD", "at": "2026-11-26T08:05:00Z" } ]""", ".json");

        var (exit, stdout, stderr) = await RunAsync(legacy.Path, ours.Path, json: true);

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Empty(stderr);
        var report = ParseJson(stdout);
        Assert.True(report.GetProperty("agrees").GetBoolean());
        Assert.Equal(1, report.GetProperty("counts").GetProperty("matches").GetInt32());
        Assert.Equal(1, report.GetProperty("counts").GetProperty("timing").GetInt32());
        Assert.Equal(2, report.GetProperty("containers").GetInt32());
        Assert.Equal(180, report.GetProperty("rows")[0].GetProperty("lagSeconds").GetDouble());
    }

    [Fact]
    public async Task A_difference_or_a_one_sided_row_exits_1_and_is_listed()
    {
        using var legacy = Temp(Header + "MSCU1234566,CLEAR,2026-11-26T08:00:00Z,\nCSQU3054383,HOLD,2026-11-26T08:00:00Z,\n", ".csv");
        using var ours = Temp(Header + "MSCU1234566,HOLD,2026-11-26T08:00:00Z,\n", ".csv");

        var (exit, stdout, _) = await RunAsync(legacy.Path, ours.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("difference", stdout, StringComparison.Ordinal);
        Assert.Contains("Legacy said CLEAR", stdout, StringComparison.Ordinal);
        Assert.Contains("legacy-only", stdout, StringComparison.Ordinal);
        Assert.Contains("CSQU3054383", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_window_decides_between_timing_and_difference()
    {
        using var legacy = Temp(Header + "MSCU1234566,CLEAR,2026-11-26T08:00:00Z,\n", ".csv");
        using var ours = Temp(Header + "MSCU1234566,CLEAR,2026-11-26T08:20:00Z,\n", ".csv");

        Assert.Equal(PortCustomsCli.Findings, (await RunAsync(legacy.Path, ours.Path, "PT10M")).Exit);
        Assert.Equal(PortCustomsCli.Success, (await RunAsync(legacy.Path, ours.Path, "PT30M")).Exit);
    }

    [Fact]
    public async Task Bad_rows_are_named_with_their_line_and_exit_2()
    {
        using var legacy = Temp(Header + "MSCU1234566,CLEAR,2026-11-26T08:00:00,\n", ".csv");
        using var ours = Temp(Header, ".csv");

        var (exit, stdout, stderr) = await RunAsync(legacy.Path, ours.Path);

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Empty(stdout);
        Assert.Contains($"{legacy.Path}:2 (at): CMP-TIME-INVALID", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P1X")]
    [InlineData("-PT5M")]
    public async Task A_window_that_is_not_a_positive_iso_duration_exits_2(string window)
    {
        using var legacy = Temp(Header, ".csv");
        using var ours = Temp(Header, ".csv");

        var (exit, _, stderr) = await RunAsync(legacy.Path, ours.Path, window);

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("--window", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        using var ours = Temp(Header, ".csv");

        var (exit, _, stderr) = await RunAsync("/nonexistent/legacy.csv", ours.Path);

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("/nonexistent/legacy.csv", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_names_the_options()
    {
        // Help through the parser's own configuration, not the process-wide Console that other tests share.
        using var output = new StringWriter();
        var exit = PortCustomsCli.BuildRootCommand().Parse(["compare", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        Assert.Contains("--legacy", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--window", output.ToString(), StringComparison.Ordinal);
    }
}
