using System.Globalization;
using BenchmarkDotNet.Attributes;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Benchmarks.Reconciliation;

/// <summary>
/// The manifest matcher over 100 000 manifested against 100 000 discharged containers (about 1 % of each discrepancy
/// kind: short- and over-landed, seal, gross mass, size-type, full/empty, duplicates, check digits) beside a bare
/// dictionary join of the same two lists (build a dictionary of the manifest, probe it with every discharged number):
/// the limit. Target: the matcher at most 3x the join.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project tests/PortCustoms.Benchmarks -- --filter '*Reconciliation*' --job short --memory</c></remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ReconciliationBenchmarks
{
    private const int Containers = 100_000;

    private ManifestedContainer[] _manifested = [];
    private DischargedContainer[] _discharged = [];
    private readonly ManifestMatcher _matcher = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var manifested = new List<ManifestedContainer>(Containers);
        var discharged = new List<DischargedContainer>(Containers);
        string[] types = ["22G1", "42G1", "45G1", "22R1"];
        string[] aliases = ["20GP", "40GP", "40HC", "20RF"];
        for (var i = 0; i < Containers; i++)
        {
            var first = "MSCU" + i.ToString("D6", CultureInfo.InvariantCulture);
            var number = first + ContainerNumber.ComputeCheckDigit(first).ToString(CultureInfo.InvariantCulture);
            var type = i % types.Length;
            var seal = "SL" + i.ToString(CultureInfo.InvariantCulture);
            var mass = 10_000m + (i % 20_000);
            var m = new ManifestedContainer { ContainerNumber = number, Source = "bench CUSCAR M1", SizeType = types[type], SealNumbers = [seal], GrossMassKg = mass, FullEmpty = FullEmpty.Full, BillOfLading = "BL" + (i / 10) };
            // Terminals write the alias about half the time: normalisation is on the measured path.
            var d = new DischargedContainer { Row = discharged.Count + 1, ContainerNumber = number, DischargedAt = DateTimeOffset.UnixEpoch, SizeType = i % 2 == 0 ? types[type] : aliases[type], SealNumbers = [seal], GrossMassKg = mass + 50, FullEmpty = FullEmpty.Full };
            switch (random.Next(100))
            {
                case 0: manifested.Add(m); continue;                                                  // short-landed
                case 1: discharged.Add(d); continue;                                                  // over-landed
                case 2: d = d with { SealNumbers = ["BROKEN"] }; break;
                case 3: d = d with { GrossMassKg = mass * 1.5m }; break;
                case 4: d = d with { SizeType = types[(type + 1) % types.Length] }; break;
                case 5: d = d with { FullEmpty = FullEmpty.Empty }; break;
                case 6: manifested.Add(m); break;                                                     // twice on the manifest
                case 7: discharged.Add(d with { Row = discharged.Count + 1 }); d = d with { Row = discharged.Count + 1 }; break;
                case 8: d = d with { ContainerNumber = first + ((ContainerNumber.ComputeCheckDigit(first) + 1) % 10).ToString(CultureInfo.InvariantCulture) }; break;
            }
            manifested.Add(m);
            discharged.Add(d);
        }
        _manifested = [.. manifested];
        _discharged = [.. discharged];
    }

    /// <summary>The limit: one dictionary of the manifest, probed with every discharged number.</summary>
    [Benchmark(Baseline = true)]
    public int DictionaryJoin()
    {
        var byNumber = new Dictionary<string, ManifestedContainer>(_manifested.Length, StringComparer.Ordinal);
        foreach (var m in _manifested)
        {
            byNumber.TryAdd(m.ContainerNumber, m);
        }
        var unmatched = 0;
        foreach (var d in _discharged)
        {
            if (!byNumber.ContainsKey(d.ContainerNumber))
            {
                unmatched++;
            }
        }
        return unmatched;
    }

    [Benchmark]
    public int Reconcile() => _matcher.Match(_manifested, _discharged).Count;
}
