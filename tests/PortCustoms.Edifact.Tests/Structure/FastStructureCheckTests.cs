using System.Globalization;
using System.Text;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>
/// The validator's compiled fast path (<see cref="FastStructureCheck"/>) against the full validator, table by table
/// (every message of D95B, D96B, D00B, D01B and CONTRL) under syntax versions 3 and 4: a valid instance with every
/// element filled (at its shortest and longest) takes the fast path with no finding; each targeted damage (a mandatory
/// segment gone, a segment repeated, an unknown tag, two segments swapped, each value too long, too short, of the
/// wrong class or missing, an element or component too many) gives exactly the full validator's findings, including
/// the one it was made to cause, and never the fast path.
/// </summary>
public class FastStructureCheckTests
{
    private static readonly StructureValidator Validator = new();

    public static TheoryData<string, int> Tables()
    {
        var data = new TheoryData<string, int>();
        foreach (MessageKey key in MessageStructureCatalog.Default.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal))
        {
            data.Add(key.ToString(), 3);
            data.Add(key.ToString(), 4);
        }

        return data;
    }

    [Fact]
    public void Every_directory_is_covered()
    {
        string[] releases = [.. MessageStructureCatalog.Default.Keys.Select(k => k.Version + k.Release).Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(["41", "D00B", "D01B", "D3", "D95B", "D96B"], releases);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_full_instance_takes_the_fast_path_and_every_targeted_damage_the_full_one(string table, int syntaxVersion)
    {
        MessageStructure structure = StructureOf(table);
        List<Segment> valid = FullInstance(structure);

        StructureValidationResult clean = await ValidateAsync(valid, syntaxVersion);
        Assert.Empty(clean.Findings);
        Assert.IsType<CompactPlacementList>(clean.Placements);

        var damagedTags = new HashSet<string>(StringComparer.Ordinal);
        // Resolution does not depend on the syntax version, UNH's and UNT's definitions do: under version 4 the
        // damage goes next to them only.
        int[] positions = syntaxVersion == 3 ? [.. Enumerable.Range(1, valid.Count - 2)] : [.. new[] { 1, 2, valid.Count - 3, valid.Count - 2 }.Where(p => p >= 1 && p <= valid.Count - 2).Distinct()];
        foreach (int i in positions)
        {
            // Segment-level damage.
            if (valid[i].IsSoleMandatory)
            {
                await ExpectAsync(Without(valid, i), syntaxVersion, StructureFindingCodes.MissingSegment, $"{valid[i].Tag} removed");
            }

            await ExpectAsync(Inserted(valid, i, valid[i]), syntaxVersion, null, $"{valid[i].Tag} repeated");
            await ExpectAsync(Inserted(valid, i, new Segment("ZZZ", [["1"]])), syntaxVersion, StructureFindingCodes.UnexpectedSegment, $"ZZZ before {valid[i].Tag}");
            await ExpectAsync(Swapped(valid, i), syntaxVersion, null, $"{valid[i].Tag} swapped with {valid[i + 1].Tag}");

            // Element-level damage, value by value (the directory's definitions: the same under both syntax versions).
            // Once per tag: a definition is the same wherever its segment sits.
            if (syntaxVersion == 4 || !damagedTags.Add(valid[i].Tag) || !DefinitionOf(structure, valid[i].Tag, out SegmentDefinition? definition))
            {
                continue;
            }

            for (int e = 0; e < definition.Elements.Count; e++)
            {
                ElementDefinition element = definition.Elements[e];
                int components = element.IsComposite ? element.Components.Count : 1;
                for (int c = 0; c < components; c++)
                {
                    DataElementFormat format = element.IsComposite ? element.Components[c].Format : element.Format;
                    bool mandatory = element.IsComposite ? element.IsMandatory && element.Components[c].IsMandatory : element.IsMandatory;
                    await ExpectAsync(WithValue(valid, i, e, c, Fill(format, format.MaxLength + 1)), syntaxVersion, StructureFindingCodes.ElementTooLong, $"{valid[i].Tag} {e + 1}:{c + 1} too long");
                    if (format.IsFixedLength && format.MaxLength > 1)
                    {
                        await ExpectAsync(WithValue(valid, i, e, c, Fill(format, format.MaxLength - 1)), syntaxVersion, StructureFindingCodes.ElementTooShort, $"{valid[i].Tag} {e + 1}:{c + 1} too short");
                    }

                    if (format.Type != DataElementType.Alphanumeric && format.MaxLength > 1)
                    {
                        string wrong = format.Type == DataElementType.Numeric ? "7A" : "X1";
                        await ExpectAsync(WithValue(valid, i, e, c, wrong), syntaxVersion, StructureFindingCodes.ElementType, $"{valid[i].Tag} {e + 1}:{c + 1} wrong class");
                    }

                    if (mandatory)
                    {
                        await ExpectAsync(WithValue(valid, i, e, c, string.Empty), syntaxVersion, StructureFindingCodes.MissingElement, $"{valid[i].Tag} {e + 1}:{c + 1} empty");
                    }
                }

                if (!element.IsComposite)
                {
                    await ExpectAsync(WithValue(valid, i, e, 1, "X"), syntaxVersion, StructureFindingCodes.TooManyComponents, $"{valid[i].Tag} {e + 1} with a component");
                }
                else
                {
                    await ExpectAsync(WithValue(valid, i, e, element.Components.Count, "X"), syntaxVersion, StructureFindingCodes.TooManyComponents, $"{valid[i].Tag} {e + 1} one component too many");
                }
            }

            await ExpectAsync(WithValue(valid, i, definition.Elements.Count, 0, "X"), syntaxVersion, StructureFindingCodes.TooManyElements, $"{valid[i].Tag} one element too many");
        }

        Assert.True(damaged >= 3 * positions.Length, $"only {damaged} damaged messages for {positions.Length} positions");
    }

    private int damaged;

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    public async Task A_message_wider_than_the_kept_scratch_takes_the_fast_path_again_and_again(int repeats)
    {
        // The equipment group repeated: thousands of segments, more scratch than a thread keeps; twice, so the second
        // message cannot find the first one's array.
        MessageStructure structure = StructureOf("COARRI:D:95B");
        List<Segment> full = FullInstance(structure);
        int first = full.FindIndex(s => s.Tag == "EQD");
        int end = full.FindIndex(first, s => s.Tag == "CNT");
        List<Segment> wide = [.. full.Take(first), .. Enumerable.Repeat(full.Skip(first).Take(end - first), repeats).SelectMany(g => g), .. full.Skip(end)];
        Assert.True(wide.Count > 4000, $"{wide.Count} segments");

        for (int round = 0; round < 2; round++)
        {
            StructureValidationResult result = await ValidateAsync(wide, 3);
            Assert.Empty(result.Findings);
            Assert.IsType<CompactPlacementList>(result.Placements);
            Assert.Equal(repeats, result.Placements.Count(p => p.Tag == "EQD"));
            SegmentPlacement last = result.Placements.Last(p => p.Tag == "EQD");
            Assert.Equal(repeats, last.GroupOccurrences[^1]);
            Assert.Equal(1, last.SegmentOccurrence);
        }
    }

    [Fact]
    public async Task A_hand_made_table_of_hundreds_of_tags_and_odd_tags_resolves_as_the_full_validator_does()
    {
        // More tags than the smallest tag hash holds, a tag of four characters and one not ASCII: the compiled look-up
        // grows with the table and falls back to a dictionary.
        string[] tags = [.. Enumerable.Range(0, 400).Select(i => "Q" + (char)('A' + (i / 26 % 26)) + (char)('A' + (i % 26))).Distinct(), "QUAD", "QÄÖ"];
        MessageStructure structure = Synthetic.Table([Synthetic.S("UNH", true, 1), .. tags.Select(t => Synthetic.S(t, false, 2)), Synthetic.S("UNT", true, 1)]);
        var validator = new StructureValidator(new MessageStructureCatalog([structure]));
        List<Segment> header = [new("UNH", [["1"], ["TEST", "D", "1", "UN"]])];
        List<Segment> trailer = [new("UNT", [["9"], ["1"]])];
        List<Segment> valid = [.. header, .. tags.Where((_, i) => i % 7 == 0 || i >= tags.Length - 2).Select(t => new Segment(t, [["1"]])), .. trailer];
        List<Segment> repeated = [.. header, new("QAB", [["1"]]), new("QAB", [["1"]]), new("QAB", [["1"]]), .. trailer];
        List<Segment> unknown = [.. header, new("QAB", [["1"]]), new("QZZ", [["1"]]), .. trailer];
        List<Segment> backwards = [.. header, new("QAC", [["1"]]), new("QAB", [["1"]]), .. trailer];

        foreach ((List<Segment> segments, string? code) in new[] { (valid, null), (repeated, StructureFindingCodes.TooManyRepeats), (unknown, StructureFindingCodes.UnexpectedSegment), (backwards, StructureFindingCodes.UnexpectedSegment) })
        {
            EdifactMessage message = await ReadAsync(segments);
            StructureValidationResult expected = validator.Validate([.. message.Segments.Select((seg, i) => seg.ToStructureSegment(i + 1))]);
            StructureValidationResult actual = validator.Validate(message);
            Assert.Equal(expected.Findings, actual.Findings);
            Assert.Equal(expected.Placements.Select(p => p.ToString()), actual.Placements.Select(p => p.ToString()));
            Assert.Equal(code is null, actual.Placements is CompactPlacementList);
            Assert.Equal(code, actual.Findings.FirstOrDefault().Code);
        }
    }

    /// <summary>Both paths alike (findings, placements, layout); the expected finding among them; no fast path with a finding.</summary>
    private async Task ExpectAsync(List<Segment> segments, int syntaxVersion, string? code, string what)
    {
        damaged++;
        EdifactMessage message = await ReadAsync(segments);
        CompactStructureDifferentialTests.Compare(message, syntaxVersion);
        StructureValidationResult result = Validator.Validate(message, syntaxVersion);
        if (code is not null)
        {
            Assert.True(result.Findings.Any(f => f.Code == code), $"{what}: no {code} in {string.Join("; ", result.Findings)}");
        }

        Assert.Equal(result.Findings.Count == 0, result.Placements is CompactPlacementList);
    }

    private static async Task<StructureValidationResult> ValidateAsync(List<Segment> segments, int syntaxVersion)
    {
        EdifactMessage message = await ReadAsync(segments);
        CompactStructureDifferentialTests.Compare(message, syntaxVersion);
        return Validator.Validate(message, syntaxVersion);
    }

    private static async Task<EdifactMessage> ReadAsync(List<Segment> segments)
    {
        var text = new StringBuilder("UNA:+.? 'UNB+UNOC:3+S+R+261205:0100+1'");
        foreach (Segment segment in segments)
        {
            text.Append(segment.Tag);
            foreach (IReadOnlyList<string> element in segment.Elements)
            {
                text.Append('+').AppendJoin(':', element);
            }

            text.Append("'\n");
        }

        text.Append("UNZ+1+1'");
        var options = new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient };
        await using var reader = new EdifactStreamReader(new MemoryStream(Encoding.Latin1.GetBytes(text.ToString())), options);
        EdifactMessage? read = null;
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            read ??= message;
        }

        return read ?? throw new InvalidOperationException("no message read");
    }

    /// <summary>
    /// Every entry of the table once, in table order (a valid instance: each group entered through its trigger), with
    /// every element and component filled, alternately at the shortest and longest.
    /// </summary>
    private static List<Segment> FullInstance(MessageStructure structure)
    {
        var entries = new List<(string Tag, bool IsSoleMandatory)>();
        AddAll(structure.Entries, isGroup: false, entries);
        var segments = new List<Segment>();
        foreach ((string tag, bool isSoleMandatory) in entries)
        {
            IReadOnlyList<IReadOnlyList<string>> elements = tag switch
            {
                "UNH" => [["1"], [structure.Key.Type, structure.Key.Version, structure.Key.Release, "UN"]],
                "UNT" => [[entries.Count.ToString(CultureInfo.InvariantCulture)], ["1"]],
                _ => structure.TryGetSegment(tag, out SegmentDefinition? definition)
                    ? [.. definition.Elements.Select((e, i) => e.IsComposite
                        ? (IReadOnlyList<string>)[.. e.Components.Select((c, j) => Fill(c.Format, (i + j) % 2 == 0 ? c.Format.MinLength : c.Format.MaxLength))]
                        : [Fill(e.Format, i % 2 == 0 ? e.Format.MinLength : e.Format.MaxLength)])]
                    : [],
            };
            segments.Add(new Segment(tag, elements, isSoleMandatory));
        }

        return segments;

        static void AddAll(IReadOnlyList<StructureNode> nodes, bool isGroup, List<(string Tag, bool IsSoleMandatory)> into)
        {
            for (int k = 0; k < nodes.Count; k++)
            {
                if (nodes[k] is GroupNode group)
                {
                    AddAll(group.Children, isGroup: true, into);
                }
                else
                {
                    // A group's trigger removed takes its group with it: not a lone missing entry.
                    into.Add((((SegmentNode)nodes[k]).Tag, nodes[k].IsMandatory && !(isGroup && k == 0)));
                }
            }
        }
    }

    private static string Fill(DataElementFormat format, int length) => new(format.Type == DataElementType.Numeric ? '7' : 'X', length);

    private static bool DefinitionOf(MessageStructure structure, string tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SegmentDefinition? definition)
    {
        // UNH and UNT are the service directory's (their S009 decides the table: damage there is another test's business).
        if (tag is "UNH" or "UNT")
        {
            definition = null;
            return false;
        }

        return structure.TryGetSegment(tag, out definition);
    }

    private static MessageStructure StructureOf(string table)
    {
        string[] parts = table.Split(':');
        Assert.True(MessageStructureCatalog.Default.TryGetStructure(new MessageKey(parts[0], parts[1], parts[2]), out MessageStructure? structure));
        return structure;
    }

    private static List<Segment> Without(List<Segment> segments, int at) => [.. segments.Where((_, i) => i != at)];

    private static List<Segment> Inserted(List<Segment> segments, int at, Segment segment)
    {
        List<Segment> copy = [.. segments];
        copy.Insert(at, segment);
        return copy;
    }

    private static List<Segment> Swapped(List<Segment> segments, int at)
    {
        List<Segment> copy = [.. segments];
        (copy[at], copy[at + 1]) = (copy[at + 1], copy[at]);
        return copy;
    }

    /// <summary>The segment with one value set, elements and components added empty up to it as needed.</summary>
    private static List<Segment> WithValue(List<Segment> segments, int at, int element, int component, string value)
    {
        List<List<string>> elements = [.. segments[at].Elements.Select(e => e.ToList())];
        while (elements.Count <= element)
        {
            elements.Add([string.Empty]);
        }

        while (elements[element].Count <= component)
        {
            elements[element].Add(string.Empty);
        }

        elements[element][component] = value;
        List<Segment> copy = [.. segments];
        copy[at] = segments[at] with { Elements = elements };
        return copy;
    }

    private sealed record Segment(string Tag, IReadOnlyList<IReadOnlyList<string>> Elements, bool IsSoleMandatory = false);
}
