using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Group resolution on the real CUSCAR D95B table, including the cases other libraries get wrong.</summary>
public sealed partial class StructureValidatorTests
{
    private static readonly StructureValidator Validator = new();

    private static string PathOf(StructureValidationResult result, int position) => result.Placements[position - 1].ToString();

    [Fact]
    public void Validate_TriggerTagAlsoUsedElsewhere_PlacesEachOccurrenceInItsOwnGroup()
    {
        // NAD is a message-level segment, a segment of SG2 and the trigger of SG7; RFF is SG5's trigger and also in SG7.
        var message = Edi.Message("""
            UNH+1+CUSCAR:D:95B:UN'
            BGM+85+M123'
            NAD+CA+CARRIER'
            EQD+CN+MSCU1234565'
            NAD+CF+OWNER'
            CNI+1'
            RFF+BM:BL1'
            NAD+CZ+SHIPPER'
            RFF+AAA:X'
            GID+1'
            UNT+11+1'
            """);

        StructureValidationResult result = Validator.Validate(message);

        Assert.Empty(result.Findings);
        Assert.Equal("NAD[1]", PathOf(result, 3));
        Assert.Equal("SG2[1]/NAD[1]", PathOf(result, 5));
        Assert.Equal("SG4[1]/SG5[1]/RFF[1]", PathOf(result, 7));
        Assert.Equal("SG4[1]/SG5[1]/SG7[1]/NAD[1]", PathOf(result, 8));
        Assert.Equal("SG4[1]/SG5[1]/SG7[1]/RFF[1]", PathOf(result, 9));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/GID[1]", PathOf(result, 10));
    }

    [Fact]
    public void Validate_NestedGroupsClosingAndReopening_CountsOccurrencesPerParentOccurrence()
    {
        var message = Edi.Message("""
            UNH+1+CUSCAR:D:95B:UN'
            BGM+85'
            EQD+CN+C1'
            TMP+2+005:CEL'
            TMP+2+006:CEL'
            EQD+CN+C2'
            MEA+AAE++KGM:10'
            TMP+2+007:CEL'
            RNG+5+CEL:1:9'
            UNT+10+1'
            """);

        StructureValidationResult result = Validator.Validate(message);

        Assert.Empty(result.Findings);
        Assert.Equal("SG2[1]/SG3[1]/TMP[1]", PathOf(result, 4));
        Assert.Equal("SG2[1]/SG3[2]/TMP[1]", PathOf(result, 5));
        Assert.Equal("SG2[2]/EQD[1]", PathOf(result, 6));
        Assert.Equal("SG2[2]/MEA[1]", PathOf(result, 7));
        Assert.Equal("SG2[2]/SG3[1]/TMP[1]", PathOf(result, 8));
        Assert.Equal("SG2[2]/SG3[1]/RNG[1]", PathOf(result, 9));
        Assert.Equal(new[] { 2, 1 }, result.Placements[8].GroupOccurrences);
    }

    [Fact]
    public void Validate_SegmentFittingCurrentGroupOrNextParentRepeat_StaysInInnermostGroup()
    {
        // After SG6's TDT an RFF is SG6's RFF, not a new SG5; after SG10 (no RFF there) it starts SG5 again.
        var message = Edi.Message("""
            UNH+1+CUSCAR:D:95B:UN'
            BGM+85'
            CNI+1'
            RFF+BM:BL1'
            TDT+20+V1'
            RFF+VON:1'
            GID+1'
            RFF+BM:BL2'
            GID+1'
            UNT+10+1'
            """);

        StructureValidationResult result = Validator.Validate(message);

        Assert.Empty(result.Findings);
        Assert.Equal("SG4[1]/SG5[1]/SG6[1]/RFF[1]", PathOf(result, 6));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/GID[1]", PathOf(result, 7));
        Assert.Equal("SG4[1]/SG5[2]/RFF[1]", PathOf(result, 8));
        Assert.Equal("SG4[1]/SG5[2]/SG10[1]/GID[1]", PathOf(result, 9));
    }

    [Fact]
    public void Validate_SameTagAtThreeLevels_ResolvesByPosition()
    {
        // CNT is a message-level segment, a segment of SG4 and a segment of SG5.
        var message = Edi.Message("""
            UNH+1+CUSCAR:D:95B:UN'
            BGM+85'
            CNT+16:1'
            CNI+1'
            CNT+7:1'
            RFF+BM:BL1'
            CNT+11:2'
            GID+1'
            UNT+9+1'
            """);

        StructureValidationResult result = Validator.Validate(message);

        Assert.Empty(result.Findings);
        Assert.Equal("CNT[1]", PathOf(result, 3));
        Assert.Equal("SG4[1]/CNT[1]", PathOf(result, 5));
        Assert.Equal("SG4[1]/SG5[1]/CNT[1]", PathOf(result, 7));
    }

