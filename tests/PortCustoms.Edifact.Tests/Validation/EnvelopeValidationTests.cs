using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>Every envelope code, strict (error) and lenient (warning), with its position.</summary>
public class EnvelopeValidationTests
{
    // One segment per line, so line and segment index agree.
    private const string Header = "UNB+UNOA:3+SENDER+RECIPIENT+260101:1200+REF1'\n";
    private const string Message = "UNH+M1+CUSCAR:D:01B:UN'\nBGM+85+DOC1+9'\nUNT+3+M1'\n";
    private const string Trailer = "UNZ+1+REF1'\n";
    private const string Valid = Header + Message + Trailer;

    private const string Group = "UNG+CUSCAR+SENDER+RECIPIENT+260101:1200+G1+UN+D:01B'\n";
    private const string GroupTrailer = "UNE+1+G1'\n";

    public static TheoryData<EdifactValidationMode> Modes => [EdifactValidationMode.Strict, EdifactValidationMode.Lenient];

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_valid_interchange_has_no_findings(EdifactValidationMode mode)
    {
        EdifactValidationResult result = Validation.Run(Valid, mode);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.IsValid);
        Assert.Equal(1, result.InterchangeCount);
        Assert.Equal(1, result.MessageCount);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_valid_interchange_with_a_group_has_no_findings(EdifactValidationMode mode)
    {
        EdifactValidationResult result = Validation.Run(Header + Group + Message + GroupTrailer + Trailer, mode);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(1, result.GroupCount);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_wrong_UNT_segment_count_is_reported_on_UNT_element_1(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNT+3+M1", "UNT+4+M1"), mode, EdifactErrorCodes.MessageCountMismatch, line: 4, segment: 4, element: 1, syntaxErrorCode: 29);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_non_numeric_UNT_segment_count_is_reported_as_a_count_mismatch(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNT+3+M1", "UNT+X+M1"), mode, EdifactErrorCodes.MessageCountMismatch, line: 4, segment: 4, element: 1);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNT_reference_unlike_UNH_is_reported_on_UNT_element_2(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNT+3+M1", "UNT+3+M2"), mode, EdifactErrorCodes.MessageReferenceMismatch, line: 4, segment: 4, element: 2, syntaxErrorCode: 28);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_wrong_UNZ_message_count_is_reported_on_UNZ_element_1(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNZ+1+REF1", "UNZ+2+REF1"), mode, EdifactErrorCodes.InterchangeCountMismatch, line: 5, segment: 5, element: 1, syntaxErrorCode: 29);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNZ_reference_unlike_UNB_is_reported_on_UNZ_element_2(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNZ+1+REF1", "UNZ+1+REF2"), mode, EdifactErrorCodes.InterchangeReferenceMismatch, line: 5, segment: 5, element: 2, syntaxErrorCode: 28);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_missing_UNT_is_reported_where_the_next_envelope_segment_starts(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNT+3+M1'\n", ""), mode, EdifactErrorCodes.MessageTrailerMissing, line: 4, segment: 4, element: null, syntaxErrorCode: 13);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_new_UNH_before_UNT_reports_the_missing_UNT(EdifactValidationMode mode)
    {
        string text = Header + "UNH+M1+CUSCAR:D:01B:UN'\nBGM+85+DOC1+9'\n" + Message + "UNZ+2+REF1'\n";

        AssertSingle(text, mode, EdifactErrorCodes.MessageTrailerMissing, line: 4, segment: 4, element: null);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_missing_UNZ_is_reported_at_the_end_of_the_data(EdifactValidationMode mode) =>
        AssertSingle(Header + Message, mode, EdifactErrorCodes.InterchangeTrailerMissing, line: 5, segment: 5, element: null, syntaxErrorCode: 13);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_second_UNB_before_UNZ_reports_the_missing_UNZ(EdifactValidationMode mode)
    {
        EdifactValidationResult result = Validation.Run(Header + Message + Valid, mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.InterchangeTrailerMissing, finding.Code);
        Assert.Equal(5, finding.Line);
        Assert.Equal(1, finding.Segment);
        Assert.Equal(2, result.InterchangeCount);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_segment_before_UNB_is_reported(EdifactValidationMode mode) =>
        AssertSingle("BGM+85'\n" + Valid, mode, EdifactErrorCodes.InterchangeHeaderMissing, line: 1, segment: 1, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_message_without_any_interchange_is_reported_once(EdifactValidationMode mode) =>
        AssertSingle(Message, mode, EdifactErrorCodes.InterchangeHeaderMissing, line: 1, segment: 1, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Empty_data_reports_the_missing_UNB(EdifactValidationMode mode) =>
        AssertSingle("\n", mode, EdifactErrorCodes.InterchangeHeaderMissing, line: 2, segment: 1, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Segments_after_UNZ_are_reported_as_text_after_UNZ(EdifactValidationMode mode) =>
        AssertSingle(Valid + "BGM+85'\nFTX+AAA'\n", mode, EdifactErrorCodes.TextAfterInterchange, line: 6, segment: 6, element: null, syntaxErrorCode: 33);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Unterminated_text_after_UNZ_is_reported_as_text_after_UNZ(EdifactValidationMode mode) =>
        AssertSingle(Valid + "garbage", mode, EdifactErrorCodes.TextAfterInterchange, line: 6, segment: 6, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_data_segment_between_messages_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Header + "FTX+AAA'\n" + Message + Trailer, mode, EdifactErrorCodes.SegmentOutsideMessage, line: 2, segment: 2, element: null, syntaxErrorCode: 33);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNT_without_UNH_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Header + Message + "UNT+1+M1'\n" + Trailer, mode, EdifactErrorCodes.MessageTrailerUnexpected, line: 5, segment: 5, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNZ_without_UNB_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Valid + Trailer, mode, EdifactErrorCodes.InterchangeTrailerUnexpected, line: 6, segment: 6, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void An_unsupported_syntax_identifier_is_reported_on_UNB_S001(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("UNOA:3", "IATB:1"), mode, EdifactErrorCodes.SyntaxIdentifierUnsupported, line: 1, segment: 1, element: 1, component: 1, syntaxErrorCode: 2);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_wrong_UNE_message_count_is_reported_on_UNE_element_1(EdifactValidationMode mode) =>
        AssertSingle(Header + Group + Message + "UNE+2+G1'\n" + Trailer, mode, EdifactErrorCodes.GroupCountMismatch, line: 6, segment: 6, element: 1);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNE_reference_unlike_UNG_is_reported_on_UNE_element_2(EdifactValidationMode mode) =>
        AssertSingle(Header + Group + Message + "UNE+1+G2'\n" + Trailer, mode, EdifactErrorCodes.GroupReferenceMismatch, line: 6, segment: 6, element: 2);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNZ_counting_messages_instead_of_groups_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Header + Group + Message + Message.Replace("M1", "M2") + "UNE+2+G1'\n" + "UNZ+2+REF1'\n", mode, EdifactErrorCodes.InterchangeCountMismatch, line: 10, segment: 10, element: 1);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_missing_UNE_is_reported_where_UNZ_starts(EdifactValidationMode mode) =>
        AssertSingle(Header + Group + Message + Trailer, mode, EdifactErrorCodes.GroupTrailerMissing, line: 6, segment: 6, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNE_without_UNG_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Header + Message + GroupTrailer + Trailer, mode, EdifactErrorCodes.GroupTrailerUnexpected, line: 5, segment: 5, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_UNG_outside_an_interchange_is_reported(EdifactValidationMode mode)
    {
        EdifactValidationResult result = Validation.Run(Valid + Group + "UNE+0+G1'\n", mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.GroupHeaderUnexpected, finding.Code);
        Assert.Equal(6, finding.Line);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Groups_and_loose_messages_in_one_interchange_are_reported(EdifactValidationMode mode)
    {
        string text = Header + Message + Group + Message.Replace("M1", "M2") + GroupTrailer + "UNZ+1+REF1'\n";

        EdifactValidationResult result = Validation.Run(text, mode);

        EdifactDiagnostic mixed = Assert.Single(result.Diagnostics, d => d.Code == EdifactErrorCodes.GroupsAndMessagesMixed);
        Assert.Equal(5, mixed.Line);
        Assert.Equal(30, mixed.SyntaxErrorCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_lower_case_letter_in_a_UNOA_interchange_is_reported_with_its_byte_offset(EdifactValidationMode mode)
    {
        string text = Valid.Replace("DOC1", "DOc1");

        EdifactDiagnostic finding = AssertSingle(text, mode, EdifactErrorCodes.InvalidCharacter, line: 3, segment: 3, element: null, syntaxErrorCode: 21);

        Assert.Equal(text.IndexOf("c1", StringComparison.Ordinal), finding.Position.ByteOffset);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Invalid_UTF8_in_a_UNOY_interchange_is_reported(EdifactValidationMode mode)
    {
        byte[] data = [.. Encoding.ASCII.GetBytes(Header.Replace("UNOA", "UNOY") + "UNH+M1+CUSCAR:D:01B:UN'\nBGM+85+"), 0xC3, 0x28, .. Encoding.ASCII.GetBytes("+9'\nUNT+3+M1'\n" + Trailer)];

        EdifactValidationResult result = Validation.Run(data, mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.InvalidCharacter, finding.Code);
        Assert.Equal(3, finding.Segment);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_segment_tag_that_is_not_three_capitals_is_reported(EdifactValidationMode mode) =>
        AssertSingle(Valid.Replace("BGM", "B_M"), mode, EdifactErrorCodes.InvalidSegmentTag, line: 3, segment: 3, element: null);

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_missing_terminator_is_an_error_in_either_mode(EdifactValidationMode mode)
    {
        EdifactValidationResult result = Validation.Run(Header + "UNH+M1+CUSCAR:D:01B:UN'\nBGM+85+DOC1+9", mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(EdifactErrorCodes.UnterminatedSegment, finding.Code);
        Assert.Equal(EdifactSeverity.Error, finding.Severity);
        Assert.Equal(3, finding.Line);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void MaxDiagnostics_ManyFindings_KeepsTheFirstAndCountsTheRest()
    {
        string text = string.Concat(Enumerable.Repeat(Valid.Replace("UNT+3", "UNT+9"), 5));
        var options = new EdifactValidationOptions { MaxDiagnostics = 2 };

        EdifactValidationResult result = new EdifactInterchangeValidator(options).Validate(Encoding.ASCII.GetBytes(text));

        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Equal(3, result.DiagnosticsDropped);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void MaxDiagnostics_ErrorsOnlyPastTheLimit_StillInvalid()
    {
        // Lower-case text in UNOA (a warning when lenient) fills the list; the unterminated segment's error comes last.
        string text = Header + string.Concat(Enumerable.Repeat("UNH+M1+CUSCAR:D:01B:UN'\nFTX+a'\nUNT+3+M1'\n", 3));
        var options = new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient, MaxDiagnostics = 2 };

        EdifactValidationResult result = new EdifactInterchangeValidator(options).Validate(Encoding.ASCII.GetBytes(text + "BGM+1"));

        Assert.All(result.Diagnostics, d => Assert.Equal(EdifactSeverity.Warning, d.Severity));
        Assert.False(result.IsValid);
    }

    private static EdifactDiagnostic AssertSingle(
        string text,
        EdifactValidationMode mode,
        string code,
        long line,
        int segment,
        int? element,
        int? component = null,
        int? syntaxErrorCode = null)
    {
        EdifactValidationResult result = Validation.Run(text, mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal(code, finding.Code);
        Assert.Equal((line, segment, element, component), (finding.Line, finding.Segment, finding.Element, finding.Component));
        if (syntaxErrorCode is not null)
        {
            Assert.Equal(syntaxErrorCode, finding.SyntaxErrorCode);
        }

        EdifactSeverity expected = mode == EdifactValidationMode.Strict ? EdifactSeverity.Error : EdifactSeverity.Warning;
        Assert.Equal(expected, finding.Severity);
        Assert.Equal(mode == EdifactValidationMode.Lenient, result.IsValid);
        return finding;
    }
}
