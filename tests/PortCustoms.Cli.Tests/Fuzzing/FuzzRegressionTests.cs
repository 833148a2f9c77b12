using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests.Fuzzing;

/// <summary>Every crash a fuzz run found (issue 12), kept: each input gives coded, positioned findings and exit 1.</summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string, string, int> Crashes => new()
    {
        // An empty segment tag inside a message threw from StructureSegment's constructor.
        { "UNB'UNH''", EdifactErrorCodes.InvalidSegmentTag, 3 },
        { "UNB'UNH'+X'", EdifactErrorCodes.InvalidSegmentTag, 3 },
        { "UNA:+.? 'UNH''", EdifactErrorCodes.InvalidSegmentTag, 2 },
    };

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task Input_that_crashed_the_engine_is_reported_as_a_finding(string input, string code, int segment)
    {
        EdifactFuzzTarget.Run(System.Text.Encoding.Latin1.GetBytes(input));

        foreach (var mode in new[] { EdifactValidationMode.Strict, EdifactValidationMode.Lenient })
        {
            using var file = Temp(input);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await ValidateCommand.RunAsync([file.Path], mode, json: true, stdout, stderr);

            Assert.Equal(PortCustomsCli.Findings, exit);
            var report = ParseJson(stdout.ToString());
            var all = report.GetProperty("errors").EnumerateArray().Concat(report.GetProperty("warnings").EnumerateArray());
            Assert.Contains(all, f => f.GetProperty("code").GetString() == code && f.GetProperty("segment").GetInt32() == segment);
        }
    }

    [Fact]
    public async Task A_tonnage_past_decimal_range_is_a_mass_finding_not_an_overflow()
    {
        var cuscar = File.ReadAllText(Fixture("cuscar-d95b-manifest.edi")).Replace("MEA+AAE+G+KGM:4500.5'", "MEA+AAE+G+TNE:99999999999999999999999999'", StringComparison.Ordinal);
        using var file = Temp(cuscar);
        EdifactFuzzTarget.Run(File.ReadAllBytes(file.Path));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ValidateCommand.RunAsync([file.Path], EdifactValidationMode.Strict, json: true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Findings, exit);
        // The structure layer also finds the value too long for 6314 (an18); the mapping reports the range itself.
        Assert.Contains(("EDI-MAP-MASS", 18, 17, 3, 2), ParseJson(stdout.ToString()).GetProperty("errors").EnumerateArray().Select(error =>
            (error.GetProperty("code").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("segment").GetInt32(), error.GetProperty("element").GetInt32(), error.GetProperty("component").GetInt32())));
    }
}
