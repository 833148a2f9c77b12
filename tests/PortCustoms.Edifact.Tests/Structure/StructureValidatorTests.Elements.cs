using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Element-level checks from segments.xml, on CUSCAR D95B.</summary>
public sealed partial class StructureValidatorTests
{
    private static StructureFinding SingleFinding(string segment)
    {
        var message = Edi.Message($"UNH+1+CUSCAR:D:95B:UN'BGM+85'{segment}UNT+4+1'");
        return Assert.Single(Validator.Validate(message).Findings);
    }

    [Fact]
    public void Validate_MandatorySimpleElementMissing_ReportsMissingElement()
    {
        StructureFinding finding = SingleFinding("EQD++C1'");

        Assert.Equal((StructureFindingCodes.MissingElement, 3, "EQD", 1, 0, SyntaxErrorCode.Missing), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_MandatoryComponentMissing_ReportsElementAndComponent()
    {
        StructureFinding finding = SingleFinding("DTM+:20201126:102'");

        Assert.Equal((StructureFindingCodes.MissingElement, 1, 1, SyntaxErrorCode.Missing), (finding.Code, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_MandatoryCompositeAbsent_ReportsMissingElementWithoutComponent()
    {
        StructureFinding finding = SingleFinding("DTM'");

        Assert.Equal((StructureFindingCodes.MissingElement, 1, 0), (finding.Code, finding.Element, finding.Component));
    }

    [Fact]
    public void Validate_ValueTooLong_ReportsDataElementTooLong()
    {
        StructureFinding finding = SingleFinding("EQD+CN+ABCDEFGHIJKLMNOPQR'");

        Assert.Equal((StructureFindingCodes.ElementTooLong, 2, 1, SyntaxErrorCode.DataElementTooLong), (finding.Code, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_FixedLengthValueTooShort_ReportsDataElementTooShort()
    {
        StructureFinding finding = SingleFinding("EQD+CN'TMP+2+5:CEL'");

        Assert.Equal((StructureFindingCodes.ElementTooShort, 4, 2, 1, SyntaxErrorCode.DataElementTooShort), (finding.Code, finding.SegmentPosition, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Theory]
    [InlineData("1A", SyntaxErrorCode.InvalidTypeOfCharacters)]
    [InlineData("-", SyntaxErrorCode.InvalidTypeOfCharacters)]
    [InlineData(".5", SyntaxErrorCode.MissingDigitInFrontOfDecimalSign)]
    [InlineData("5.", SyntaxErrorCode.InvalidDecimalNotation)]
    [InlineData("1.2.3", SyntaxErrorCode.InvalidDecimalNotation)]
    public void Validate_BadNumericValue_ReportsElementTypeWithIsoCode(string value, SyntaxErrorCode expected)
    {
        StructureFinding finding = SingleFinding($"CNT+7:{value}'");

        Assert.Equal((StructureFindingCodes.ElementType, 1, 2, expected), (finding.Code, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Theory]
    [InlineData("-12.5")]
    [InlineData("12,5")]
    [InlineData("123456789012345678")]
    [InlineData("-1234567890123456.78")]
    public void Validate_WellFormedNumeric_CountsDigitsOnly(string value)
    {
        var message = Edi.Message($"UNH+1+CUSCAR:D:95B:UN'BGM+85'CNT+7:{value}'UNT+4+1'");

        Assert.Empty(Validator.Validate(message).Findings);
    }

    [Fact]
    public void Validate_NumericWithTooManyDigits_ReportsTooLong()
    {
        StructureFinding finding = SingleFinding("CNT+7:1234567890123456789'");

        Assert.Equal((StructureFindingCodes.ElementTooLong, SyntaxErrorCode.DataElementTooLong), (finding.Code, finding.SyntaxError));
    }

    [Fact]
    public void Validate_DigitInAlphabeticElement_ReportsInvalidType()
    {
        // UNH S010 0073 (first and last transfer) is a1.
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN++1:9'BGM+85'UNT+3+1'");

        StructureFinding finding = Assert.Single(Validator.Validate(message).Findings);

        Assert.Equal((StructureFindingCodes.ElementType, 1, "UNH", 4, 2, SyntaxErrorCode.InvalidTypeOfCharacters), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_TooManyElements_ReportsFirstExtraElement()
    {
        StructureFinding finding = SingleFinding("DTM+137:20201126:102+X'");

        Assert.Equal((StructureFindingCodes.TooManyElements, 2, 0, SyntaxErrorCode.TooManyConstituents), (finding.Code, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_TrailingEmptyElements_AreTolerated()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'DTM+137:20201126:102++'UNT+4+1'");

        Assert.Empty(Validator.Validate(message).Findings);
    }

    [Fact]
    public void Validate_TooManyComponents_ReportsFirstExtraComponent()
    {
        StructureFinding finding = SingleFinding("DTM+137:20201126:102:X'");

        Assert.Equal((StructureFindingCodes.TooManyComponents, 1, 4, SyntaxErrorCode.TooManyConstituents), (finding.Code, finding.Element, finding.Component, finding.SyntaxError));
    }

    [Fact]
    public void Validate_ComponentsInSimpleElement_ReportsTooManyComponents()
    {
        StructureFinding finding = SingleFinding("EQD+CN:X'");

        Assert.Equal((StructureFindingCodes.TooManyComponents, 1, 2), (finding.Code, finding.Element, finding.Component));
    }

    [Fact]
    public void Validate_Finding_CarriesLineAndInterchangePosition()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'\nBGM+85'\nEQD++C1'\nUNT+4+1'");

        StructureFinding finding = Assert.Single(Validator.Validate(message).Findings);

        Assert.Equal((3, 4, 3), (finding.Line, finding.PositionInInterchange, finding.SegmentPosition));
    }

    [Fact]
    public void Validate_SyntaxVersion4Header_AcceptsVersion4Elements()
    {
        // S016 (message subset) exists from syntax version 4 on.
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN+++SUBSET1'BGM+85'UNT+3+1'");

        Assert.Empty(Validator.Validate(message, syntaxVersion: 4).Findings);
        Assert.Equal(StructureFindingCodes.TooManyElements, Assert.Single(Validator.Validate(message, syntaxVersion: 3).Findings).Code);
    }
}
