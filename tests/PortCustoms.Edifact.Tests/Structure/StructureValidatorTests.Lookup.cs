using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Finding the table from UNH S009; unsupported messages are reported, never guessed.</summary>
public sealed partial class StructureValidatorTests
{
    [Theory]
    [InlineData("INVOIC:D:96A:UN", 1)]
    [InlineData("CUSCAR:S:93A:UN", 2)]
    [InlineData("CUSCAR:D:99A:UN", 3)]
    public void Validate_UnsupportedMessage_ReportsUnsupportedAtTheOffendingComponent(string identifier, int component)
    {
        var message = Edi.Message($"UNH+1+{identifier}'BGM+85'UNT+3+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal(
            (StructureFindingCodes.UnsupportedMessage, 1, "UNH", 2, component, SyntaxErrorCode.ValueNotSupportedInThisPosition),
            (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.Element, finding.Component, finding.SyntaxError));
        Assert.Null(result.Structure);
        Assert.True(result.HasErrors);
        Assert.Equal("1", result.MessageReference);
    }

    [Fact]
    public void Validate_MessageIdentifierIncomplete_ReportsMissingComponent()
    {
        var message = Edi.Message("UNH+1+CUSCAR::95B:UN'UNT+2+1'");

        StructureFinding finding = Assert.Single(Validator.Validate(message).Findings);

        Assert.Equal((StructureFindingCodes.MissingElement, 2, 2), (finding.Code, finding.Element, finding.Component));
    }

    [Fact]
    public void Validate_NoHeader_ReportsMissingUnh()
    {
        var message = Edi.Message("BGM+85'UNT+2+1'");

        StructureFinding finding = Assert.Single(Validator.Validate(message).Findings);

        Assert.Equal((StructureFindingCodes.MissingSegment, 1, "UNH"), (finding.Code, finding.SegmentPosition, finding.SegmentTag));
    }

    [Fact]
    public void TryGetStructure_KnownKey_ReturnsSameInstanceEachTime()
    {
        var key = new MessageKey("CODECO", "D", "00B");

        Assert.True(MessageStructureCatalog.Default.TryGetStructure(key, out MessageStructure? first));
        Assert.True(MessageStructureCatalog.Default.TryGetStructure(key, out MessageStructure? second));

        Assert.Same(first, second);
        Assert.Equal(key, first.Key);
    }

    [Fact]
    public void Validate_CustomCatalog_UsesOnlyItsTables()
    {
        var validator = new StructureValidator(new MessageStructureCatalog([Synthetic.Table(Synthetic.S("UNH", true, 1), Synthetic.S("UNT", true, 1))]));

        Assert.Empty(validator.Validate(Edi.Message("UNH+1+TEST:D:1:UN'UNT+2+1'")).Findings);
        Assert.Equal(StructureFindingCodes.UnsupportedMessage, Assert.Single(validator.Validate(Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM'UNT+3+1'")).Findings).Code);
    }

    [Theory]
    [InlineData("an..35", DataElementType.Alphanumeric, 1, 35, false)]
    [InlineData("n3", DataElementType.Numeric, 3, 3, true)]
    [InlineData("a1", DataElementType.Alphabetic, 1, 1, true)]
    [InlineData("n..1", DataElementType.Numeric, 1, 1, false)]
    public void Parse_DirectoryNotation_RoundTrips(string notation, DataElementType type, int min, int max, bool isFixed)
    {
        DataElementFormat format = DataElementFormat.Parse(notation);

        Assert.Equal((type, min, max, isFixed, notation), (format.Type, format.MinLength, format.MaxLength, format.IsFixedLength, format.ToString()));
    }

    [Theory]
    [InlineData("x..3")]
    [InlineData("an..")]
    [InlineData("n0")]
    public void Parse_BadNotation_Throws(string notation) =>
        Assert.Throws<FormatException>(() => DataElementFormat.Parse(notation));

    [Fact]
    public void GroupNode_WithoutMandatoryTrigger_IsRejected() =>
        Assert.Throws<ArgumentException>(() => Synthetic.G("SG1", false, 9, Synthetic.S("RFF", false, 1)));

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Validate_UnknownSyntaxVersion_Throws(int syntaxVersion) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Validator.Validate(Edi.Message("UNH+1+CUSCAR:D:95B:UN'UNT+2+1'"), syntaxVersion));
}
