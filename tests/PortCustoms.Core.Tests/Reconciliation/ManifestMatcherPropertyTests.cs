using CsCheck;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;
using static PortCustoms.Core.Tests.Reconciliation.ReconciliationBuilders;

namespace PortCustoms.Core.Tests.Reconciliation;

/// <summary>
/// Properties: every injected discrepancy is found, and nothing else; matching chunk by chunk gives exactly what
/// matching the whole call gives (the orchestration's fan-out relies on it); size-type normalisation is a projection.
/// </summary>
public sealed class ManifestMatcherPropertyTests
{
    private enum Injected
    {
        None, Short, Over, Seal, Mass, SizeType, FullEmpty, DuplicateManifest, DuplicateDischarge, CheckDigitDischarge, CheckDigitManifest,
    }

    private static readonly Gen<Injected[]> Scenarios = Gen.Enum<Injected>().Array[1, 60];

    [Fact]
    public void Match_InjectedDiscrepancies_FoundExactlyOnce()
    {
        Scenarios.Sample(scenario =>
        {
            var manifested = new List<ManifestedContainer>();
            var discharged = new List<DischargedContainer>();
            var expected = new List<(DiscrepancyKind Kind, string Container)>();
            for (var i = 0; i < scenario.Length; i++)
            {
                var number = Valid("TST", 100_000 + i);
                var row = discharged.Count + 1;
                switch (scenario[i])
                {
                    case Injected.None:
                        manifested.Add(Manifested(number));
                        discharged.Add(Discharged(number, row));
                        break;
                    case Injected.Short:
                        manifested.Add(Manifested(number));
                        expected.Add((DiscrepancyKind.ShortLanded, number));
                        break;
                    case Injected.Over:
                        discharged.Add(Discharged(number, row));
                        expected.Add((DiscrepancyKind.OverLanded, number));
                        break;
                    case Injected.Seal:
                        manifested.Add(Manifested(number, seals: ["A1"]));
                        discharged.Add(Discharged(number, row, seals: ["B2"]));
                        expected.Add((DiscrepancyKind.SealMismatch, number));
                        break;
                    case Injected.Mass:
                        manifested.Add(Manifested(number, mass: 10_000m));
                        discharged.Add(Discharged(number, row, mass: 12_000m));
                        expected.Add((DiscrepancyKind.GrossMassMismatch, number));
                        break;
                    case Injected.SizeType:
                        manifested.Add(Manifested(number, sizeType: "22G1"));
                        discharged.Add(Discharged(number, row, sizeType: "40HC"));
                        expected.Add((DiscrepancyKind.SizeTypeMismatch, number));
                        break;
                    case Injected.FullEmpty:
                        manifested.Add(Manifested(number, fullEmpty: FullEmpty.Empty));
                        discharged.Add(Discharged(number, row, fullEmpty: FullEmpty.Full));
                        expected.Add((DiscrepancyKind.FullEmptyMismatch, number));
                        break;
                    case Injected.DuplicateManifest:
                        manifested.Add(Manifested(number));
                        manifested.Add(Manifested(number, source: "second"));
                        discharged.Add(Discharged(number, row));
                        expected.Add((DiscrepancyKind.DuplicateInManifest, number));
                        break;
                    case Injected.DuplicateDischarge:
                        manifested.Add(Manifested(number));
                        discharged.Add(Discharged(number, row));
                        discharged.Add(Discharged(number, row + 1));
                        expected.Add((DiscrepancyKind.DuplicateInDischargeList, number));
                        break;
                    case Injected.CheckDigitDischarge:
                        manifested.Add(Manifested(number));
                        discharged.Add(Discharged(WrongCheckDigit(number), row));
                        expected.Add((DiscrepancyKind.ShortLanded, number));
                        expected.Add((DiscrepancyKind.CheckDigitInDischargeList, WrongCheckDigit(number)));
                        break;
                    case Injected.CheckDigitManifest:
                        manifested.Add(Manifested(WrongCheckDigit(number)));
                        discharged.Add(Discharged(number, row));
                        expected.Add((DiscrepancyKind.OverLanded, number));
                        expected.Add((DiscrepancyKind.CheckDigitInManifest, WrongCheckDigit(number)));
                        break;
                }
            }
            var found = new ManifestMatcher().Match(manifested, discharged).Select(d => (d.Kind, d.ContainerNumber)).OrderBy(x => x).ToList();
            Assert.Equal(expected.OrderBy(x => x), found);
        });
    }

