using System.Text;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>
/// A materialised segment keeps elements 1..99 only (no directory can define more); content beyond them must still be
/// reported exactly as before: the same "too many elements" finding, element index included. The reference here is
/// built from the raw text, so it sees every element, whatever the segment keeps.
/// </summary>
public class WideSegmentDifferentialTests
{
    private static readonly StructureValidator Validator = new();

    public static TheoryData<int[]> ContentPositions() => new()
    {
        { [98] }, { [99] }, { [100] }, { [150] }, { [5000] }, { [65000] }, { [] }, { [100, 5000] }, { [99, 65000] }, { [3, 4, 150] },
    };

    [Theory]
    [MemberData(nameof(ContentPositions))]
    public async Task Content_anywhere_in_a_wide_segment_gives_the_findings_the_raw_text_gives(int[] withContent)
    {
        int width = Math.Max(66000, withContent.DefaultIfEmpty(0).Max() + 10);
        string ftx = WideFtx(width, withContent.ToDictionary(p => p, p => "X" + p));
        EdifactMessage message = await CompareAsync(ftx);

        EdifactSegment segment = message.Segments[2];
        Assert.Equal(width, segment.ElementCount);
        Assert.Equal(Math.Min(width, 99), segment.Elements.Count);
        foreach (int position in withContent)
        {
            Assert.Equal(position <= 99 ? "X" + position : string.Empty, segment.GetValue(position));
            Assert.Equal(position <= 99, segment.GetElement(position) is not null);
        }

        // The first element with content past 99 keeps where it starts, as the reader's token said.
        int firstBeyond = withContent.Where(p => p > 99).DefaultIfEmpty(0).Min();
        if (firstBeyond > 0)
        {
            EdifactPosition at = segment.GetPosition(firstBeyond);
            Assert.Equal(segment.Position.ByteOffset + ElementOffset(ftx, firstBeyond), at.ByteOffset);
            Assert.Equal(segment.Position.Line, at.Line);
            Assert.Equal(firstBeyond, at.Element);
        }
    }

    [Fact]
    public async Task Content_past_99_in_a_later_component_or_escaped_is_found()
    {
        await CompareAsync(WideFtx(400, new Dictionary<int, string> { [150] = ":X" }));
        await CompareAsync(WideFtx(400, new Dictionary<int, string> { [120] = "::", [121] = "?+" }));
        await CompareAsync(WideFtx(400, new Dictionary<int, string> { [120] = "?:" }));
    }

    [Fact]
    public async Task The_first_element_past_99_with_content_keeps_its_line()
    {
        // A line feed inside a value is content and moves every later element to the next line.
        string ftx = WideFtx(300, new Dictionary<int, string> { [4] = "A\nB", [150] = "X" });
        EdifactMessage message = await CompareAsync(ftx);
        EdifactSegment segment = message.Segments[2];
        EdifactPosition at = segment.GetPosition(150);
        Assert.Equal(segment.Position.Line + 1, at.Line);
        Assert.Equal(segment.Position.ByteOffset + ElementOffset(ftx, 150), at.ByteOffset);
        Assert.Equal(segment.GetPosition(5).Line, at.Line);
    }

    [Fact]
    public async Task Past_99_only_a_first_occurrence_with_content_counts_as_before()
    {
        // Syntax 4: '*' repeats an element; the validator reads first occurrences only, kept or not.
        EdifactMessage message = await CompareAsync(WideFtx(400, new Dictionary<int, string> { [150] = "*X", [200] = "Y*Z" }), syntax: 4);
        Assert.Equal(400, message.Segments[2].ElementCount);
        await CompareAsync(WideFtx(400, new Dictionary<int, string> { [150] = "*X" }), syntax: 4);
        await CompareAsync(WideFtx(400, new Dictionary<int, string> { [50] = "*X", [150] = "**" }), syntax: 4);
    }

    [Fact]
    public async Task Random_wide_segments_with_sparse_content_give_the_findings_the_raw_text_gives()
    {
        var random = new Random(20261205);
        string[] values = ["X", "1", ":Y", "::", "?+", "A:B", "?'", "1234567890123456789012345678901234567890"];
        for (int round = 0; round < 300; round++)
        {
            int width = random.Next(1, 2000);
            var content = new Dictionary<int, string>();
            int count = random.Next(0, 4);
            for (int i = 0; i < count; i++)
            {
                content[random.Next(1, width + 1)] = values[random.Next(values.Length)];
            }

            string tag = random.Next(3) switch { 0 => "FTX+AAA", 1 => "BGM+962", _ => "DTM+137:20261204:102" };
            await CompareAsync(Wide(tag, width, content));
        }
    }

