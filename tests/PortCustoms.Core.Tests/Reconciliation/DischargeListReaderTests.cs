using System.Text;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Core.Tests.Reconciliation;

public sealed class DischargeListReaderTests
{
    private static DischargeListReadResult Read(string text) => DischargeListReader.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ReadCsv_ColumnsInAnyOrderAndCase_ReadsEveryField()
    {
        var result = Read(
            "VOYAGE,containernumber,SealNumbers,dischargedAt,vesselImo,sizeType,grossMassKg,fullEmpty,billOfLading,craneId\r\n" +
            "124E,MSCU1234566,ML-1;ML-2,2026-11-26T03:02:00+01:00,9811000,40hc,23150.5,F,MEDU1,QC4\r\n");
        var list = Assert.IsType<DischargeList>(result.List);
        Assert.Equal("9811000-124E", list.VesselCall.Key);
        var row = Assert.Single(list.Containers);
        Assert.Equal(1, row.Row);
        Assert.Equal("MSCU1234566", row.ContainerNumber);
        Assert.Equal(["ML-1", "ML-2"], row.SealNumbers);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.FromHours(1)), row.DischargedAt);
        Assert.Equal("40HC", row.SizeType);
        Assert.Equal(23150.5m, row.GrossMassKg);
        Assert.Equal(FullEmpty.Full, row.FullEmpty);
        Assert.Equal("MEDU1", row.BillOfLading);
        Assert.Empty(list.Findings);
    }

    [Fact]
    public void ReadCsv_QuotedFieldsWithCommaQuoteAndLineBreak_Rfc4180()
    {
        var result = Read("containerNumber,vesselImo,voyage,dischargedAt,billOfLading\n" +
            "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,\"BL, \"\"A\"\"\nsecond line\"\n" +
            "CMAU4001000,9811000,124E,2026-11-26T03:05:00Z,\n\n");
        var list = Assert.IsType<DischargeList>(result.List);
        Assert.Equal(2, list.Containers.Count);
        Assert.Equal("BL, \"A\"\nsecond line", list.Containers[0].BillOfLading);
        Assert.Equal(2, list.Containers[1].Row);
        Assert.Null(list.Containers[1].BillOfLading);
    }

    [Fact]
    public void ReadCsv_MissingRequiredColumn_ErrorNamingIt()
    {
        var result = Read("containerNumber,vesselImo,dischargedAt\nMSCU1234566,9811000,2026-11-26T03:02:00Z\n");
        Assert.Null(result.List);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ReconciliationErrorCodes.ColumnMissing, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("voyage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n ")]
    [InlineData("containerNumber,vesselImo,voyage,dischargedAt\r\n")]
    public void Read_EmptyList_DischargeEmptyError(string text)
    {
        var result = Read(text);
        Assert.Null(result.List);
        Assert.Equal(ReconciliationErrorCodes.FileEmpty, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void ReadCsv_UnclosedQuote_SyntaxErrorWithLine()
    {
        var result = Read("containerNumber,vesselImo,voyage,dischargedAt\nMSCU1234566,9811000,\"124E,2026\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ReconciliationErrorCodes.CsvSyntax, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void ReadCsv_InvalidRows_KeptAsFindingsWithRowAndColumn()
    {
        var result = Read("containerNumber,vesselImo,voyage,dischargedAt,grossMassKg,fullEmpty,sizeType\n" +
            "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,23000,F,45G1\n" +    // 1 fine
            ",9811000,124E,2026-11-26T03:02:00Z,1,F,45G1\n" +                   // 2 no container
            "CMAU4001000,9811000,124E,2026-11-26 03:02,heavy,X,45-G\n" +        // 3 date, mass, full/empty, size-type: kept
            "TGHU1234560,9811000,999W,2026-11-26T03:02:00Z,1,F,45G1\n" +        // 4 other voyage
            "TGHU1234560,9811001,124E,2026-11-26T03:02:00Z,1,F,45G1\n" +        // 5 IMO check digit
            "TGHU1234560,9811000\n" +                                           // 6 field count
            "MSCU1234567,9811000,124E,2026-11-26T03:02:00Z,1,F,45G1\n");        // 7 bad check digit: kept for the matcher
        var list = Assert.IsType<DischargeList>(result.List);
        Assert.Equal([1, 3, 7], list.Containers.Select(c => c.Row));
        Assert.Null(list.Containers[1].DischargedAt);
        Assert.Null(list.Containers[1].GrossMassKg);
        Assert.Equal(FullEmpty.Unknown, list.Containers[1].FullEmpty);
        Assert.Null(list.Containers[1].SizeType);
        Assert.Equal(
            [
                (2, ReconciliationErrorCodes.ContainerMissing, "containerNumber"),
                (3, ReconciliationErrorCodes.DischargedAtInvalid, "dischargedAt"),
                (3, ReconciliationErrorCodes.SizeTypeInvalid, "sizeType"),
                (3, ReconciliationErrorCodes.GrossMassInvalid, "grossMassKg"),
                (3, ReconciliationErrorCodes.FullEmptyInvalid, "fullEmpty"),
                (4, ReconciliationErrorCodes.OtherVesselCall, "vesselImo"),
                (5, ReconciliationErrorCodes.VesselImoInvalid, "vesselImo"),
                (6, ReconciliationErrorCodes.RowFieldCount, null),
            ],
            list.Findings.Select(f => (f.Row, f.Code, f.Column)));
        Assert.Equal("TGHU1234560", list.Findings[5].ContainerNumber);
    }

    [Fact]
    public void ReadCsv_TimeWithoutOffset_Finding()
    {
        var list = Read("containerNumber,vesselImo,voyage,dischargedAt\nMSCU1234566,9811000,124E,2026-11-26T03:02:00\n").List!;
        Assert.Equal(ReconciliationErrorCodes.DischargedAtInvalid, Assert.Single(list.Findings).Code);
        Assert.Single(list.Containers);
    }

    [Fact]
    public void Read_ExpectedCallGiven_RowsOfOtherCallsAreFindings()
    {
        var expected = new VesselCall(PortCustoms.Core.Model.ImoNumber.Parse("9811000"), "125W");
        var result = DischargeListReader.Read(Encoding.UTF8.GetBytes("containerNumber,vesselImo,voyage,dischargedAt\nMSCU1234566,9811000,124E,2026-11-26T03:02:00Z\n"), expected);
        var list = result.List!;
        Assert.Equal(expected, list.VesselCall);
        Assert.Empty(list.Containers);
        Assert.Equal(ReconciliationErrorCodes.OtherVesselCall, Assert.Single(list.Findings).Code);
    }

    [Fact]
    public void Read_NoRowWithValidVessel_NoVesselCallError()
    {
        var result = Read("containerNumber,vesselImo,voyage,dischargedAt\nMSCU1234566,123,124E,2026-11-26T03:02:00Z\n");
        Assert.Equal(ReconciliationErrorCodes.NoVesselCall, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void ReadJson_DischargeListObject_RowsInheritTheCall()
    {
        var result = Read("""
            { "vesselImo": "9811000", "voyage": "124E", "containers": [
              { "containerNumber": "MSCU1234566", "dischargedAt": "2026-11-26T03:02:00Z", "sealNumbers": ["ML-1", "ML-2"], "grossMassKg": 23150, "FullEmpty": "E", "sizeType": "4510" },
              { "containerNumber": "CMAU4001000", "dischargedAt": "2026-11-26T03:05:00Z", "sealNumbers": "S1;S2" },
              { "dischargedAt": "2026-11-26T03:05:00Z" }
            ] }
            """);
        var list = result.List!;
        Assert.Equal("9811000-124E", list.VesselCall.Key);
        Assert.Equal(2, list.Containers.Count);
        Assert.Equal(["ML-1", "ML-2"], list.Containers[0].SealNumbers);
        Assert.Equal(23150m, list.Containers[0].GrossMassKg);
        Assert.Equal(FullEmpty.Empty, list.Containers[0].FullEmpty);
        Assert.Equal(["S1", "S2"], list.Containers[1].SealNumbers);
        var finding = Assert.Single(list.Findings);
        Assert.Equal((3, ReconciliationErrorCodes.ContainerMissing), (finding.Row, finding.Code));
    }

    [Fact]
    public void ReadJson_EventArray_DischargedEventsOnlyOthersAreFindings()
    {
        var result = Read("""
            [ { "eventId": "E1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "vesselImo": "9811000", "voyage": "124E", "sealNumbers": ["ML-12345"], "grossMassKg": 23150, "sizeType": "45G1" },
              { "eventId": "E2", "containerNumber": "CMAU4001000", "type": "GATED_OUT", "occurredAt": "2026-11-26T05:02:00Z", "vesselImo": "9811000", "voyage": "124E" } ]
            """);
        var list = result.List!;
        var row = Assert.Single(list.Containers);
        Assert.Equal("MSCU1234566", row.ContainerNumber);
        Assert.Equal(["ML-12345"], row.SealNumbers);
        var finding = Assert.Single(list.Findings);
        Assert.Equal((2, ReconciliationErrorCodes.NotDischarged), (finding.Row, finding.Code));
        Assert.Contains("GATED_OUT", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"containers\": 3 }", ReconciliationErrorCodes.JsonShape)]
    [InlineData("{ \"vesselImo\": ", ReconciliationErrorCodes.JsonSyntax)]
    [InlineData("[]", ReconciliationErrorCodes.FileEmpty)]
    public void ReadJson_Unusable_ErrorCode(string json, string code)
    {
        Assert.Equal(code, Assert.Single(Read(json).Errors).Code);
    }
}
