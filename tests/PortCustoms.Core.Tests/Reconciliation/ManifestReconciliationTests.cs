using System.Text;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Reconciliation.ReconciliationBuilders;

namespace PortCustoms.Core.Tests.Reconciliation;

public sealed class ManifestReconciliationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    private static CargoManifest Manifest(string imo, string voyage, params string[] containers) => new()
    {
        Vessel = new ManifestVessel { Imo = ImoNumber.Parse(imo) },
        Voyage = voyage,
        Containers = [.. containers.Select(c => new ManifestContainer { ContainerNumber = ContainerNumber.Parse(c), SizeType = SizeTypeCode.Iso45G1, FullEmpty = FullEmpty.Full })],
        Consignments = [new ManifestConsignment { BillOfLading = "MEDU1", GoodsItems = [new ManifestGoodsItem { Containers = [.. containers.Select(ContainerNumber.Parse)] }] }],
    };

    private static DischargeList List(params DischargedContainer[] rows) => new() { VesselCall = Call, Containers = rows };

    [Fact]
    public void Run_ShortAndOverLanded_NumberedReportWithCountsForEveryKind()
    {
        var a = Valid("MSC", 1);
        var b = Valid("MSC", 2);
        var c = Valid("MSC", 3);
        var report = new ManifestReconciliation().Run(Call, [new SourcedManifest("m.edi CUSCAR M1", Manifest("9811000", "124E", a, b))],
            List(Discharged(a, 1, seals: []), Discharged(c, 2, seals: [])), [], At);
        Assert.Equal("9811000-124E", report.VesselCall);
        Assert.Equal(2, report.ManifestedContainers);
        Assert.Equal(2, report.DischargedContainers);
        Assert.Equal([1, 2], report.Discrepancies.Select(d => d.Number));
        Assert.Equal([DiscrepancyKind.ShortLanded, DiscrepancyKind.OverLanded], report.Discrepancies.Select(d => d.Kind));
        Assert.Equal(DiscrepancyKinds.All.Count, report.Counts.Count);
        Assert.Equal(1, report.Counts["SHORT-LANDED"]);
        Assert.Equal(1, report.Counts["OVER-LANDED"]);
        Assert.Equal(0, report.Counts["SEAL-MISMATCH"]);
        Assert.Equal("MEDU1", report.Discrepancies[0].Manifest[0].BillOfLading);
    }

    [Fact]
    public void Prepare_ManifestForAnotherCall_DiscrepancyAndItsContainersLeftOut()
    {
        var a = Valid("MSC", 1);
        var other = Valid("OTH", 1);
        var prepared = new ManifestReconciliation().Prepare(Call,
            [new SourcedManifest("ours", Manifest("9811000", "124 e", a)), new SourcedManifest("theirs", Manifest("9811000", "125W", other))],
            List(Discharged(a, 1)));
        Assert.Equal([a], prepared.Manifested.Select(m => m.ContainerNumber));
        var finding = Assert.Single(prepared.Findings);
        Assert.Equal(DiscrepancyKind.OtherVesselCall, finding.Kind);
        Assert.Equal("theirs", finding.ContainerNumber);
        Assert.Contains("125W", finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_NoManifest_InputError()
    {
        var ex = Assert.Throws<ReconciliationInputException>(() => new ManifestReconciliation().Prepare(Call, [], List(Discharged(Valid("MSC", 1), 1))));
        Assert.Equal(ReconciliationErrorCodes.NoManifest, ex.Code);
    }

    [Fact]
    public void Prepare_EmptyDischargeList_InputError()
    {
        var ex = Assert.Throws<ReconciliationInputException>(() => new ManifestReconciliation().Prepare(Call, [new SourcedManifest("m", Manifest("9811000", "124E", Valid("MSC", 1)))], List()));
        Assert.Equal(ReconciliationErrorCodes.DischargeListEmpty, ex.Code);
    }

    [Fact]
    public void Prepare_DischargeListOfAnotherCall_InputError()
    {
        var list = List(Discharged(Valid("MSC", 1), 1)) with { VesselCall = new VesselCall(Call.Imo, "999") };
        var ex = Assert.Throws<ReconciliationInputException>(() => new ManifestReconciliation().Prepare(Call, [new SourcedManifest("m", Manifest("9811000", "124E", Valid("MSC", 1)))], list));
        Assert.Equal(ReconciliationErrorCodes.DischargeListOtherCall, ex.Code);
    }

    [Fact]
    public void Run_DischargeFindings_BecomeInvalidRowDiscrepancies()
    {
        var a = Valid("MSC", 1);
        var list = List(Discharged(a, 1)) with { Findings = [new DischargeListFinding(ReconciliationErrorCodes.GrossMassInvalid, 4, "grossMassKg", "gross mass 'x' is not a number.") { ContainerNumber = Valid("MSC", 9) }] };
        var report = new ManifestReconciliation().Run(Call, [new SourcedManifest("m", Manifest("9811000", "124E", a))], list, [], At);
        var d = Assert.Single(report.Discrepancies);
        Assert.Equal(DiscrepancyKind.InvalidDischargeRow, d.Kind);
        Assert.Equal(ReconciliationErrorCodes.GrossMassInvalid, d.FindingCode);
        Assert.Equal(4, d.Discharge[0].Row);
        Assert.StartsWith("Row 4 of the discharge list (grossMassKg)", d.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuscar_ContainerGrossMassAndBadCheckDigit_ReachTheMatcher()
    {
        const string edi = "UNA:+.? 'UNB+UNOC:3+MSCU:ZZZ+NLCUSTOMS:ZZZ+261120:1000+CM1'UNH+M1+CUSCAR:D:95B:UN'BGM+85+124E+9'" +
            "TDT+20+124E+1+++++9811000:146:11:MSC EXAMPLE'EQD+CN+MSCU1234566+45G1:102:5+++5'MEA+AAE+G+KGM:24000'SEL+ML-1+CA'" +
            "EQD+CN+MSCU1234567+22G1:102:5+++5'UNT+8+M1'UNZ+1+CM1'";
        var message = (await EdifactDocument.ReadAsync(Encoding.Latin1.GetBytes(edi))).Messages.Single();
        var translated = new EdifactTranslator().Translate(message);
        var manifest = translated.Manifest!;
        Assert.Equal(24000m, Assert.Single(manifest.Containers).GrossMassKg);
        var rejected = Assert.Single(manifest.RejectedContainers!);
        Assert.Equal(("MSCU1234567", ContainerNumberError.CheckDigit), (rejected.ContainerNumber, rejected.Error));
        Assert.Equal(8, rejected.Segment);
        Assert.Contains(translated.Diagnostics, d => d.Code == MappingErrorCodes.ContainerCheckDigit);

        var report = new ManifestReconciliation().Run(Call, [new SourcedManifest("m.edi CUSCAR M1", manifest)],
            List(Discharged("MSCU1234566", 1, seals: ["ML-1"], mass: 30_000m)), [], At);
        Assert.Equal([DiscrepancyKind.GrossMassMismatch, DiscrepancyKind.CheckDigitInManifest], report.Discrepancies.Select(d => d.Kind));
        Assert.Equal("m.edi CUSCAR M1 (segment 8)", report.Discrepancies[1].Manifest[0].Source);
    }

    [Fact]
    public async Task Cuscar_ContainerGrossMass_RoundTripsThroughEdifact()
    {
        var manifest = Manifest("9811000", "124E", "MSCU1234566") with { };
        manifest = manifest with { Containers = [manifest.Containers[0] with { GrossMassKg = 23150.5m, SealNumbers = ["ML-1"] }] };
        var composed = new EdifactComposer().Compose(CanonicalJson.Read(Encoding.UTF8.GetBytes(
            "{\"messages\":[{\"type\":\"CUSCAR\",\"reference\":\"M1\",\"manifest\":" + CanonicalJson.ToJson(manifest) + "}]}")), new EdifactInterchangeOptions());
        var document = await EdifactDocument.ReadAsync(composed.Interchange);
        Assert.DoesNotContain(document.Validation.Diagnostics, d => d.Severity == EdifactSeverity.Error);
        var back = new EdifactTranslator().Translate(document.Messages.Single());
        Assert.Empty(back.Diagnostics);
        Assert.Equal(23150.5m, back.Manifest!.Containers[0].GrossMassKg);
        Assert.Null(back.Manifest.RejectedContainers);
    }
}