    [Fact]
    public void Validate_TenthSegmentInFullGroup_StartsNewParentOccurrence()
    {
        string rffs = string.Concat(Enumerable.Range(1, 10).Select(i => $"RFF+AAA:{i}'"));
        var message = Edi.Message($"UNH+1+CUSCAR:D:95B:UN'BGM+85'CNI+1'RFF+BM:BL1'NAD+CZ'{rffs}GID+2'UNT+17+1'");

        StructureValidationResult result = Validator.Validate(message);

        Assert.Equal("SG4[1]/SG5[1]/SG7[1]/RFF[9]", PathOf(result, 14));
        Assert.Equal("SG4[1]/SG5[2]/RFF[1]", PathOf(result, 15));
        StructureFinding missing = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.MissingSegment, 15, "GID", "SG4/SG5/SG10"), (missing.Code, missing.SegmentPosition, missing.SegmentTag, missing.GroupPath));
    }

    [Fact]
    public void Validate_UnknownSegment_IsUnexpectedAndLeavesResolutionIntact()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'XYZ+1'EQD+CN+C1'UNT+5+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.UnexpectedSegment, 3, "XYZ", SyntaxErrorCode.NotSupportedInThisPosition), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.SyntaxError));
        Assert.False(result.Placements[2].IsResolved);
        Assert.Equal("SG2[1]/EQD[1]", PathOf(result, 4));
    }

    [Fact]
    public void Validate_SegmentOutOfOrder_IsUnexpectedAtItsPosition()
    {
        // GIS (message level) comes before SG2; after an EQD it can only be SG2's GIS, and FTX cannot follow SG2 at all.
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'EQD+CN+C1'FTX+AAA'UNT+5+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.UnexpectedSegment, 4, "FTX", 0, 0), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.Element, finding.Component));
        Assert.Equal("SG2", finding.GroupPath);
    }

    [Fact]
    public void Validate_MissingMandatorySegment_ReportsItAtTheNextSegment()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'DTM+137:20201126:102'UNT+3+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.MissingSegment, 2, "BGM", SyntaxErrorCode.Missing), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.SyntaxError));
    }

    [Fact]
    public void Validate_MissingMandatoryGroup_ReportsGroupTriggerAndPath()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'CNI+1'RFF+BM:BL1'UNT+5+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.MissingSegment, 5, "GID", "SG4/SG5/SG10"), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.GroupPath));
    }

    [Fact]
    public void Validate_MissingTrailer_ReportsOnePastTheLastSegment()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.MissingSegment, 3, "UNT"), (finding.Code, finding.SegmentPosition, finding.SegmentTag));
    }

    [Fact]
    public void Validate_SegmentRepeatedTooOften_ReportsTooManySegmentRepetitions()
    {
        string dtms = string.Concat(Enumerable.Range(1, 10).Select(_ => "DTM+137:20201126:102'"));
        var message = Edi.Message($"UNH+1+CUSCAR:D:95B:UN'BGM+85'{dtms}UNT+13+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.TooManyRepeats, 12, "DTM", SyntaxErrorCode.TooManySegmentRepetitions), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.SyntaxError));
        Assert.Equal("DTM[10]", PathOf(result, 12));
    }

    [Fact]
    public void Validate_GroupRepeatedTooOften_ReportsTooManyGroupRepetitions()
    {
        string tmps = string.Concat(Enumerable.Range(1, 10).Select(_ => "TMP+2+005:CEL'"));
        var message = Edi.Message($"UNH+1+CUSCAR:D:95B:UN'BGM+85'EQD+CN+C1'{tmps}UNT+14+1'");

        StructureValidationResult result = Validator.Validate(message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.TooManyRepeats, 13, "TMP", "SG2/SG3", SyntaxErrorCode.TooManySegmentGroupRepetitions), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.GroupPath, finding.SyntaxError));
        Assert.Equal("SG2[1]/SG3[10]/TMP[1]", PathOf(result, 13));
    }

    [Fact]
    public void Validate_RepeatedTrigger_StartsNextGroupOccurrenceNotASegmentRepeat()
    {
        var message = Edi.Message("UNH+1+CUSCAR:D:95B:UN'BGM+85'EQD+CN+C1'EQD+CN+C2'UNT+5+1'");

        StructureValidationResult result = Validator.Validate(message);

        Assert.Empty(result.Findings);
        Assert.Equal("SG2[2]/EQD[1]", PathOf(result, 4));
    }

    [Fact]
    public void Validate_ParentTriggerAfterChildGroup_ClosesChildAndReportsItsMissingEntries()
    {
        // A synthetic table: SG1 (RFF, SG2 (LIN, QTY mandatory)); RFF after LIN must close SG2 and report QTY.
        MessageStructure structure = Synthetic.Table(
            Synthetic.S("UNH", true, 1),
            Synthetic.G("SG1", false, 9, Synthetic.S("RFF", true, 1), Synthetic.G("SG2", false, 9, Synthetic.S("LIN", true, 1), Synthetic.S("QTY", true, 1))),
            Synthetic.S("UNT", true, 1));
        var message = Edi.Message("UNH+1+TEST:D:1:UN'RFF'LIN'RFF'LIN'QTY'UNT+7+1'");

        StructureValidationResult result = StructureValidator.ValidateAgainst(structure, message);

        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.MissingSegment, 4, "QTY", "SG1/SG2"), (finding.Code, finding.SegmentPosition, finding.SegmentTag, finding.GroupPath));
        Assert.Equal("SG1[2]/RFF[1]", PathOf(result, 4));
        Assert.Equal("SG1[2]/SG2[1]/QTY[1]", PathOf(result, 6));
    }

    [Fact]
    public void Validate_ConditionalSegmentSameAsChildGroupTrigger_TakesSegmentBeforeGroup()
    {
        // SG1 (RFF, DTM C, SG2 (DTM, FTX)): the first DTM is SG1's, the next opens SG2, a third opens SG2 again.
        MessageStructure structure = Synthetic.Table(
            Synthetic.S("UNH", true, 1),
            Synthetic.G("SG1", false, 9, Synthetic.S("RFF", true, 1), Synthetic.S("DTM", false, 1), Synthetic.G("SG2", false, 9, Synthetic.S("DTM", true, 1), Synthetic.S("FTX", false, 1))),
            Synthetic.S("UNT", true, 1));
        var message = Edi.Message("UNH+1+TEST:D:1:UN'RFF'DTM'DTM'FTX'DTM'UNT+7+1'");

        StructureValidationResult result = StructureValidator.ValidateAgainst(structure, message);

        Assert.Empty(result.Findings);
        Assert.Equal("SG1[1]/DTM[1]", PathOf(result, 3));
        Assert.Equal("SG1[1]/SG2[1]/DTM[1]", PathOf(result, 4));
        Assert.Equal("SG1[1]/SG2[2]/DTM[1]", PathOf(result, 6));
    }

    [Fact]
    public void Validate_TagsOfEarlierEntriesAfterDeepGroup_GoToTheDeepGroupsChildren()
    {
        // GIS is a message-level segment, in SG2, in SG5 before SG10, and the trigger of SG11 inside SG10;
        // QTY triggers SG9 (before SG10) and SG12 (inside SG10). After GID only SG10's children can take them.
        var message = Edi.Message("""
            UNH+1+CUSCAR:D:95B:UN'
            BGM+85'
            CNI+1'
            RFF+BM:BL1'
            GIS+1'
            GID+1'
            GIS+2'
            GIS+3'
            DOC+380'
            QTY+1:5'
            FTX+AAA'
            FTX+AAA'
            UNT+13+1'
            """);

        StructureValidationResult result = Validator.Validate(message);

        Assert.Equal("SG4[1]/SG5[1]/GIS[1]", PathOf(result, 5));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/SG11[1]/GIS[1]", PathOf(result, 7));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/SG11[2]/GIS[1]", PathOf(result, 8));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/SG11[2]/DOC[1]", PathOf(result, 9));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/SG12[1]/QTY[1]", PathOf(result, 10));
        Assert.Equal("SG4[1]/SG5[1]/SG10[1]/SG12[1]/FTX[1]", PathOf(result, 11));

        // SG12 takes one FTX and nothing after SG12 takes FTX: the second is an over-repeat, not a guess elsewhere.
        StructureFinding finding = Assert.Single(result.Findings);
        Assert.Equal((StructureFindingCodes.TooManyRepeats, 12, "SG4/SG5/SG10/SG12", SyntaxErrorCode.TooManySegmentRepetitions), (finding.Code, finding.SegmentPosition, finding.GroupPath, finding.SyntaxError));
    }
}
