using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>
/// One golden test per message type: a realistic interchange built from the published structure is valid through
/// syntax, envelope and structure, and translates to exactly the canonical JSON next to it
/// (<c>PORTCUSTOMS_UPDATE_GOLDEN=1</c> rewrites the goldens; review the diff).
/// </summary>
public sealed class GoldenTranslationTests
{
    [Theory]
    [InlineData("codeco-d95b-gate.edi")]
    [InlineData("coarri-d96b-discharge.edi")]
    [InlineData("coarri-d01b-loading.edi")]
    [InlineData("cusres-d95b-release.edi")]
    [InlineData("cuscar-d95b-manifest.edi")]
    [InlineData("iftman-d95b-arrival.edi")]
    [InlineData("codeco-d96b-gate-out.edi")]
    [InlineData("cusres-d96b-inspection.edi")]
    [InlineData("cuscar-d96b-manifest.edi")]
    [InlineData("iftmcs-d95b-contract-status.edi")]
    public async Task Fixture_translates_to_its_golden_canonical_json(string fixture)
    {
        var (document, messages) = await TranslateAsync(Fixture(fixture));

        Assert.Equal([], document.Validation.Errors.Select(Describe));
        Assert.Equal([], messages.All().Where(d => d.Severity == EdifactSeverity.Error).Select(Describe));
        var actual = CanonicalJson(messages);
        var goldenPath = FixturePath(Path.ChangeExtension(fixture, ".json"));
        if (Environment.GetEnvironmentVariable("PORTCUSTOMS_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(FindRepoRoot(), "tests", "PortCustoms.Core.Tests", "Translation", "Fixtures", Path.GetFileName(goldenPath));
            await File.WriteAllTextAsync(source, actual);
            // Rewriting is not checking: fail, so that a run with the variable set never reads as green.
            Assert.Fail($"{Path.GetFileName(goldenPath)} rewritten (PORTCUSTOMS_UPDATE_GOLDEN=1): review the diff, then run again without the variable.");
        }
        Assert.Equal(await File.ReadAllTextAsync(goldenPath), actual);
    }

    private static string Describe(EdifactDiagnostic d) => $"{d.Code} line {d.Line} segment {d.Segment} element {d.Element} component {d.Component}: {d.Message}";

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PortCustoms.Functions.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
