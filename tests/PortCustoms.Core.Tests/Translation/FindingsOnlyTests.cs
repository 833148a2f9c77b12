using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>
/// <c>validate</c> asks for the findings only (<see cref="EdifactTranslator.Check"/>): the same findings
/// as a full translation, in the same order with the same texts and positions, without the events being built.
/// </summary>
public sealed class FindingsOnlyTests
{
    [Theory]
    [InlineData("codeco-d95b-gate.edi")]
    [InlineData("coarri-d96b-discharge.edi")]
    [InlineData("coarri-d01b-loading.edi")]
    [InlineData("cusres-d95b-release.edi")]
    [InlineData("cuscar-d95b-manifest.edi")]
    [InlineData("iftman-d95b-arrival.edi")]
    [InlineData("iftmcs-d95b-contract-status.edi")]
    public async Task A_fixture_checks_to_the_findings_its_translation_has(string fixture) =>
        await AssertSameFindingsAsync(Fixture(fixture), minimumFindings: 0);

    [Fact]
    public async Task A_message_full_of_findings_checks_to_the_same_findings_in_the_same_order()
    {
        var text = Interchange("COARRI", "D96B",
            "BGM+44+DIS-1+9",
            "TDT+20+124E+1+++++9811001:146:11:MSC BAD IMO",
            "LOC+11+XXRTM:139:6",
            "NAD+MS+T",
            "EQD+CN+MSCU1000001+45X9:102:5++3+5",
            "DTM+203:20261126030200:204",
            "LOC+147+0120482::5",
            "MEA+AAE+G+TNE:23,15",
            "SEL+ML-12345+CA",
            "EQD+CN+MSCU1000002+45G1:102:5++3+5",
            "DTM+7:2026112603?+00:303",
            "MEA+AAE+G+LBR:18000",
            "EQD+CH+CHASSIS1",
            "EQD+CN+MSCU1000017+4:102:5++3+5",
            "DTM+7:20261326031000:204",
            "MEA+AAE+G+KGM:abc",
            "CNT+16:4");
        await AssertSameFindingsAsync(System.Text.Encoding.Latin1.GetBytes(text), minimumFindings: 8);
    }

    private static async Task AssertSameFindingsAsync(byte[] interchange, int minimumFindings)
    {
        var document = await EdifactDocument.ReadAsync(interchange);
        var translated = document.Messages.SelectMany(m => Translator.Translate(m).Diagnostics).Select(Describe).ToList();
        var checkedOnly = document.Messages.SelectMany(m => Translator.Check(m, null, null)).Select(Describe).ToList();

        Assert.Equal(translated, checkedOnly);
        Assert.InRange(translated.Count, minimumFindings, int.MaxValue);
    }

    private static string Describe(EdifactDiagnostic d) =>
        $"{d.Code} {d.Severity} line {d.Line} segment {d.Segment} element {d.Element} component {d.Component}: {d.Message}";
}
