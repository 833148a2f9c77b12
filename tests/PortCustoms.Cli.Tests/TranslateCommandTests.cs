using System.Text;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Translation;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

public sealed class TranslateCommandTests
{
    private static async Task<(int Exit, byte[] Stdout, string Stderr)> RunAsync(string file, TranslationTarget target, EdifactInterchangeOptions? options = null, bool json = true)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = await TranslateCommand.RunAsync(file, target, options ?? new EdifactInterchangeOptions { PreparedAt = DateTimeOffset.UnixEpoch }, json, stdout, stderr);
        return (exit, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>One golden per message type: the CLI writes exactly the canonical JSON the Core goldens hold.</summary>
    [Theory]
    [InlineData("codeco-d95b-gate")]
    [InlineData("coarri-d96b-discharge")]
    [InlineData("coarri-d01b-loading")]
    [InlineData("cusres-d95b-release")]
    [InlineData("cuscar-d95b-manifest")]
    [InlineData("iftman-d95b-arrival")]
    [InlineData("codeco-d96b-gate-out")]
    [InlineData("cusres-d96b-inspection")]
    [InlineData("cuscar-d96b-manifest")]
    [InlineData("iftmcs-d95b-contract-status")]
    public async Task Edifact_to_json_matches_the_golden(string name)
    {
        var (exit, stdout, _) = await RunAsync(Fixture(name + ".edi"), TranslationTarget.Json);

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Equal(await File.ReadAllTextAsync(Fixture(name + ".json")), Encoding.UTF8.GetString(stdout));
    }

    [Theory]
    [InlineData("codeco-d95b-gate", "D95B")]
    [InlineData("coarri-d96b-discharge", "D96B")]
    [InlineData("cuscar-d95b-manifest", "D01B")]
    [InlineData("cusres-d95b-release", "D00B")]
    public async Task Json_to_edifact_and_back_gives_the_same_canonical_objects(string name, string directory)
    {
        EdifactDirectory.TryParse(directory, out var d);
        var (exit, edifact, stderr) = await RunAsync(Fixture(name + ".json"), TranslationTarget.Edifact, new EdifactInterchangeOptions { Directory = d, PreparedAt = DateTimeOffset.UnixEpoch, Sender = "NLCUSTOMS" });
        Assert.True(exit == PortCustomsCli.Success, stderr);
        Assert.StartsWith("UNA:+.? '", Encoding.Latin1.GetString(edifact), StringComparison.Ordinal);

        using var file = new TempFile(edifact, ".edi");
        var (backExit, json, _) = await RunAsync(file.Path, TranslationTarget.Json);
        Assert.Equal(PortCustomsCli.Success, backExit);
        var expected = ParseJson(await File.ReadAllTextAsync(Fixture(name + ".json"))).GetProperty("messages").EnumerateArray().SelectMany(Items).ToList();
        var actual = ParseJson(Encoding.UTF8.GetString(json)).GetProperty("messages").EnumerateArray().SelectMany(Items).ToList();
        Assert.Equal(expected.Count, actual.Count);
        if (name.StartsWith("cusres", StringComparison.Ordinal))
        {
            // Notification ids come from the envelope that carried them; the content must survive.
            Assert.Equal(expected.Select(n => (n.GetProperty("containerNumber").GetString(), n.GetProperty("status").GetString())),
                actual.Select(n => (n.GetProperty("containerNumber").GetString(), n.GetProperty("status").GetString())));
        }
        else
        {
            Assert.Equal(expected.Select(e => e.GetRawText()), actual.Select(e => e.GetRawText()));
        }
    }

    private static IEnumerable<System.Text.Json.JsonElement> Items(System.Text.Json.JsonElement message)
    {
        foreach (var name in new[] { "events", "notifications" })
        {
            if (message.TryGetProperty(name, out var items))
            {
                foreach (var item in items.EnumerateArray())
                {
                    yield return item;
                }
            }
        }
        if (message.TryGetProperty("manifest", out var manifest))
        {
            yield return manifest;
        }
    }

    [Fact]
    public async Task Mapping_errors_exit_1_with_positions_in_the_json_findings()
    {
        using var file = Temp("UNB+UNOC:3+S+R+261126:0800+IC1'\nUNH+1+CODECO:D:95B:UN'\nBGM+34+E1+9'\nNAD+MS+T'\nEQD+CN+MSCU1234567'\nDTM+7:202611260815?+01:303'\nCNT+16:1'\nUNT+7+1'\nUNZ+1+IC1'\n");
        var (exit, stdout, stderr) = await RunAsync(file.Path, TranslationTarget.Json);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.NotEmpty(stdout);
        var error = Assert.Single(ParseJson(stderr).GetProperty("errors").EnumerateArray());
        Assert.Equal(("EDI-MAP-CONTAINER-CHECK-DIGIT", 5, 5, 2), (error.GetProperty("code").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("segment").GetInt32(), error.GetProperty("element").GetInt32()));
    }

    [Fact]
    public async Task Json_with_an_invalid_event_writes_nothing_and_exits_1()
    {
        using var file = Temp("{\"eventId\":\"E1\",\"containerNumber\":\"MSCU1234566\",\"type\":\"GATED_IN\"}", ".json");
        var (exit, stdout, _) = await RunAsync(file.Path, TranslationTarget.Edifact);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Value_too_long_for_its_element_is_reported_not_written_silently()
    {
        using var file = Temp("{\"eventId\":\"E1\",\"containerNumber\":\"MSCU1234566\",\"type\":\"GATED_IN\",\"occurredAt\":\"2026-11-26T08:15:00Z\",\"sealNumbers\":[\"A-VERY-LONG-SEAL-NUMBER\"]}", ".json");
        var (exit, _, stderr) = await RunAsync(file.Path, TranslationTarget.Edifact);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("EDI-STR-ELEMENT-TOO-LONG", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("codeco-d95b-gate.json", TranslationTarget.Json)]
    [InlineData("codeco-d95b-gate.edi", TranslationTarget.Edifact)]
    [InlineData("codeco-d95b-gate.xml", TranslationTarget.Xml)]
    public async Task Same_format_is_a_usage_error(string fixture, TranslationTarget target)
    {
        var (exit, _, _) = await RunAsync(Fixture(fixture), target);
        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
    }

    [Fact]
    public async Task Customs_errors_in_json_to_edifact_are_reported_not_dropped_silently()
    {
        var (exit, stdout, stderr) = await RunAsync(Fixture("cusres-d95b-release.json"), TranslationTarget.Edifact);

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.NotEmpty(stdout);
        var warning = Assert.Single(ParseJson(stderr).GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == CliErrorCodes.NotCarried);
        Assert.Contains("customs error", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
