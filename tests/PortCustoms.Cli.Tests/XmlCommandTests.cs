using System.Text;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary>
/// <c>translate</c> between EDIFACT, WCO XML and canonical JSON in every direction, on the Core fixtures and their
/// goldens, and <c>validate</c> on XML: exit codes, and findings with code, line, column and XPath.
/// </summary>
public sealed class XmlCommandTests
{
    private static readonly string[] Fixtures =
    [
        "codeco-d95b-gate", "codeco-d96b-gate-out", "coarri-d96b-discharge", "coarri-d01b-loading", "cusres-d95b-release",
        "cusres-d96b-inspection", "cuscar-d95b-manifest", "cuscar-d96b-manifest", "iftman-d95b-arrival", "iftmcs-d95b-contract-status",
    ];

    public static TheoryData<string> Names => [.. Fixtures];

    // The goldens carry this metadata (tests/PortCustoms.Core.Tests/Xml).
    private static FileTranslator Translator => new() { XmlMetadata = new WcoMetadata { ResponsibleCountryCode = "NL", ResponsibleAgencyName = "Douane" } };

    private static async Task<(int Exit, string Stdout, string Stderr)> TranslateAsync(string file, TranslationTarget target)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = await TranslateCommand.RunAsync(file, target, new EdifactInterchangeOptions { PreparedAt = DateTimeOffset.UnixEpoch }, true, stdout, stderr, Translator);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), stderr.ToString());
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> ValidateAsync(params string[] files)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync(files, EdifactValidationMode.Strict, json: true, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Edifact_to_xml_matches_the_golden(string name)
    {
        var (exit, stdout, stderr) = await TranslateAsync(Fixture(name + ".edi"), TranslationTarget.Xml);

        Assert.True(exit == PortCustomsCli.Success, stderr);
        Assert.Equal(await File.ReadAllTextAsync(Fixture(name + ".xml")), stdout + "\n");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Json_to_xml_matches_the_golden(string name)
    {
        var (exit, stdout, stderr) = await TranslateAsync(Fixture(name + ".json"), TranslationTarget.Xml);

        Assert.True(exit == PortCustomsCli.Success, stderr);
        Assert.Equal(await File.ReadAllTextAsync(Fixture(name + ".xml")), stdout + "\n");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Xml_to_json_gives_the_golden_canonical_content(string name)
    {
        var (exit, stdout, stderr) = await TranslateAsync(Fixture(name + ".xml"), TranslationTarget.Json);

        Assert.True(exit == PortCustomsCli.Success, stderr);
        // Every entry is the golden's, except where it came from (the schema's namespace, not an EDIFACT directory).
        var golden = ParseJson(await File.ReadAllTextAsync(Fixture(name + ".json"))).GetProperty("messages").EnumerateArray().ToList();
        var actual = ParseJson(stdout).GetProperty("messages").EnumerateArray().ToList();
        var goldenItems = golden.SelectMany(Items).ToList();
        var actualItems = actual.SelectMany(Items).ToList();
        Assert.Equal(goldenItems, actualItems);
        Assert.All(actual, entry => Assert.StartsWith("urn:portcustoms:wco:", entry.GetProperty("directory").GetString(), StringComparison.Ordinal));
    }

    private static IEnumerable<string> Items(System.Text.Json.JsonElement entry)
    {
        foreach (var name in new[] { "events", "notifications", "customsErrors" })
        {
            if (entry.TryGetProperty(name, out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    yield return name + ":" + item.GetRawText().ReplaceLineEndings(string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
                }
            }
        }
        if (entry.TryGetProperty("manifest", out var manifest))
        {
            yield return entry.GetProperty("reference").GetString() + ":" + manifest.GetRawText().ReplaceLineEndings(string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Xml_to_edifact_reads_back_as_the_golden(string name)
    {
        // IFTMCS/IFTMAN are read, never written: their manifests go out as CUSCAR, and come back the same.
        using var edifact = new MemoryStream();
        using var errors = new StringWriter();
        var exit = await TranslateCommand.RunAsync(Fixture(name + ".xml"), TranslationTarget.Edifact, new EdifactInterchangeOptions(), true, edifact, errors, Translator);
        var stderr = errors.ToString();
        Assert.True(exit == PortCustomsCli.Success, stderr);

        // The interchange's own bytes (UNOC is Latin-1: decoding it as UTF-8 would corrupt the consignee's name).
        using var file = new TempFile(edifact.ToArray(), ".edi");
        var (back, xml, _) = await TranslateAsync(file.Path, TranslationTarget.Xml);

        Assert.Equal(PortCustomsCli.Success, back);
        var golden = await File.ReadAllTextAsync(Fixture(name + ".xml"));
        // Notification ids name the EDIFACT interchange they came from, and message references are the writer's; customs
        // errors are not written as EDIFACT (reported as FILE-NOT-CARRIED). Everything else is the same document.
        Assert.Equal(Comparable(golden), Comparable(xml + "\n"));
        if (golden.Contains("<Error>", StringComparison.Ordinal))
        {
            Assert.Contains(CliErrorCodes.NotCarried, stderr, StringComparison.Ordinal);
        }
    }

    private static string Comparable(string xml)
    {
        xml = System.Text.RegularExpressions.Regex.Replace(xml, "<ID>EDI:[^<]*</ID>", "<ID/>");
        xml = System.Text.RegularExpressions.Regex.Replace(xml, "(<FunctionCode>9</FunctionCode>\n\\s*)<ID>[^<]*</ID>", "$1<ID/>");
        return System.Text.RegularExpressions.Regex.Replace(xml, "\n\\s*<Error>.*?</Error>", string.Empty, System.Text.RegularExpressions.RegexOptions.Singleline);
    }

    [Fact]
    public async Task Edifact_with_a_bad_container_number_to_xml_keeps_it_as_unverified_equipment_and_exits_1()
    {
        var edifact = (await File.ReadAllTextAsync(Fixture("cuscar-d95b-manifest.edi"), Encoding.Latin1)).Replace("EQD+CN+CMAU4001000", "EQD+CN+CMAU4001001", StringComparison.Ordinal);
        using var file = Temp(edifact);

        var (exit, stdout, stderr) = await TranslateAsync(file.Path, TranslationTarget.Xml);

        // As translate --to json does: what could be mapped is written, the findings say what could not.
        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("EDI-MAP-", stderr, StringComparison.Ordinal);
        Assert.Contains("<UnverifiedTransportEquipment>\n      <ID>CMAU4001001</ID>\n      <ReasonCode>CheckDigit</ReasonCode>", stdout, StringComparison.Ordinal);
        using var xml = Temp(stdout, ".xml");
        Assert.Equal(PortCustomsCli.Success, (await ValidateAsync(xml.Path)).Exit);
    }

    [Fact]
    public async Task Manifest_as_arrival_report_writes_an_arrival_report()
    {
        using var stdout = new MemoryStream();
        var exit = await TranslateCommand.RunAsync(Fixture("cuscar-d95b-manifest.edi"), TranslationTarget.Xml, new EdifactInterchangeOptions(), true, stdout, new StringWriter(),
            new FileTranslator { XmlManifestKind = WcoXmlMessageKind.ArrivalReport });

        Assert.Equal(PortCustomsCli.Success, exit);
        var xml = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Contains("<ArrivalReport xmlns=\"urn:portcustoms:wco:arrival-report:1\">", xml, StringComparison.Ordinal);
        Assert.Contains("<LocationID>NLRTM</LocationID>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_messages_to_xml_write_the_first_kind_and_exit_1()
    {
        var events = await File.ReadAllTextAsync(Fixture("codeco-d95b-gate.json"));
        var manifest = await File.ReadAllTextAsync(Fixture("cuscar-d95b-manifest.json"));
        var mixed = ParseJson(events).GetProperty("messages").EnumerateArray().Concat(ParseJson(manifest).GetProperty("messages").EnumerateArray())
            .Select(e => e.GetRawText());
        using var file = Temp("{\"messages\":[" + string.Join(",", mixed) + "]}", ".json");

        var (exit, stdout, stderr) = await TranslateAsync(file.Path, TranslationTarget.Xml);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains(XmlErrorCodes.MixedMessages, stderr, StringComparison.Ordinal);
        Assert.Contains("<CargoReport", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_golden_xml_validates(string name)
    {
        var (exit, stdout, _) = await ValidateAsync(Fixture(name + ".xml"));

        Assert.Equal(PortCustomsCli.Success, exit);
        var report = ParseJson(stdout);
        Assert.Equal("XML", report.GetProperty("format").GetString());
        Assert.True(report.GetProperty("valid").GetBoolean());
        Assert.True(report.GetProperty("messages").GetInt32() >= 1);
    }

    [Fact]
    public async Task Invalid_xml_exits_1_with_code_line_column_and_xpath()
    {
        var golden = await File.ReadAllTextAsync(Fixture("cuscar-d95b-manifest.xml"));
        using var file = Temp(golden.Replace("<CharacteristicCode>45G1</CharacteristicCode>\n      <FullnessCode>4</FullnessCode>", "<CharacteristicCode>45G</CharacteristicCode>\n      <FullnessCode>4</FullnessCode>", StringComparison.Ordinal), ".xml");

        var (exit, stdout, _) = await ValidateAsync(file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        var error = Assert.Single(ParseJson(stdout).GetProperty("errors").EnumerateArray());
        Assert.Equal(XmlErrorCodes.InvalidValue, error.GetProperty("code").GetString());
        Assert.Equal(94, error.GetProperty("line").GetInt64());
        Assert.Equal(32, error.GetProperty("column").GetInt64());
        Assert.Equal("/CargoReport/Declaration[1]/TransportEquipment[2]/CharacteristicCode[1]", error.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Xml_with_a_doctype_is_refused_by_validate_and_translate()
    {
        using var file = Temp("<?xml version=\"1.0\"?>\n<!DOCTYPE x [ <!ENTITY e SYSTEM \"file:///etc/passwd\"> ]>\n<CargoReport xmlns=\"urn:portcustoms:wco:cargo-report:1\">&e;</CargoReport>", ".xml");

        var (exit, stdout, _) = await ValidateAsync(file.Path);
        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(XmlErrorCodes.DtdRefused, Assert.Single(ParseJson(stdout).GetProperty("errors").EnumerateArray()).GetProperty("code").GetString());

        var (translateExit, json, stderr) = await TranslateAsync(file.Path, TranslationTarget.Json);
        Assert.Equal(PortCustomsCli.Findings, translateExit);
        Assert.Contains(XmlErrorCodes.DtdRefused, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edifact_validation_output_is_unchanged_by_the_xml_column()
    {
        var (exit, stdout, _) = await ValidateAsync(Fixture("codeco-d95b-gate.edi"));

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.DoesNotContain("\"column\"", stdout, StringComparison.Ordinal);
    }
}
