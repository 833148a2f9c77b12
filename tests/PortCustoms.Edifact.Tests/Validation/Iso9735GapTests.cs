namespace PortCustoms.Edifact.Tests;

/// <summary>
/// ISO 9735 rules a tolerant tokenizer reads past, reported with codes (issue 12): strict makes them errors, lenient
/// warnings. Each runs through every read path (bulk skip, trickled, piped, message by message) via <see cref="Validation.Run(string, EdifactValidationMode)"/>.
/// </summary>
public class Iso9735GapTests
{
    private const string Header = "UNA:+.? '\nUNB+UNOC:3+SENDER+RECIPIENT+260101:1200+REF1'\n";

    // Plain data around the segment under test, long enough for the vectorized skip to run over it.
    private const string Padding = "FTX+AAA+++PLAIN DATA SEGMENT TEXT NUMBER ONE'\nFTX+AAA+++PLAIN DATA SEGMENT TEXT NUMBER TWO'\n";

    public static TheoryData<EdifactValidationMode> Modes => [EdifactValidationMode.Strict, EdifactValidationMode.Lenient];

    private static string Interchange(string segment) =>
        Header + "UNH+M1+CUSCAR:D:95B:UN'\n" + Padding + segment + "'\n" + Padding + "UNT+7+M1'\nUNZ+1+REF1'\n";

    private static EdifactDiagnostic AssertSingle(string text, EdifactValidationMode mode, string code, long line, int segment)
    {
        EdifactValidationResult result = Validation.Run(text, mode);

        EdifactDiagnostic finding = Assert.Single(result.Diagnostics);
        Assert.Equal((code, line, segment), (finding.Code, finding.Line, finding.Segment));
        Assert.Equal(mode == EdifactValidationMode.Strict ? EdifactSeverity.Error : EdifactSeverity.Warning, finding.Severity);
        Assert.Equal(mode == EdifactValidationMode.Lenient, result.IsValid);
        return finding;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Release_before_an_ordinary_character_is_reported(EdifactValidationMode mode)
    {
        EdifactDiagnostic finding = AssertSingle(Interchange("FTX+AAA+++RELEASED ?A IS NOT A SEPARATOR"), mode, EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter, 6, 5);
        Assert.Equal(EdifactSyntaxErrorCodes.InvalidServiceCharacters, finding.SyntaxErrorCode);
    }

    [Theory]
    [InlineData("FTX+AAA+++RELEASED ?+ ?: ?' ?? ARE DATA")]
    [InlineData("FTX+AAA+++ENDS IN A RELEASED SEPARATOR?+")]
    [InlineData("FTX+AAA+++RELEASE RELEASED THEN COMPONENT ??:X")]
    [InlineData("FTX+AAA++:X+TEXT")]
    public void Released_service_characters_and_empty_inner_elements_are_no_finding(string segment)
    {
        Assert.Empty(Validation.Run(Interchange(segment), EdifactValidationMode.Strict).Diagnostics);
    }

    [Theory]
    [InlineData("FTX+AAA+++TEXT+", EdifactValidationMode.Strict)]
    [InlineData("FTX+AAA++", EdifactValidationMode.Lenient)]
    [InlineData("FTX+AAA+++TEXT:", EdifactValidationMode.Strict)]
    [InlineData("EQD+CN+MSCU1234566:+45G1", EdifactValidationMode.Lenient)]
    [InlineData("FTX+AAA++:+TEXT", EdifactValidationMode.Strict)]
    [InlineData("FTX+", EdifactValidationMode.Strict)]
    [InlineData("FTX+AAA+++TEXT ??+", EdifactValidationMode.Lenient)]
    public void Trailing_separators_are_reported(string segment, EdifactValidationMode mode)
    {
        AssertSingle(Interchange(segment), mode, EdifactErrorCodes.TrailingSeparator, 6, 5);
    }

    [Fact]
    public void Trailing_separator_in_an_envelope_segment_is_reported_too()
    {
        string text = Header + "UNH+M1+CUSCAR:D:95B:UN+'\n" + Padding + "UNT+4+M1'\nUNZ+1+REF1'\n";

        AssertSingle(text, EdifactValidationMode.Strict, EdifactErrorCodes.TrailingSeparator, 3, 2);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void UNA_decimal_mark_other_than_comma_or_full_stop_is_reported(EdifactValidationMode mode)
    {
        string text = Interchange("FTX+AAA+++TEXT").Replace("UNA:+.? '", "UNA:+;? '", StringComparison.Ordinal);

        EdifactDiagnostic finding = AssertSingle(text, mode, EdifactErrorCodes.DecimalMarkInvalid, 1, 1);
        Assert.Equal(5, finding.Position.ByteOffset);
    }

    [Fact]
    public void UNA_with_a_comma_decimal_mark_is_no_finding()
    {
        Assert.Empty(Validation.Run(Interchange("FTX+AAA+++TEXT").Replace("UNA:+.? '", "UNA:+,? '", StringComparison.Ordinal), EdifactValidationMode.Strict).Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Byte_order_mark_inside_an_interchange_is_reported(EdifactValidationMode mode)
    {
        string text = Interchange("FTX+AAA+++TEXT").Replace("'\nFTX+AAA+++TEXT'", "'\n\uFEFFFTX+AAA+++TEXT'", StringComparison.Ordinal);

        AssertSingle(text, mode, EdifactErrorCodes.ByteOrderMarkInside, 6, 5);
    }

    [Fact]
    public void Byte_order_mark_at_the_start_of_the_file_is_no_finding()
    {
        Assert.Empty(Validation.Run("\uFEFF" + Interchange("FTX+AAA+++TEXT"), EdifactValidationMode.Strict).Diagnostics);
    }
}
