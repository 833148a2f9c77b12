using System.Text;
using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary>Findings at scale (issue 13 point 9): the first N per code with positions, and the exact count per code.</summary>
public sealed class ValidateCommandScaleTests
{
    // A CODECO gate-in whose date has no time zone: one mapping warning per message.
    private static string Interchange(int messages)
    {
        var text = new StringBuilder("UNA:+.? '\nUNB+UNOC:3+S+R+261126:0800+IC1'\n");
        for (var i = 1; i <= messages; i++)
        {
            text.Append($"UNH+{i}+CODECO:D:95B:UN'\nBGM+34+E{i}+9'\nNAD+MS+T'\nEQD+CN+MSCU1234566+45G1:102:5'\nDTM+7:202611260815:203'\nCNT+16:1'\nUNT+7+{i}'\n");
        }
        return text.Append($"UNZ+{messages}+IC1'\n").ToString();
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, bool json, int maxFindings)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync([file], new EdifactValidationOptions { MaxFindingsPerCode = maxFindings }, json, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Json_lists_the_first_findings_of_a_code_and_counts_them_all()
    {
        using var file = Temp(Interchange(250));

        var (exit, stdout, _) = await RunAsync(file.Path, json: true, maxFindings: 100);

        Assert.Equal(PortCustomsCli.Success, exit);
        var report = ParseJson(stdout);
        var warnings = report.GetProperty("warnings").EnumerateArray().Where(w => w.GetProperty("code").GetString() == "EDI-MAP-DATE-NO-OFFSET").ToList();
        Assert.Equal(100, warnings.Count);
        Assert.Equal([6, 13, 20], warnings.Take(3).Select(w => w.GetProperty("segment").GetInt32()));
        var count = Assert.Single(report.GetProperty("counts").EnumerateArray());
        Assert.Equal(("EDI-MAP-DATE-NO-OFFSET", "warning", 250L, 100),
            (count.GetProperty("code").GetString(), count.GetProperty("severity").GetString(), count.GetProperty("count").GetInt64(), count.GetProperty("listed").GetInt32()));
    }

    [Fact]
    public async Task Max_findings_sets_how_many_are_listed_per_code()
    {
        using var file = Temp(Interchange(30));

        var (_, stdout, _) = await RunAsync(file.Path, json: true, maxFindings: 7);

        var report = ParseJson(stdout);
        Assert.Equal(7, report.GetProperty("warnings").EnumerateArray().Count(w => w.GetProperty("code").GetString() == "EDI-MAP-DATE-NO-OFFSET"));
        Assert.Equal(30, Assert.Single(report.GetProperty("counts").EnumerateArray()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Table_lists_the_first_findings_and_a_count_per_code()
    {
        using var file = Temp(Interchange(40));

        var (exit, _, stderr) = await RunAsync(file.Path, json: false, maxFindings: 5);

        Assert.Equal(PortCustomsCli.Success, exit);
        var lines = stderr.Split('\n');
        Assert.Equal(5, lines.Count(l => l.Contains("EDI-MAP-DATE-NO-OFFSET", StringComparison.Ordinal) && l.Contains("warning", StringComparison.Ordinal) && l.Contains("no time zone", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("EDI-MAP-DATE-NO-OFFSET", StringComparison.Ordinal) && l.Contains(" 40 ", StringComparison.Ordinal) && l.Contains(" 5 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_past_the_size_limit_is_refused_with_a_finding()
    {
        using var file = Temp(Interchange(2));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ValidateCommand.RunAsync([file.Path], new EdifactValidationOptions { MaxMessageSegments = 3 }, json: true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var errors = ParseJson(stdout.ToString()).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([("EDI-MSG-TOO-LARGE", 3), ("EDI-MSG-TOO-LARGE", 10)], errors.Select(e => (e.GetProperty("code").GetString(), e.GetProperty("line").GetInt32())));
    }

    [Fact]
    public async Task Translate_findings_are_capped_per_code_and_counted_too()
    {
        using var file = Temp(Interchange(150));
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        var exit = await TranslateCommand.RunAsync(file.Path, Files.TranslationTarget.Json, new Core.Translation.EdifactInterchangeOptions(), json: true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Success, exit);
        var findings = ParseJson(stderr.ToString());
        Assert.Equal(100, findings.GetProperty("warnings").GetArrayLength());
        var count = Assert.Single(findings.GetProperty("counts").EnumerateArray());
        Assert.Equal(("EDI-MAP-DATE-NO-OFFSET", 150L, 100), (count.GetProperty("code").GetString(), count.GetProperty("count").GetInt64(), count.GetProperty("listed").GetInt32()));
        Assert.Equal(150, ParseJson(Encoding.UTF8.GetString(stdout.ToArray())).GetProperty("messages").GetArrayLength());
    }
}
