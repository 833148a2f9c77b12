using System.Text;
using CsCheck;
using PortCustoms.Cli.Files;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Model;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary>
/// The gate's live status query and customs' answer in <c>translate</c> and <c>validate</c>: WCO XML
/// (<c>status-query:1</c>), their JSON form and the adapter's EDIFACT (CUSCAR BGM 21, CUSRES), every direction as a
/// property (what the adapter writes in one format, translated, is what the adapter reads in the other), and invalid
/// inputs with positioned findings and the contract's exit codes.
/// </summary>
public sealed class LiveQueryCommandTests
{
    private static readonly DateTimeOffset Prepared = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> Container =
        Gen.Char['A', 'Z'].Array[3].Select(Gen.Char["UJZ"], Gen.Int[0, 999999], (owner, category, serial) =>
        {
            var first = new string(owner) + category + serial.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
            return first + ContainerNumber.ComputeCheckDigit(first).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }).Where(c => ContainerNumber.TryParse(c, out _));

    private static readonly Gen<string> Token = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[1, 35].Select(c => new string(c));

    private static readonly Gen<CustomsStatusQueryMessage> Queries = Gen.Select(Token, Container, (id, container) => new CustomsStatusQueryMessage(id, container));

    // The EDIFACT answer always carries a reference and an issue time (RFF, DTM 182), to the minute or second, in whole hours' offset.
    private static readonly Gen<CustomsStatusAnswerMessage> Answers = Gen.Select(
        Container,
        Gen.Char["0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"].Array[1, 3].Select(c => new string(c)),
        Token,
        Gen.Int[0, 5_000_000].Select(Gen.Int[-11, 12], Gen.Bool, (minutes, hours, seconds) =>
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes).AddSeconds(seconds ? 17 : 0).ToOffset(TimeSpan.FromHours(hours))),
        (container, code, reference, issuedAt) => new CustomsStatusAnswerMessage(container, code, reference, issuedAt));

    public enum Form
    {
        Xml,
        Json,
        Edifact,
    }

    public static TheoryData<Form, Form> Directions =>
        new()
        {
            { Form.Xml, Form.Json }, { Form.Xml, Form.Edifact }, { Form.Json, Form.Xml },
            { Form.Json, Form.Edifact }, { Form.Edifact, Form.Xml }, { Form.Edifact, Form.Json },
        };

    [Theory]
    [MemberData(nameof(Directions))]
    public void A_status_query_translates_to_the_same_query(Form from, Form to) =>
        Queries.Sample(query =>
        {
            var (result, output) = Translate(Encode(query, from), to);
            Assert.True(result.ExitCode == PortCustomsCli.Success, string.Join("; ", result.Errors.Select(e => e.Code + " " + e.Message)));
            Assert.Equal(query, DecodeQuery(output, to));
        }, iter: 25);

    [Theory]
    [MemberData(nameof(Directions))]
    public void A_status_answer_translates_to_the_same_answer(Form from, Form to) =>
        Answers.Sample(answer =>
        {
            var (result, output) = Translate(Encode(answer, from), to, cusresAsAnswer: true);
            Assert.True(result.ExitCode == PortCustomsCli.Success, string.Join("; ", result.Errors.Select(e => e.Code + " " + e.Message)));
            Assert.Equal(answer, DecodeAnswer(output, to));
        }, iter: 25);

    [Fact]
    public void A_cusres_is_still_a_notification_unless_told_otherwise()
    {
        var answer = new CustomsStatusAnswerMessage("MSCU1234566", "4", "REF1", Prepared);
        var (result, output) = Translate(Encode(answer, Form.Edifact), Form.Json);

        Assert.Equal(PortCustomsCli.Success, result.ExitCode);
        var entry = Assert.Single(ParseJson(Encoding.UTF8.GetString(output)).GetProperty("messages").EnumerateArray());
        Assert.Equal("RELEASED", entry.GetProperty("notifications")[0].GetProperty("status").GetString());
        Assert.False(entry.TryGetProperty("statusAnswer", out _));
    }

    [Fact]
    public async Task Validate_accepts_each_form_of_the_query_and_answer()
    {
        var query = new CustomsStatusQueryMessage("Q-1", "MSCU1234566");
        var answer = new CustomsStatusAnswerMessage("MSCU1234566", "7", "REF1", Prepared);
        using var files = new DisposableFiles(
            Temp(Encoding.UTF8.GetString(Encode(query, Form.Xml)), ".xml"), Temp(Encoding.UTF8.GetString(Encode(answer, Form.Xml)), ".xml"),
            Temp(Encoding.UTF8.GetString(Encode(query, Form.Json)), ".json"), Temp(Encoding.UTF8.GetString(Encode(answer, Form.Json)), ".json"),
            Temp(Encoding.Latin1.GetString(Encode(query, Form.Edifact))));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ValidateCommand.RunAsync(files.Paths, EdifactValidationMode.Strict, json: true, stdout, stderr);

        Assert.True(exit == PortCustomsCli.Success, stdout.ToString());
        Assert.All(ParseJson(stdout.ToString()).EnumerateArray(), report => Assert.Equal(1, report.GetProperty("messages").GetInt32()));
    }

    [Fact]
    public async Task An_xml_query_with_a_bad_check_digit_is_refused_with_line_column_and_xpath()
    {
        var xml = Encoding.UTF8.GetString(Encode(new CustomsStatusQueryMessage("Q-1", "MSCU1234566"), Form.Xml)).Replace("MSCU1234566", "MSCU1234567", StringComparison.Ordinal);
        using var file = Temp(xml, ".xml");

        var (exit, finding) = await ValidateOneAsync(file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(XmlErrorCodes.ContainerNumber, finding.GetProperty("code").GetString());
        Assert.Equal("/StatusQuery/TransportEquipment[1]/ID[1]", finding.GetProperty("path").GetString());
        Assert.Equal(1, finding.GetProperty("line").GetInt32());
        Assert.True(finding.GetProperty("column").GetInt32() > 1);
    }

    [Fact]
    public async Task An_xml_answer_breaking_the_schema_is_refused_and_translates_to_nothing()
    {
        var xml = Encoding.UTF8.GetString(Encode(new CustomsStatusAnswerMessage("MSCU1234566", "7", "REF1", Prepared), Form.Xml))
            .Replace("<NameCode>7</NameCode>", "<NameCode>seven</NameCode>", StringComparison.Ordinal);
        using var file = Temp(xml, ".xml");

        var (exit, finding) = await ValidateOneAsync(file.Path);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var translateExit = await TranslateCommand.RunAsync(file.Path, TranslationTarget.Edifact, new EdifactInterchangeOptions(), true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(XmlErrorCodes.InvalidValue, finding.GetProperty("code").GetString());
        Assert.Equal("/StatusAnswer/Response[1]/Status[1]/NameCode[1]", finding.GetProperty("path").GetString());
        Assert.Equal(PortCustomsCli.Findings, translateExit);
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public async Task An_edifact_query_without_a_container_is_refused_at_its_bgm()
    {
        using var file = Temp("UNB+UNOC:3+PORT+CUSTOMS+261126:0800+IC1'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+21+Q1+9'\nUNT+3+1'\nUNZ+1+IC1'\n");

        var (exit, finding) = await ValidateOneAsync(file.Path);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(MappingErrorCodes.ContainerMissing, finding.GetProperty("code").GetString());
        Assert.Equal((3, 3), (finding.GetProperty("line").GetInt32(), finding.GetProperty("segment").GetInt32()));
    }

    [Fact]
    public async Task A_json_answer_with_a_bad_container_names_the_field_and_writes_nothing()
    {
        using var file = Temp("{\"containerNumber\":\"MSCU1234567\",\"statusCode\":\"4\"}", ".json");
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        var exit = await TranslateCommand.RunAsync(file.Path, TranslationTarget.Xml, new EdifactInterchangeOptions(), true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Equal(0, stdout.Length);
        var error = Assert.Single(ParseJson(stderr.ToString()).GetProperty("errors").EnumerateArray());
        Assert.Equal((CliErrorCodes.JsonField, "$.containerNumber"), (error.GetProperty("code").GetString(), error.GetProperty("path").GetString()));
    }

    [Fact]
    public void A_query_beside_other_messages_is_reported_not_merged()
    {
        const string mixed = "UNB+UNOC:3+PORT+CUSTOMS+261126:0800+IC1'\nUNH+1+CODECO:D:95B:UN'\nBGM+34+E1+9'\nNAD+MS+T'\nEQD+CN+MSCU1234566'\nDTM+7:202611260815?+01:303'\nCNT+16:1'\nUNT+7+1'\n"
            + "UNH+2+CUSCAR:D:95B:UN'\nBGM+21+Q1+9'\nEQD+CN+MSCU1234566'\nUNT+4+2'\nUNZ+2+IC1'\n";

        var (result, _) = Translate(Encoding.Latin1.GetBytes(mixed), Form.Xml);

        Assert.Equal(PortCustomsCli.Findings, result.ExitCode);
        Assert.Contains(result.Errors, e => e.Code == XmlErrorCodes.MixedMessages);
    }

    private static async Task<(int Exit, System.Text.Json.JsonElement Finding)> ValidateOneAsync(string path)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync([path], EdifactValidationMode.Strict, json: true, stdout, stderr);
        // One file: the report object itself.
        var report = ParseJson(stdout.ToString());
        return (exit, report.GetProperty("errors").EnumerateArray().First());
    }

    private static (FileTranslationResult Result, byte[] Output) Translate(byte[] input, Form to, bool cusresAsAnswer = false)
    {
        var translator = new FileTranslator { CusresAsStatusAnswer = cusresAsAnswer };
        using var output = new MemoryStream();
        var target = to switch
        {
            Form.Xml => TranslationTarget.Xml,
            Form.Json => TranslationTarget.Json,
            _ => TranslationTarget.Edifact,
        };
        var result = translator.TranslateAsync(new MemoryStream(input), output, target, new EdifactInterchangeOptions { PreparedAt = Prepared }).GetAwaiter().GetResult();
        return (result, output.ToArray());
    }

    private static byte[] Encode<TMessage>(TMessage message, Form form)
        where TMessage : class => form switch
        {
            Form.Xml => message switch
            {
                CustomsStatusQueryMessage q => WcoStatusQueryXml.WriteQuery(q, Prepared, "NLRTM"),
                CustomsStatusAnswerMessage a => WcoStatusQueryXml.WriteAnswer(a, "Q-1"),
                _ => throw new ArgumentOutOfRangeException(nameof(message)),
            },
            // The bare JSON form, exactly what the JSON customs platform sends and reads.
            Form.Json => new JsonCustomsMessageFormat().Encode(message).ToArray(),
            _ => new EdifactCustomsMessageFormat().Encode(message).ToArray(),
        };

    private static CustomsStatusQueryMessage? DecodeQuery(byte[] output, Form form) => form switch
    {
        Form.Xml => WcoStatusQueryXml.ReadQuery(output).Message,
        Form.Json => CanonicalJson.Read(output).StatusQueries.Single().Value,
        _ => new EdifactCustomsMessageFormat().TryDecode<CustomsStatusQueryMessage>(output, out var q) ? q : null,
    };

    private static CustomsStatusAnswerMessage? DecodeAnswer(byte[] output, Form form) => form switch
    {
        Form.Xml => WcoStatusQueryXml.ReadAnswer(output).Message,
        Form.Json => CanonicalJson.Read(output).StatusAnswers.Single().Value,
        _ => new EdifactCustomsMessageFormat().TryDecode<CustomsStatusAnswerMessage>(output, out var a) ? a : null,
    };

    private sealed class DisposableFiles(params TempFile[] files) : IDisposable
    {
        public string[] Paths => [.. files.Select(f => f.Path)];

        public void Dispose()
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }
    }
}
