using System.Text;
using CsCheck;

namespace PortCustoms.Cli.Tests.Fuzzing;

/// <summary>
/// The seed corpus and the mutations the fuzz properties apply to it: the translation fixtures (one per message type
/// and directory), the public samples copied into the Edifact tests, and ../shared/samples when it is there.
/// </summary>
internal static class FuzzCorpus
{
    // Tokens that reach the corners: empty tags, separators, release, a BOM, UNA, numbers past decimal's range.
    private static readonly byte[][] Interesting =
    [
        .. new[]
        {
            "'", "+", ":", "?", "*", "''", "+X'", "UNH'", "UNH''", "UNA:+.? '", "UNA:++? '", "?A", "\r\n", "\n",
            "99999999999999999999999999", "-1", "1E400", "TNE:", "KGM:", "MEA+AAE+G+TNE:99999999999999999999999999'",
            "EQD+CN+MSCU1234566'", "DTM+7:999912312359:203'", "GID+99999999999+99999999999:PK'", "UNT+0+1'", "UNZ+99999999999+X'",
            "FTX+AAA+++" + new string('+', 300) + "'",
        }.Select(Encoding.Latin1.GetBytes),
        [0xEF, 0xBB, 0xBF],
        [0x00],
        [0xFF],
    ];

    private static readonly Gen<(int Kind, double At, double Length, int Token)> Mutation =
        Gen.Select(Gen.Int[0, 6], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[0, Interesting.Length - 1]);

    public static IReadOnlyList<byte[]> Seeds { get; } = LoadSeeds();

    /// <summary>A seed with one to four mutations.</summary>
    public static Gen<byte[]> Inputs { get; } =
        Gen.Int[0, Seeds.Count - 1].SelectMany(seed => Gen.Int[1, 4].SelectMany(count => Mutation.Array[count].Select(edits => Apply(Seeds[seed], edits))));

    private static byte[] Apply(byte[] seed, (int Kind, double At, double Length, int Token)[] edits)
    {
        List<byte> bytes = [.. seed];
        foreach (var (kind, atFraction, lengthFraction, token) in edits)
        {
            if (bytes.Count == 0)
            {
                bytes.AddRange(Interesting[token]);
                continue;
            }
            var at = Math.Min((int)(atFraction * bytes.Count), bytes.Count - 1);
            var length = Math.Max(1, (int)(lengthFraction * Math.Min(64, bytes.Count - at)));
            switch (kind)
            {
                case 0:
                    bytes[at] ^= (byte)(1 << (token % 8));
                    break;
                case 1:
                    bytes.RemoveRange(at, length);
                    break;
                case 2:
                    bytes.InsertRange(at, Interesting[token]);
                    break;
                case 3:
                    // A slice repeated: many segments, many elements, long values.
                    var slice = bytes.GetRange(at, length);
                    for (var i = 0; i < 1 + (token % 16); i++)
                    {
                        bytes.InsertRange(at, slice);
                    }
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes[at] = Interesting[token][0];
                    break;
                default:
                    // Swap a whole segment for another's: out-of-order structure.
                    var end = bytes.IndexOf((byte)'\'', at);
                    if (end > at)
                    {
                        bytes.RemoveRange(at, end - at);
                        bytes.InsertRange(at, Interesting[token]);
                    }
                    break;
            }
        }
        return [.. bytes];
    }

    private static List<byte[]> LoadSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (var folder in new[] { Path.Combine(AppContext.BaseDirectory, "Fixtures"), Path.Combine(AppContext.BaseDirectory, "Fixtures", "Samples"), SharedSamples() })
        {
            if (folder is not null && Directory.Exists(folder))
            {
                seeds.AddRange(Directory.EnumerateFiles(folder).Where(IsEdifact).Order(StringComparer.Ordinal).Select(File.ReadAllBytes));
            }
        }
        return seeds;
    }

    private static bool IsEdifact(string path) =>
        path.EndsWith(".edi", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".EDI", StringComparison.Ordinal);

    /// <summary>../shared/samples/public above the repository, when this clone has it (optional extra seeds).</summary>
    private static string? SharedSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "samples", "public");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
