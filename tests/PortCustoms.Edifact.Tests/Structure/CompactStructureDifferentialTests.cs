using System.Globalization;
using System.Text;
using CsCheck;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>
/// The validator reads the reader's messages straight from their compact tables (<see cref="StructureValidator.Validate(EdifactMessage, int)"/>);
/// it must say exactly what it says about the same segments built as <see cref="StructureSegment"/>s: same findings in
/// the same order, same placements. Over every EDIFACT fixture of the test projects, mutations of them, and generated
/// instances of every table with damage.
/// </summary>
public class CompactStructureDifferentialTests
{
    private static readonly StructureValidator Validator = new();

    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in AllFixtures())
        {
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public async Task Every_fixture_gives_the_same_findings_and_placements_from_both_shapes(string relativePath)
    {
        byte[] data = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), relativePath));
        int messages = await CompareAllAsync(data);
        Assert.True(messages > 0, $"{relativePath}: no message read");
    }

    [Fact]
    public async Task Thousands_of_mutated_fixture_messages_give_the_same_findings_and_placements()
    {
        var random = new Random(20261204);
        int messages = 0;
        foreach (string file in AllFixtures())
        {
            string text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            for (int round = 0; round < 150; round++)
            {
                messages += await CompareAllAsync(Encoding.Latin1.GetBytes(Mutate(text, random)));
            }
        }

        Assert.True(messages > 2000, $"only {messages} messages compared");
    }

    [Fact]
    public void Generated_instances_of_every_table_with_damage_give_the_same_findings_and_placements()
    {
        MessageKey[] keys = [.. MessageStructureCatalog.Default.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal)];
        Gen<(MessageStructure Structure, GeneratedSegment[] Segments, int Seed)> instances =
            Gen.OneOfConst(keys)
                .Select(k => { _ = MessageStructureCatalog.Default.TryGetStructure(k, out MessageStructure? s); return s!; })
                .SelectMany(s => InstanceGenerator.Random(s).Select(Gen.Int, (segments, seed) => (s, segments, seed)));
        instances.Sample(
            instance =>
            {
                string text = Serialize(InstanceGenerator.ToMessage(instance.Structure, instance.Segments));
                string damaged = Mutate(text, new Random(instance.Seed));
                CompareAllAsync(Encoding.Latin1.GetBytes(text)).GetAwaiter().GetResult();
                CompareAllAsync(Encoding.Latin1.GetBytes(damaged)).GetAwaiter().GetResult();
            },
            iter: 1500);
    }

    /// <summary>Reads every message of the data and compares both shapes; returns how many messages were compared.</summary>
    private static async Task<int> CompareAllAsync(byte[] data)
    {
        int count = 0;
        foreach (EdifactReaderOptions readerOptions in new[] { new EdifactReaderOptions(), new EdifactReaderOptions { DefaultDelimiters = EdifactDelimiters.Default with { SegmentTerminator = (byte)'\n' } } })
        {
            var options = new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient, ReaderOptions = readerOptions };
            await using var reader = new EdifactStreamReader(new MemoryStream(data), options);
            try
            {
                await foreach (EdifactMessage message in reader.ReadMessagesAsync())
                {
                    count++;
                    foreach (int syntaxVersion in new[] { 3, 4 })
                    {
                        Compare(message, syntaxVersion);
                    }
                }
            }
            catch (EdifactException)
            {
                // Syntax the tokenizer stops at: the messages before it were compared.
            }
        }

        return count;
    }

    internal static void Compare(EdifactMessage message, int syntaxVersion)
    {
        StructureSegment[] segments = [.. message.Segments.Select((s, i) => s.ToStructureSegment(i + 1))];
        StructureValidationResult expected = Validator.Validate(segments, syntaxVersion);
        StructureValidationResult actual = Validator.Validate(message, syntaxVersion);

        string where = $"message {message.Index} ({message.Segments.Count} segments, syntax {syntaxVersion}): {string.Join("'", message.Segments.Take(60))}";
        Assert.True(expected.Findings.SequenceEqual(actual.Findings), $"findings differ for {where}\nexpected: {string.Join("; ", expected.Findings)}\nactual: {string.Join("; ", actual.Findings)}");
        Assert.Same(expected.Structure, actual.Structure);

        // The compiled fast path answers exactly the messages without findings; everything else goes the full way.
        Assert.True(
            expected.Findings.Count == 0 == actual.Placements is CompactPlacementList,
            $"fast path {(actual.Placements is CompactPlacementList ? "taken" : "not taken")} with {expected.Findings.Count} findings for {where}");
        Assert.Equal(expected.MessageReference, actual.MessageReference);
        Assert.Equal(expected.HasErrors, actual.HasErrors);
        Assert.Equal(expected.Placements.Count, actual.Placements.Count);
        for (int i = 0; i < expected.Placements.Count; i++)
        {
            SegmentPlacement e = expected.Placements[i];
            SegmentPlacement a = actual.Placements[i];
            Assert.True(
                e.GroupPath == a.GroupPath && e.GroupOccurrences.SequenceEqual(a.GroupOccurrences) && e.SegmentOccurrence == a.SegmentOccurrence
                && e.IsResolved == a.IsResolved && e.ToString() == a.ToString() && e.Tag == a.Tag && e.PositionInMessage == a.PositionInMessage,
                $"placement {i + 1} differs for {where}: {e} vs {a}");
            Assert.Equal(e.Segment.Tag, a.Segment.Tag);
            Assert.Equal(e.Segment.PositionInMessage, a.Segment.PositionInMessage);
            Assert.Equal(e.Segment.PositionInInterchange, a.Segment.PositionInInterchange);
            Assert.Equal(e.Segment.Line, a.Segment.Line);
            Assert.Equal(e.Segment.Elements.Count, a.Segment.Elements.Count);
        }

        CompareLayouts(expected, actual, where);
    }

    /// <summary>Both layouts alike, and each saying what the placements say (path and occurrences of each segment).</summary>
    private static void CompareLayouts(StructureValidationResult expected, StructureValidationResult actual, string where)
    {
        StructureLayout e = expected.Layout;
        StructureLayout a = actual.Layout;
        Assert.Equal(e.SegmentCount, a.SegmentCount);
        Assert.Equal(e.GroupCount, a.GroupCount);
        for (int g = 1; g <= a.GroupCount; g++)
        {
            Assert.True(
                e.NameOf(g) == a.NameOf(g) && e.TriggerOf(g) == a.TriggerOf(g) && e.ParentOf(g) == a.ParentOf(g) && e.OccurrenceOf(g) == a.OccurrenceOf(g),
                $"group occurrence {g} differs for {where}");
        }

        // A group occurrence's first segment (its own or a nested one's) is its trigger.
        int[] first = new int[a.GroupCount + 1];
        Array.Fill(first, -1);
        for (int s = 0; s < a.SegmentCount; s++)
        {
            for (int g = a.GroupOf(s); g > 0 && first[g] < 0; g = a.ParentOf(g))
            {
                first[g] = s;
            }
        }

        for (int g = 1; g <= a.GroupCount; g++)
        {
            Assert.True(first[g] >= 0, $"group occurrence {g} holds no segment for {where}");
            Assert.Equal(a.TriggerOf(g), actual.Placements[first[g]].Tag);
        }

        for (int s = 0; s < a.SegmentCount; s++)
        {
            Assert.Equal(e.GroupOf(s), a.GroupOf(s));
            Assert.Equal(e.PositionOf(s), a.PositionOf(s));
            SegmentPlacement placement = actual.Placements[s];
            int group = a.GroupOf(s);
            Assert.Equal(placement.IsResolved, group >= 0);
            if (!placement.IsResolved)
            {
                continue;
            }

            List<string> names = [];
            List<int> occurrences = [];
            for (; group > 0; group = a.ParentOf(group))
            {
                names.Add(a.NameOf(group));
                occurrences.Add(a.OccurrenceOf(group));
            }

            names.Reverse();
            occurrences.Reverse();
            Assert.Equal(placement.GroupPath, string.Join('/', names));
            Assert.Equal(placement.GroupOccurrences, occurrences);
        }
    }

    /// <summary>One to three edits of the kinds that move findings around: segments dropped, repeated, swapped; values damaged.</summary>
    private static string Mutate(string text, Random random)
    {
        List<string> segments = [.. text.Split('\'')];
        int edits = random.Next(1, 4);
        for (int edit = 0; edit < edits && segments.Count > 2; edit++)
        {
            int at = random.Next(1, segments.Count - 1);
            switch (random.Next(9))
            {
                case 0:
                    segments.RemoveAt(at);
                    break;
                case 1:
                    segments.Insert(at, segments[at]);
                    break;
                case 2:
                    (segments[at], segments[at + 1]) = (segments[at + 1], segments[at]);
                    break;
                case 3:
                    segments[at] += new string('+', random.Next(1, 4)) + "X";
                    break;
                case 4:
                    segments[at] += ":" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + ":";
                    break;
                case 5:
                    segments[at] = Replace(segments[at], random, "ABZ019-.,:+ ?");
                    break;
                case 6:
                    segments[at] = Replace(segments[at], random, "12345678901234567890123456789012345678901234567890");
                    break;
                case 7:
                    segments[at] = segments[at].Length > 4 ? segments[at][..random.Next(3, segments[at].Length)] : segments[at];
                    break;
                default:
                    segments.Insert(at, random.Next(2) == 0 ? "\nFTX+AAA+++TEXT:MORE" : "\nRFF+BM:" + new string('9', random.Next(1, 80)));
                    break;
            }
        }

        return string.Join('\'', segments);
    }

    private static string Replace(string segment, Random random, string alphabet)
    {
        if (segment.Length < 5)
        {
            return segment;
        }

        int at = random.Next(4, segment.Length);
        int length = random.Next(1, Math.Min(8, segment.Length - at + 1));
        var replacement = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            replacement.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return segment[..at] + replacement + segment[(at + length)..];
    }

    internal static string Serialize(IEnumerable<StructureSegment> segments)
    {
        var text = new StringBuilder("UNA:+.? 'UNB+UNOC:3+S+R+261204:2200+1'");
        foreach (StructureSegment segment in segments)
        {
            text.Append(segment.Tag);
            foreach (IReadOnlyList<string> element in segment.Elements)
            {
                text.Append('+').AppendJoin(':', element.Select(Escape));
            }

            text.Append("'\n");
        }

        return text.Append("UNZ+1+1'").ToString();

        static string Escape(string value) => value.Replace("?", "??").Replace("+", "?+").Replace(":", "?:").Replace("'", "?'");
    }

    private static IEnumerable<string> AllFixtures() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "tests"), "*", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}Fixtures{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetExtension(f).Equals(".edi", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PortCustoms.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (PortCustoms.Functions.sln) is not above the test binaries.");
    }
}