    [Fact]
    public void A_definition_cannot_have_more_element_positions_than_a_segment_keeps()
    {
        Assert.True(MessageStructureCatalog.Default.TryGetStructure(new MessageKey("CUSRES", "D", "95B"), out MessageStructure? cusres));
        ElementDefinition element = cusres.Segments["FTX"].Elements[0];

        // Every directory the project carries fits.
        Assert.All(
            MessageStructureCatalog.Default.Keys,
            key => Assert.All(MessageStructureCatalog.Default.TryGetStructure(key, out MessageStructure? s) ? s.Segments.Values : [], d => Assert.InRange(d.Elements.Count, 0, 99)));
        _ = new SegmentDefinition("ZZZ", [.. Enumerable.Repeat(element, 99)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentDefinition("ZZZ", [.. Enumerable.Repeat(element, 100)]));
    }

    /// <summary>Reads the message with <paramref name="segment"/> third (after UNH and BGM), validates it both ways, returns it.</summary>
    private static async Task<EdifactMessage> CompareAsync(string segment, int syntax = 3)
    {
        string[] body = ["UNH+1+CUSRES:D:95B:UN", "BGM+962+R1+9", segment, "UNT+4+1"];
        string text = (syntax >= 4 ? "UNA:+.?*'" : string.Empty) + $"UNB+UNOC:{syntax}+S+R+261126:0800+1'" + string.Join('\'', body) + "'UNZ+1+1'";
        var options = new EdifactValidationOptions
        {
            Mode = EdifactValidationMode.Lenient,
            ReaderOptions = new EdifactReaderOptions { MaxSegmentLength = 1024 * 1024 },
        };
        await using var reader = new EdifactStreamReader(new MemoryStream(Encoding.Latin1.GetBytes(text)), options);
        EdifactMessage? read = null;
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            read = message;
            break;
        }

        Assert.NotNull(read);
        Assert.Equal(body.Length, read.Segments.Count);
        StructureSegment[] reference = [.. body.Select((raw, i) => FromRawText(raw, i + 1, read.Segments[i], syntax >= 4))];
        foreach (int syntaxVersion in new[] { 3, 4 })
        {
            StructureValidationResult expected = Validator.Validate(reference, syntaxVersion);
            StructureValidationResult actual = Validator.Validate(read, syntaxVersion);
            Assert.True(
                expected.Findings.SequenceEqual(actual.Findings),
                $"findings differ for {segment[..Math.Min(80, segment.Length)]}…\nexpected: {string.Join("; ", expected.Findings)}\nactual: {string.Join("; ", actual.Findings)}");
            Assert.Equal(expected.HasErrors, actual.HasErrors);
        }

        return read;
    }

    /// <summary>
    /// The segment split on the separators (no release characters but before one), every element kept, first
    /// occurrences only (with <paramref name="repetitions"/>, '*' starts another occurrence).
    /// </summary>
    private static StructureSegment FromRawText(string raw, int positionInMessage, EdifactSegment read, bool repetitions)
    {
        List<List<string>> elements = [];
        List<string> components = [];
        var value = new StringBuilder();
        string? tag = null;
        bool repeated = false;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '?')
            {
                value.Append(raw[++i]);
            }
            else if (repeated && c != '+')
            {
                // The rest of a later occurrence.
            }
            else if (repetitions && c == '*')
            {
                components.Add(value.ToString());
                value.Clear();
                repeated = true;
            }
            else if (c == ':')
            {
                components.Add(value.ToString());
                value.Clear();
            }
            else if (c == '+')
            {
                if (tag is null)
                {
                    tag = value.ToString();
                }
                else
                {
                    if (!repeated)
                    {
                        components.Add(value.ToString());
                    }

                    elements.Add(components);
                }

                components = [];
                value.Clear();
                repeated = false;
            }
            else
            {
                value.Append(c);
            }
        }

        if (tag is null)
        {
            tag = value.ToString();
        }
        else
        {
            if (!repeated)
            {
                components.Add(value.ToString());
            }

            elements.Add(components);
        }

        return new StructureSegment(tag, elements, positionInMessage, Math.Max(0, read.Position.Segment), (int)read.Position.Line);
    }

    private static string WideFtx(int width, Dictionary<int, string> content) => Wide("FTX", width, content);

    /// <summary><paramref name="head"/> then empty elements up to <paramref name="width"/> positions, with the given content.</summary>
    private static string Wide(string head, int width, Dictionary<int, string> content)
    {
        string[] given = head.Split('+');
        var text = new StringBuilder(given[0]);
        for (int position = 1; position <= width; position++)
        {
            text.Append('+');
            text.Append(content.TryGetValue(position, out string? value) ? value : position < given.Length ? given[position] : string.Empty);
        }

        return text.ToString();
    }

    /// <summary>Where element <paramref name="element"/> starts in the segment text: after its separator.</summary>
    private static int ElementOffset(string segment, int element)
    {
        int at = -1;
        for (int seen = 0; seen < element; seen++)
        {
            at = segment.IndexOf('+', at + 1);
        }

        return at + 1;
    }
}
