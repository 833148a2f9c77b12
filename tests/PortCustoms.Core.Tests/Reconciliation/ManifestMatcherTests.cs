using PortCustoms.Core.Manifests;
using PortCustoms.Core.Reconciliation;
using static PortCustoms.Core.Tests.Reconciliation.ReconciliationBuilders;

namespace PortCustoms.Core.Tests.Reconciliation;

public sealed class ManifestMatcherTests
{
    private static readonly string A = Valid("MSC", 123456);
    private static readonly string B = Valid("CMA", 400100);

    private static List<Discrepancy> Match(ManifestedContainer[] manifested, DischargedContainer[] discharged, ReconciliationOptions? options = null) =>
        new ManifestMatcher(options).Match(manifested, discharged);

    [Fact]
    public void Match_IdenticalSides_NoDiscrepancy()
    {
        Assert.Empty(Match([Manifested(A), Manifested(B)], [Discharged(B, 1), Discharged(A, 2)]));
    }

    [Fact]
    public void Match_ManifestedNotDischarged_ShortLandedWithManifestEvidence()
    {
        var found = Assert.Single(Match([Manifested(A), Manifested(B)], [Discharged(A, 1)]));
        Assert.Equal(DiscrepancyKind.ShortLanded, found.Kind);
        Assert.Equal(B, found.ContainerNumber);
        Assert.Equal("test.edi CUSCAR M1", Assert.Single(found.Manifest).Source);
        Assert.Empty(found.Discharge);
        Assert.Contains("did not discharge", found.Description, StringComparison.Ordinal);
        Assert.True(found.Critical);
    }

