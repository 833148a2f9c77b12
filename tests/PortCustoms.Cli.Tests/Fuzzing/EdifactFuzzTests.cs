using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace PortCustoms.Cli.Tests.Fuzzing;

/// <summary>
/// The short fuzz run kept in the suite: mutated fixtures and samples through <see cref="EdifactFuzzTarget"/>.
/// The long run is the same test with <c>PORTCUSTOMS_FUZZ_SECONDS</c> set (functions/PortCustoms.Edifact/README.md);
/// a failure prints CsCheck's seed, and each crash found becomes a case in <see cref="FuzzRegressionTests"/>.
/// </summary>
public sealed class EdifactFuzzTests(ITestOutputHelper output)
{
    private static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("PORTCUSTOMS_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 20;

    [Fact]
    public void The_seed_corpus_is_there()
    {
        // Without seeds the property below would fuzz nothing and pass.
        Assert.True(FuzzCorpus.Seeds.Count >= 10, $"Only {FuzzCorpus.Seeds.Count} seeds were found.");
    }

    [Fact]
    public void Mutated_interchanges_never_throw_through_reader_validator_mappings_and_translator()
    {
        long inputs = 0;
        FuzzCorpus.Inputs.Sample(
            data =>
            {
                inputs++;
                EdifactFuzzTarget.Run(data);
            },
            time: Seconds,
            threads: 1,
            seed: Environment.GetEnvironmentVariable("PORTCUSTOMS_FUZZ_SEED"));

        output.WriteLine($"{inputs} mutated inputs in {Seconds} s, none threw.");
        Assert.True(inputs > 0);
    }
}
