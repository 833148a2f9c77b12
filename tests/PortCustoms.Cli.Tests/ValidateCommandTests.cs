using System.Text.Json;
using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

public sealed class ValidateCommandTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(EdifactValidationMode mode, bool json, params string[] files)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync(files, mode, json, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private const string UntCountWrong =
        "UNA:+.? '\nUNB+UNOC:3+S+R+261126:0800+IC1'\nUNH+1+CODECO:D:95B:UN'\nBGM+34+E1+9'\nNAD+MS+T'\nEQD+CN+MSCU1234566+45G1:102:5'\nDTM+7:202611260815?+01:303'\nCNT+16:1'\nUNT+9+1'\nUNZ+1+IC1'\n";

    [Theory]
    [InlineData("codeco-d95b-gate.edi", 2)]
    [InlineData("coarri-d96b-discharge.edi", 1)]
    [InlineData("coarri-d01b-loading.edi", 1)]
    [InlineData("cusres-d95b-release.edi", 2)]
    [InlineData("cuscar-d95b-manifest.edi", 1)]
    [InlineData("iftman-d95b-arrival.edi", 1)]
    public async Task Valid_fixture_exits_0_with_the_contract_json_shape(string fixture, int messages)
    {
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, Fixture(fixture));

        Assert.Equal(PortCustomsCli.Success, exit);
        var report = ParseJson(stdout);
        // The contract's fields in its order, then the addition: counts per code.
        Assert.Equal(["file", "format", "valid", "interchanges", "messages", "errors", "warnings", "counts"], report.EnumerateObject().Select(p => p.Name));
        Assert.Equal("EDIFACT", report.GetProperty("format").GetString());
        Assert.True(report.GetProperty("valid").GetBoolean());
        Assert.Equal(1, report.GetProperty("interchanges").GetInt32());
        Assert.Equal(messages, report.GetProperty("messages").GetInt32());
        Assert.Equal(0, report.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task UNT_count_mismatch_is_an_error_in_strict_mode_with_its_position()
    {
        using var file = Temp(UntCountWrong);
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var report = ParseJson(stdout);
        Assert.False(report.GetProperty("valid").GetBoolean());
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(["code", "message", "line", "segment", "element", "component"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("EDI-ENV-UNT-COUNT", error.GetProperty("code").GetString());
        Assert.Equal(9, error.GetProperty("line").GetInt32());
        Assert.Equal(8, error.GetProperty("segment").GetInt32());
        Assert.Equal(1, error.GetProperty("element").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("component").ValueKind);
    }

    [Fact]
    public async Task UNT_count_mismatch_is_a_warning_in_lenient_mode()
    {
        using var file = Temp(UntCountWrong);
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Lenient, json: true, file.Path);

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Equal("EDI-ENV-UNT-COUNT", Assert.Single(ParseJson(stdout).GetProperty("warnings").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Container_check_digit_is_a_finding_with_line_segment_element_component()
    {
        using var file = Temp(UntCountWrong.Replace("MSCU1234566", "MSCU1234567", StringComparison.Ordinal).Replace("UNT+9+1", "UNT+7+1", StringComparison.Ordinal));
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var error = Assert.Single(ParseJson(stdout).GetProperty("errors").EnumerateArray());
        Assert.Equal(("EDI-MAP-CONTAINER-CHECK-DIGIT", 6, 5, 2, 1),
            (error.GetProperty("code").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("segment").GetInt32(), error.GetProperty("element").GetInt32(), error.GetProperty("component").GetInt32()));
    }

    [Fact]
    public async Task Structure_error_is_reported_with_the_segment_number()
    {
        // BGM is mandatory in CODECO: the NAD read in its place is where it is missing.
        using var file = Temp(UntCountWrong.Replace("BGM+34+E1+9'\n", string.Empty, StringComparison.Ordinal).Replace("UNT+9+1", "UNT+6+1", StringComparison.Ordinal));
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains(ParseJson(stdout).GetProperty("errors").EnumerateArray(),
            e => e.GetProperty("code").GetString() == "EDI-STR-MISSING-SEGMENT" && e.GetProperty("segment").GetInt32() == 3);
    }

    [Fact]
    public async Task Several_files_give_an_array_and_exit_1_when_any_is_invalid()
    {
        using var bad = Temp(UntCountWrong);
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, Fixture("codeco-d95b-gate.edi"), bad.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal([true, false], ParseJson(stdout).EnumerateArray().Select(r => r.GetProperty("valid").GetBoolean()));
    }

    [Fact]
    public async Task Canonical_json_file_is_detected_and_validated()
    {
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, Fixture("codeco-d95b-gate.json"));

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Equal(("JSON", 2), (ParseJson(stdout).GetProperty("format").GetString(), ParseJson(stdout).GetProperty("messages").GetInt32()));
    }

    [Fact]
    public async Task Invalid_event_json_names_the_field()
    {
        using var file = Temp("[{\"eventId\":\"E1\",\"containerNumber\":\"MSCU1234567\",\"type\":\"GATED_IN\",\"occurredAt\":\"2026-11-26T08:15:00Z\"}]", ".json");
        var (exit, stdout, _) = await RunAsync(EdifactValidationMode.Strict, json: true, file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var error = Assert.Single(ParseJson(stdout).GetProperty("errors").EnumerateArray());
        Assert.Equal("$[0].containerNumber", error.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var (exit, _, stderr) = await RunAsync(EdifactValidationMode.Strict, json: true, "/no/such/file.edi");

        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.Contains("/no/such/file.edi", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_output_is_a_readable_table_with_findings_on_stderr()
    {
        using var file = Temp(UntCountWrong);
        var (exit, stdout, stderr) = await RunAsync(EdifactValidationMode.Strict, json: false, file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("EDIFACT", stdout, StringComparison.Ordinal);
        Assert.Contains("EDI-ENV-UNT-COUNT", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("validate", "--strict", "--lenient", "x.edi")]
    [InlineData("translate", "x.edi")]
    public async Task Usage_errors_exit_2(params string[] args) =>
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(args));
}
