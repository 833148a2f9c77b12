using System.Text;
using PortCustoms.Core.Operations;

namespace PortCustoms.Core.Tests.Operations;

public sealed class ExportAuditorTests
{
    private const string Header = "containerNumber,vesselImo,voyage,dischargedAt,sizeType,sealNumbers,grossMassKg,fullEmpty\n";
    private const string Good = "MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,45G1,ML-1,23150,F\n";

    private static Task<ExportAuditReport> Audit(string csv, ExportProfile? profile = null) =>
        ExportAuditor.AuditAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), profile ?? ExportProfile.DischargeList);

    private static AuditField Field(ExportAuditReport report, string name) => report.Fields.Single(f => f.Field == name);

    [Fact]
    public async Task A_clean_export_passes_with_every_field_counted()
    {
        var report = await Audit(Header + Good + Good.Replace("MSCU1234566", "CSQU3054383", StringComparison.Ordinal));

        Assert.True(report.Passes);
        Assert.Equal(2, report.Rows);
        Assert.All(report.Fields.Where(f => f.Field is not "billOfLading"), f => Assert.Equal((2, 2), (f.Filled, f.Valid)));
        Assert.Equal(0, Field(report, "billOfLading").Filled);
    }

    [Fact]
    public async Task Findings_are_counted_by_code_with_example_rows()
    {
        var report = await Audit(Header
            + Good.Replace("MSCU1234566", "MSCU1234567", StringComparison.Ordinal)
            + Good.Replace("9811000", "9811001", StringComparison.Ordinal)
            + Good.Replace("2026-11-26T03:02:00Z", "2026-11-26 03:02", StringComparison.Ordinal)
            + Good.Replace("23150", "heavy", StringComparison.Ordinal)
            + Good.Replace("MSCU1234566", "", StringComparison.Ordinal));

        Assert.False(report.Passes);
        Assert.Equal(("CHECK-DIGIT", 1L, 2L), One(Field(report, "containerNumber"), "CHECK-DIGIT"));
        Assert.Equal(("MISSING", 1L, 6L), One(Field(report, "containerNumber"), "MISSING"));
        Assert.Equal(("CHECK-DIGIT", 1L, 3L), One(Field(report, "vesselImo"), "CHECK-DIGIT"));
        Assert.Equal(("TIME-NO-OFFSET", 1L, 4L), One(Field(report, "dischargedAt"), "TIME-NO-OFFSET"));
        Assert.Equal(("NUMBER", 1L, 5L), One(Field(report, "grossMassKg"), "NUMBER"));
        Assert.Equal(4, Field(report, "containerNumber").Filled);
        Assert.Equal(3, Field(report, "containerNumber").Valid);

        static (string, long, long) One(AuditField field, string code) =>
            field.Findings.Single(f => f.Code == code) is var f ? (f.Code, f.Count, f.Rows.Single()) : default;
    }

    [Fact]
    public async Task Unmapped_codes_are_listed_with_counts_and_make_the_field_invalid()
    {
        var report = await Audit(Header
            + Good.Replace("45G1", "XXXX", StringComparison.Ordinal)
            + Good.Replace("45G1", "XXXX", StringComparison.Ordinal)
            + Good.Replace("45G1", "40HC", StringComparison.Ordinal)
            + Good.Replace(",F\n", ",Q\n", StringComparison.Ordinal));

        var sizeType = Assert.Single(report.UnmappedCodes, u => u.Field == "sizeType");
        Assert.Equal(("XXXX", 2L), (sizeType.Code, sizeType.Count));
        Assert.Equal([2L, 3L], sizeType.Rows);
        Assert.Single(report.UnmappedCodes, u => u.Field == "fullEmpty" && u.Code == "Q");
        // 40HC is an alias the code list maps: valid.
        Assert.Equal(2, Field(report, "sizeType").Valid);
        // Optional fields do not fail the audit.
        Assert.True(report.Passes);
    }

    [Fact]
    public async Task A_missing_mandatory_column_fails_every_row()
    {
        var report = await Audit("containerNumber,voyage,dischargedAt,extra\nMSCU1234566,124E,2026-11-26T03:02:00Z,x\n");

        Assert.False(report.Passes);
        Assert.Equal(0, Field(report, "vesselImo").Filled);
        Assert.Equal("MISSING", Assert.Single(Field(report, "vesselImo").Findings).Code);
        Assert.Equal(["extra"], report.IgnoredColumns);
    }

    [Fact]
    public async Task Counts_are_exact_while_examples_stop_at_five()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i < 50; i++)
        {
            csv.Append(Good.Replace("MSCU1234566", "MSCU1234567", StringComparison.Ordinal));
        }
        var report = await Audit(csv.ToString());

        var finding = Assert.Single(Field(report, "containerNumber").Findings);
        Assert.Equal(50, finding.Count);
        Assert.Equal([2L, 3L, 4L, 5L, 6L], finding.Rows);
    }

    [Fact]
    public async Task Distinct_unmapped_codes_are_bounded_and_the_rest_counted_together()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i < ExportAuditor.MaxDistinctUnmappedCodes + 20; i++)
        {
            // Well-formed, distinct and unknown: Y000..Y999, then X000...
            var code = i < 1000 ? $"Y{i:000}" : $"X{i - 1000:000}";
            csv.Append(Good.Replace("45G1", code, StringComparison.Ordinal));
        }
        var report = await Audit(csv.ToString());

        Assert.Equal(ExportAuditor.MaxDistinctUnmappedCodes + 1, report.UnmappedCodes.Count);
        Assert.Equal(20, report.UnmappedCodes.Single(u => u.Code == ExportAuditor.OtherCodes).Count);
        Assert.Equal(ExportAuditor.MaxDistinctUnmappedCodes + 20, report.UnmappedCodes.Sum(u => u.Count));
    }

    [Fact]
    public async Task Malformed_csv_stops_with_a_positioned_error()
    {
        var report = await Audit(Header + Good + "\"MSCU1234566,9811000\n");

        Assert.False(report.Passes);
        Assert.Contains("line 3", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_event_profile_checks_event_types()
    {
        var report = await Audit(
            "eventId,containerNumber,type,occurredAt,location\nE1,MSCU1234566,GATED_OUT,2026-11-26T03:02:00Z,NLRTM\nE2,MSCU1234566,TELEPORTED,2026-11-26T03:02:00Z,Rotterdam\n",
            ExportProfile.StatusEvents);

        Assert.False(report.Passes);
        Assert.Single(report.UnmappedCodes, u => u.Field == "type" && u.Code == "TELEPORTED");
        Assert.Equal("LOCODE-FORMAT", Assert.Single(Field(report, "location").Findings).Code);
    }
}