    [Fact]
    public void Match_DischargedNotManifested_OverLandedWithRow()
    {
        var found = Assert.Single(Match([Manifested(A)], [Discharged(A, 1), Discharged(B, 2)]));
        Assert.Equal(DiscrepancyKind.OverLanded, found.Kind);
        Assert.Equal(2, Assert.Single(found.Discharge).Row);
        Assert.Empty(found.Manifest);
        Assert.Contains("row 2", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_DifferentSeal_SealMismatchWithBothSeals()
    {
        var found = Assert.Single(Match([Manifested(A, seals: ["ML-1"])], [Discharged(A, 1, seals: ["ML-2"])]));
        Assert.Equal(DiscrepancyKind.SealMismatch, found.Kind);
        Assert.Equal(["ML-1"], found.Manifest[0].SealNumbers);
        Assert.Equal(["ML-2"], found.Discharge[0].SealNumbers);
        Assert.Contains("ML-1", found.Description, StringComparison.Ordinal);
        Assert.Contains("ML-2", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_SealsInOtherOrderAndCase_NoDiscrepancy()
    {
        Assert.Empty(Match([Manifested(A, seals: ["ml-1", "X 2"])], [Discharged(A, 1, seals: ["X2", "ML-1"])]));
    }

    [Fact]
    public void Match_SealOnOneSideOnly_NotCompared()
    {
        Assert.Empty(Match([Manifested(A, seals: ["ML-1"])], [Discharged(A, 1, seals: [])]));
    }

    [Theory]
    [InlineData(20_000, 20_500, false)] // exactly the 500 kg floor
    [InlineData(20_000, 21_000, false)] // 5 % of 20 t is 1 t
    [InlineData(20_000, 21_001, true)]
    [InlineData(20_000, 18_999, true)]
    [InlineData(4_000, 4_500, false)]
    [InlineData(4_000, 4_501, true)]
    public void Match_GrossMass_BeyondToleranceOnly(int declared, int weighed, bool expected)
    {
        var found = Match([Manifested(A, mass: declared)], [Discharged(A, 1, mass: weighed)]);
        Assert.Equal(expected, found.Any(d => d.Kind == DiscrepancyKind.GrossMassMismatch));
    }

    [Fact]
    public void Match_GrossMassToleranceConfigured_Applies()
    {
        var strict = new ReconciliationOptions { GrossMassToleranceKg = 10m, GrossMassTolerancePercent = 0m };
        var found = Assert.Single(Match([Manifested(A, mass: 20_000m)], [Discharged(A, 1, mass: 20_011m)], strict));
        Assert.Equal(DiscrepancyKind.GrossMassMismatch, found.Kind);
        Assert.Equal(20_000m, found.Manifest[0].GrossMassKg);
        Assert.Equal(20_011m, found.Discharge[0].GrossMassKg);
        Assert.Contains("heavier", found.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("45G1", "40HC")]
    [InlineData("45G1", "4510")]
    [InlineData("22G1", "20gp")]
    [InlineData("22G1", "2210")]
    [InlineData("42R1", "40RF")]
    [InlineData("ZZZ9", "zzz9")]
    public void Match_SizeTypesThatNormaliseAlike_NoDiscrepancy(string manifest, string discharge)
    {
        Assert.Empty(Match([Manifested(A, sizeType: manifest)], [Discharged(A, 1, sizeType: discharge)]));
    }

    [Theory]
    [InlineData("45G1", "22G1")]
    [InlineData("45G1", "40GP")]
    [InlineData("22G1", "2232")]
    [InlineData("ZZZ9", "ZZZ8")]
    public void Match_DifferentSizeTypes_SizeTypeMismatch(string manifest, string discharge)
    {
        var found = Assert.Single(Match([Manifested(A, sizeType: manifest)], [Discharged(A, 1, sizeType: discharge)]));
        Assert.Equal(DiscrepancyKind.SizeTypeMismatch, found.Kind);
        Assert.Equal(manifest, found.Manifest[0].SizeType);
        Assert.Equal(discharge, found.Discharge[0].SizeType);
    }

    [Fact]
    public void Match_FullDeclaredEmptyDischarged_FullEmptyMismatch()
    {
        var found = Assert.Single(Match([Manifested(A, fullEmpty: FullEmpty.Full)], [Discharged(A, 1, fullEmpty: FullEmpty.Empty)]));
        Assert.Equal(DiscrepancyKind.FullEmptyMismatch, found.Kind);
        Assert.Contains("declared full", found.Description, StringComparison.Ordinal);
        Assert.Contains("discharged empty", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_FullEmptyUnknownOnOneSide_NotCompared()
    {
        Assert.Empty(Match([Manifested(A, fullEmpty: FullEmpty.Unknown)], [Discharged(A, 1, fullEmpty: FullEmpty.Empty)]));
    }

    [Fact]
    public void Match_TwiceOnManifests_DuplicateWithBothSources()
    {
        var found = Assert.Single(Match([Manifested(A, source: "one"), Manifested(A, source: "two")], [Discharged(A, 1)]));
        Assert.Equal(DiscrepancyKind.DuplicateInManifest, found.Kind);
        Assert.Equal(["one", "two"], found.Manifest.Select(m => m.Source));
    }

    [Fact]
    public void Match_TwiceInDischargeList_DuplicateWithBothRows()
    {
        var found = Assert.Single(Match([Manifested(A)], [Discharged(A, 3), Discharged(A, 9)]));
        Assert.Equal(DiscrepancyKind.DuplicateInDischargeList, found.Kind);
        Assert.Equal([3, 9], found.Discharge.Select(d => d.Row));
        Assert.Contains("rows 3, 9", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_BadCheckDigitInDischargeList_CheckDigitDiscrepancyNotOverLanded()
    {
        var bad = WrongCheckDigit(A);
        var found = Match([Manifested(A)], [Discharged(bad, 1)]);
        Assert.Equal(2, found.Count);
        Assert.Equal(DiscrepancyKind.ShortLanded, found[0].Kind);
        Assert.Equal(DiscrepancyKind.CheckDigitInDischargeList, found[1].Kind);
        Assert.Equal(bad, found[1].ContainerNumber);
        Assert.Contains("check digit", found[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_BadCheckDigitInManifest_CheckDigitDiscrepancy()
    {
        var bad = WrongCheckDigit(B);
        var found = Assert.Single(Match([Manifested(A), Manifested(bad) with { Error = PortCustoms.Core.Model.ContainerNumberError.CheckDigit }], [Discharged(A, 1)]));
        Assert.Equal(DiscrepancyKind.CheckDigitInManifest, found.Kind);
        Assert.Equal(bad, found.ContainerNumber);
    }

    [Fact]
    public void Match_LowerCaseAndSpacesInDischargeList_MatchesManifest()
    {
        Assert.Empty(Match([Manifested(A)], [Discharged(" " + A.ToLowerInvariant() + " ", 1)]));
    }

    [Fact]
    public void Match_SeveralKindsOnOneContainer_EachReported()
    {
        var found = Match([Manifested(A, sizeType: "45G1", seals: ["X"], mass: 10_000m, fullEmpty: FullEmpty.Full)],
            [Discharged(A, 1, sizeType: "22G1", seals: ["Y"], mass: 30_000m, fullEmpty: FullEmpty.Empty)]);
        Assert.Equal(
            [DiscrepancyKind.SealMismatch, DiscrepancyKind.GrossMassMismatch, DiscrepancyKind.SizeTypeMismatch, DiscrepancyKind.FullEmptyMismatch],
            found.Select(d => d.Kind));
    }

    [Fact]
    public void Match_CriticalKindsConfigured_FlagsOnlyThose()
    {
        var options = new ReconciliationOptions { CriticalKinds = [DiscrepancyKind.FullEmptyMismatch] };
        var found = Match([Manifested(A, fullEmpty: FullEmpty.Full), Manifested(B)], [Discharged(A, 1, fullEmpty: FullEmpty.Empty)], options);
        Assert.True(found.Single(d => d.Kind == DiscrepancyKind.FullEmptyMismatch).Critical);
        Assert.False(found.Single(d => d.Kind == DiscrepancyKind.ShortLanded).Critical);
    }

    [Fact]
    public void ChunkOf_SameNumberAnyCase_SameChunk()
    {
        Assert.Equal(ManifestMatcher.ChunkOf(A, 64), ManifestMatcher.ChunkOf(" " + A.ToLowerInvariant(), 64));
        Assert.InRange(ManifestMatcher.ChunkOf(A, 7), 0, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => ManifestMatcher.ChunkOf(A, 0));
    }

    [Fact]
    public void ChunkOf_KnownNumber_StableAcrossProcesses()
    {
        // FNV-1a is fixed: a changed value would split running orchestrations differently after a deployment.
        Assert.Equal(ManifestMatcher.ChunkOf("MSCU1234566", 1000), ManifestMatcher.ChunkOf("MSCU1234566", 1000));
        Assert.Equal(Fnv("MSCU1234566") % 1000, (uint)ManifestMatcher.ChunkOf("MSCU1234566", 1000));

        static uint Fnv(string s)
        {
            var h = 2166136261u;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619u;
            }
            return h;
        }
    }
}