    // A small pool so that duplicates, collisions and invalid numbers are frequent.
    private static readonly Gen<string> Numbers = Gen.OneOf(
        Gen.Int[0, 12].Select(i => Valid("POO", i)),
        Gen.Int[0, 3].Select(i => WrongCheckDigit(Valid("BAD", i))));

    private static readonly Gen<ManifestedContainer> AnyManifested =
        Gen.Select(Numbers, Gen.OneOfConst<string?>(null, "22G1", "45G1", "40HC", "2210"), Gen.OneOfConst<string[]>([], ["A"], ["B"]), Gen.Int[0, 3].Select(i => (decimal?)(i * 1000m + 20_000m)), Gen.Enum<FullEmpty>())
            .Select((n, t, s, m, f) => Manifested(n, t, s, m, f));

    private static readonly Gen<DischargedContainer> AnyDischarged =
        Gen.Select(Numbers, Gen.OneOfConst<string?>(null, "22G1", "45G1", "20GP", "4510"), Gen.OneOfConst<string[]>([], ["A"], ["B"]), Gen.Int[0, 3].Select(i => (decimal?)(i * 1000m + 20_000m)), Gen.Enum<FullEmpty>())
            .Select((n, t, s, m, f) => Discharged(n, 0, t, s, m, f));

    [Fact]
    public void Match_ChunkByChunk_SameAsWhole()
    {
        Gen.Select(AnyManifested.Array[0, 40], AnyDischarged.Array[0, 40], Gen.Int[1, 9]).Sample((manifested, dischargedRows, chunks) =>
        {
            var discharged = dischargedRows.Select((d, i) => d with { Row = i + 1 }).ToArray();
            var matcher = new ManifestMatcher();
            var whole = matcher.Match(manifested, discharged).Select(Describe).ToList();
            var prepared = new PreparedReconciliation(manifested, discharged, []);
            var (m, d) = ManifestReconciliation.Split(prepared, chunks);
            var pieces = Enumerable.Range(0, chunks).SelectMany(c => matcher.Match(m[c], d[c])).ToList();
            pieces.Sort(ManifestMatcher.ReportOrder);
            Assert.Equal(whole, pieces.Select(Describe));
        });

        static string Describe(Discrepancy d) => $"{d.Kind} {d.ContainerNumber} {d.Description}";
    }

    private static readonly string[] KnownCodes =
    [
        "22G1", "42G1", "45G1", "22R1", "42R1", "45R1", "22T6", "L5G1", "2210", "4310", "4510", "2232", "20GP", "20DV", "40GP", "40HC", "40HQ", "45HC", "20RF", "40RF", "40RH",
    ];

    [Fact]
    public void Normalize_AnyCode_IdempotentAndCaseInsensitive()
    {
        Gen.OneOf(Gen.OneOfConst(KnownCodes), Gen.Char["0123456789ABCDEFGHLRTUPabcdeghr "].Array[0, 6].Select(c => new string(c))).Sample(code =>
        {
            var (canonical, _) = SizeTypeNormalizer.Shipped.Normalize(code);
            Assert.Equal(canonical, SizeTypeNormalizer.Shipped.Normalize(canonical).Canonical);
            Assert.Equal(canonical, SizeTypeNormalizer.Shipped.Normalize(code.ToLowerInvariant()).Canonical);
            Assert.Equal(canonical, SizeTypeNormalizer.Shipped.Normalize(" " + code + " ").Canonical);
            Assert.Equal(canonical, SizeTypeNormalizer.Shipped.Canonical(code));
            Assert.Equal(canonical, SizeTypeNormalizer.Shipped.Canonical(code));
        });
    }

    [Theory]
    [InlineData("20GP", "22G1")]
    [InlineData("20DV", "22G1")]
    [InlineData("2210", "22G1")]
    [InlineData("40GP", "42G1")]
    [InlineData("4310", "42G1")]
    [InlineData("40HC", "45G1")]
    [InlineData("40HQ", "45G1")]
    [InlineData("4510", "45G1")]
    [InlineData("45HC", "L5G1")]
    [InlineData("20RF", "22R1")]
    [InlineData("2232", "22R1")]
    [InlineData("40RH", "45R1")]
    [InlineData("45g1", "45G1")]
    [InlineData("XY99", "XY99")]
    [InlineData("40 HC", "40 HC")]
    public void Normalize_KnownCodes_MapToIso1995(string code, string expected)
    {
        Assert.Equal(expected, SizeTypeNormalizer.Shipped.Normalize(code).Canonical);
    }
}
