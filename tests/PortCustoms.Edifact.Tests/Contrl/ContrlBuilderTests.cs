using PortCustoms.Edifact.Contrl;
using PortCustoms.Edifact.Structure;
using PortCustoms.Edifact.Tests.Structure;

namespace PortCustoms.Edifact.Tests.Contrl;

public sealed class ContrlBuilderTests
{
    private static readonly StructureValidator Validator = new();

    private static readonly ContrlParty Broker = new("BROKER1", "ZZZ");
    private static readonly ContrlParty Terminal = new("TERMINAL:NL+RTM", "ZZZ");

    private static ContrlInterchange Interchange(params ContrlMessageReport[] messages) => new("IC0001", Broker, Terminal, messages);

    private static ContrlMessageReport Report(string edifact) => Validator.Validate(Edi.Message(edifact)).ToContrlReport();

    /// <summary>The CONTRL as the syntax layer's writer puts it on the wire (default delimiters, no line breaks).</summary>
    private static string Text(ContrlMessage contrl)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ContrlWriter.Write(new EdifactWriter(buffer), contrl);
        return System.Text.Encoding.Latin1.GetString(buffer.WrittenSpan);
    }

    private static List<StructureSegment> AsStructureSegments(ContrlMessage contrl) =>
        [.. contrl.Segments.Select((s, i) => new StructureSegment(s.Tag, s.Elements, i + 1))];

    [Fact]
    public void A_message_with_errors_is_rejected_with_UCS_and_UCD_at_the_right_positions()
    {
        // Position 3: EQD without its mandatory 8053; position 4: FTX out of order; position 5: CNT with a letter in n..18.
        ContrlMessageReport report = Report("UNH+M1+CUSCAR:D:95B:UN'BGM+85'EQD++C1'FTX+AAA'CNT+7:1X'UNT+6+M1'");

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(report), "C1");

        Assert.Equal(
            "UNH+C1+CONTRL:D:3:UN'UCI+IC0001+BROKER1:ZZZ+TERMINAL?:NL?+RTM:ZZZ+7'UCM+M1+CUSCAR:D:95B:UN+4'"
            + "UCS+3'UCD+13+1'UCS+4+15'UCS+5'UCD+37+1:2'UNT+9+C1'",
            Text(contrl));
    }

    [Fact]
    public void A_clean_message_is_acknowledged_with_action_7()
    {
        ContrlMessageReport report = Report("UNH+M1+CODECO:D:96B:UN'BGM+34'NAD+MS'EQD+CN+C1'CNT+16:1'UNT+6+M1'");

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(report), "C1");

        Assert.Equal("UNH+C1+CONTRL:D:3:UN'UCI+IC0001+BROKER1:ZZZ+TERMINAL?:NL?+RTM:ZZZ+7'UCM+M1+CODECO:D:96B:UN+7'UNT+4+C1'", Text(contrl));
    }

    [Fact]
    public void A_missing_segment_is_reported_at_the_position_where_it_was_expected()
    {
        ContrlMessageReport report = Report("UNH+M1+CUSCAR:D:95B:UN'DTM+137:20201126:102'UNT+3+M1'");

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(report), "C1");

        ContrlSegment ucs = Assert.Single(contrl.Segments, s => s.Tag == "UCS");
        Assert.Equal([["2"], ["13"]], ucs.Elements);
    }

    [Fact]
    public void An_unsupported_message_is_rejected_in_UCM_pointing_at_UNH_S009()
    {
        ContrlMessageReport report = Report("UNH+M1+CUSCAR:D:99A:UN'BGM+85'UNT+3+M1'");

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(report), "C1");

        ContrlSegment ucm = Assert.Single(contrl.Segments, s => s.Tag == "UCM");
        Assert.Equal([["M1"], ["CUSCAR", "D", "99A", "UN"], ["4"], ["14"], ["UNH"], ["2", "3"]], ucm.Elements);
        Assert.DoesNotContain(contrl.Segments, s => s.Tag == "UCS");
    }

    [Fact]
    public void Several_messages_get_one_UCM_each_in_interchange_order()
    {
        ContrlMessageReport clean = Report("UNH+M1+CODECO:D:96B:UN'BGM+34'NAD+MS'EQD+CN+C1'CNT+16:1'UNT+6+M1'");
        ContrlMessageReport broken = Report("UNH+M2+CODECO:D:96B:UN'BGM+34'EQD+CN+C1'CNT+16:1'UNT+5+M2'");

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(clean, broken), "C1");

        Assert.Equal(
            [("M1", "7"), ("M2", "4")],
            contrl.Segments.Where(s => s.Tag == "UCM").Select(s => (s.Elements[0][0], s.Elements[2][0])));
    }

    [Fact]
    public void An_envelope_error_rejects_the_interchange_in_UCI()
    {
        ContrlInterchange interchange = Interchange() with { InterchangeError = new ContrlError(0, "UNB", 2, 1, 23) };

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(interchange, "C1");

        Assert.Equal("UNH+C1+CONTRL:D:3:UN'UCI+IC0001+BROKER1:ZZZ+TERMINAL?:NL?+RTM:ZZZ+4+23+UNB+2:1'UNT+3+C1'", Text(contrl));
    }

    [Theory]
    [InlineData(ContrlAction.Received, "8")]
    [InlineData(ContrlAction.Acknowledged, "7")]
    public void BuildTechnical_AnyMessages_WritesUciOnly(ContrlAction action, string code)
    {
        ContrlMessageReport report = Report("UNH+M1+CUSCAR:D:95B:UN'BGM+85'UNT+3+M1'");

        ContrlMessage contrl = ContrlBuilder.BuildTechnical(Interchange(report), "C1", action: action);

        Assert.Equal(["UNH", "UCI", "UNT"], contrl.Segments.Select(s => s.Tag));
        Assert.Equal(code, contrl.Segments[1].Elements[3][0]);
    }

    [Fact]
    public void BuildTechnical_RejectedAction_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ContrlBuilder.BuildTechnical(Interchange(), "C1", action: ContrlAction.Rejected));

    [Fact]
    public void BuildFunctional_SyntaxVersion4_UsesContrlVersion4Release1()
    {
        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(), "C1", syntaxVersion: 4);

        Assert.Equal(["CONTRL", "4", "1", "UN"], contrl.Segments[0].Elements[1]);
    }

    [Fact]
    public void BuildFunctional_MoreElementErrorsThanUcdRepeats_CapsAt99()
    {
        ContrlError[] errors = [.. Enumerable.Range(1, 150).Select(i => new ContrlError(2, "BGM", i, 0, 12))];

        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(new ContrlMessageReport("M1", "CUSCAR", "D", "95B", errors)), "C1");

        Assert.Equal(99, contrl.Segments.Count(s => s.Tag == "UCD"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void The_CONTRL_validates_against_its_own_table(int syntaxVersion)
    {
        ContrlMessageReport clean = Report("UNH+M1+CODECO:D:96B:UN'BGM+34'NAD+MS'EQD+CN+C1'CNT+16:1'UNT+6+M1'");
        ContrlMessageReport broken = Report("UNH+M2+CUSCAR:D:95B:UN'BGM+85'EQD++C1'FTX+AAA'CNT+7:1X'UNT+6+M2'");
        ContrlMessageReport unsupported = Report("UNH+M3+INVOIC:D:96A:UN'BGM+380'UNT+3+M3'");
        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Interchange(clean, broken, unsupported), "C1", syntaxVersion);

        StructureValidationResult result = Validator.Validate(AsStructureSegments(contrl), syntaxVersion);

        Assert.NotNull(result.Structure);
        Assert.Equal("CONTRL", result.Structure.Key.Type);
        Assert.Empty(result.Findings);
        Assert.Equal("SG1[2]/SG2[3]/UCS[1]", result.Placements[7].ToString());
    }

    [Fact]
    public void Write_ValuesWithDelimiters_EscapesWithReleaseCharacter()
    {
        ContrlInterchange interchange = new("REF?1", new ContrlParty("A+B"), new ContrlParty("C'D:E"), []);

        string text = Text(ContrlBuilder.BuildTechnical(interchange, "C1"));

        Assert.Contains("UCI+REF??1+A?+B+C?'D?:E+8'", text, StringComparison.Ordinal);
    }
}
