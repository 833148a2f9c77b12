using PortCustoms.Core.Reconciliation;
using static PortCustoms.Core.Tests.Reconciliation.ReconciliationBuilders;

namespace PortCustoms.Core.Tests.Reconciliation;

public sealed class ReconciliationReportTests
{
    private static ReconciliationReport Report()
    {
        var found = new ManifestMatcher().Match(
            [Manifested(Valid("MSC", 1), seals: ["=HYPERLINK(\"x\")"]), Manifested(Valid("MSC", 2))],
            [Discharged(Valid("MSC", 1), 7, seals: ["B, 2"])]);
        return ReconciliationReport.Assemble(Call, found, [new ReportDocument("manifest", "d1", "broker/m.edi", null)], 2, 1, new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void TryResolve_KnownNumber_RecordsWhoWhenWhy()
    {
        var report = Report();
        var resolution = new DiscrepancyResolution("officer.jansen", new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), "Seal replaced at transshipment, certificate seen.");
        Assert.True(report.TryResolve(1, resolution, out var resolved));
        Assert.Equal(resolution, resolved.Discrepancies[0].Resolution);
        Assert.Equal(1, resolved.Resolved);
        Assert.Null(report.Discrepancies[0].Resolution);
        Assert.False(report.TryResolve(3, resolution, out _));
        Assert.False(report.TryResolve(0, resolution, out _));
    }

    [Fact]
    public void Json_RoundTrip_KeepsEverything()
    {
        Assert.True(Report().TryResolve(2, new DiscrepancyResolution("a", DateTimeOffset.UnixEpoch, "n"), out var report));
        var back = ReconciliationReportWriter.FromJson(ReconciliationReportWriter.ToJson(report));
        Assert.Equal(report.Discrepancies.Select(d => (d.Number, d.Kind, d.ContainerNumber, d.Description, d.Resolution)),
            back.Discrepancies.Select(d => (d.Number, d.Kind, d.ContainerNumber, d.Description, d.Resolution)));
        Assert.Equal(report.Counts, back.Counts);
        Assert.Equal(7, back.Discrepancies[1].Discharge[0].Row);
        Assert.Contains("\"code\":\"SEAL-MISMATCH\"", System.Text.Encoding.UTF8.GetString(ReconciliationReportWriter.ToJson(report)), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_OneLinePerDiscrepancy_QuotedAndFormulaSafe()
    {
        var csv = ReconciliationReportWriter.ToCsv(Report());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ReconciliationReportWriter.CsvColumns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,SHORT-LANDED,true," + Valid("MSC", 2) + ",", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,SEAL-MISMATCH,true," + Valid("MSC", 1) + ",", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"B, 2\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[2], StringComparison.Ordinal);
    }
}
