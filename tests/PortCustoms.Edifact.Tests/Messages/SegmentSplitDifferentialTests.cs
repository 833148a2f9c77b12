using System.Buffers;
using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// A message's data segments are skipped like the validator's fast path and then split from their raw bytes into the
/// tables. Whatever the bytes, every element occurrence must read exactly as the tokenizer reads it: index, repetition,
/// components (unescaped, decoded), line and byte offset. The tokenizer (<see cref="EdifactReader"/>, one span, whole
/// file) is the reference; the messages are read through both the stream reader (a pipe's segments, small buffers) and
/// the validator's callback (one array, refilled).
/// </summary>
public class SegmentSplitDifferentialTests
{
    [Theory]
    [InlineData("UNOC", 3)]
    [InlineData("UNOC", 4)]
    [InlineData("UNOY", 4)]
    [InlineData("UNOA", 3)]
    public async Task Every_element_reads_as_the_tokenizer_reads_it(string characterSet, int version)
    {
        for (int seed = 0; seed < 60; seed++)
        {
            byte[] data = Generate(new Random((seed * 31) + version), characterSet, version);
            Dictionary<int, List<Occurrence>> expected = Tokenize(data);

            List<EdifactMessage> read = [];
            await using (var reader = new EdifactStreamReader(new MemoryStream(data), new EdifactValidationOptions { BufferSize = 256 + (seed * 7) }))
            {
                await foreach (EdifactMessage message in reader.ReadMessagesAsync())
                {
                    read.Add(message);
                }
            }

            List<string> viaValidator = [];
            await new EdifactInterchangeValidator(new EdifactValidationOptions { BufferSize = 4096 }).ValidateAsync(new MemoryStream(data), (message, _) =>
            {
                viaValidator.Add(Describe(message));
                message.Dispose();
            });

            Assert.NotEmpty(read);
            Assert.Equal(read.Select(Describe), viaValidator);
            foreach (EdifactMessage message in read)
            {
                foreach (EdifactSegment segment in message.Segments)
                {
                    List<Occurrence> tokens = expected.GetValueOrDefault(segment.Position.Segment) ?? [];
                    List<Occurrence> kept = [.. tokens.Where(t => t.Index <= 99)];
                    Assert.True(
                        kept.Count == segment.Elements.Count,
                        $"seed {seed}, segment {segment.Position.Segment} {segment.Tag}: {kept.Count} occurrences expected, {segment.Elements.Count} read");
                    for (int i = 0; i < kept.Count; i++)
                    {
                        EdifactElement element = segment.Elements[i];
                        Occurrence token = kept[i];
                        Assert.Equal((token.Index, token.Repetition), (element.Index, element.Repetition));
                        Assert.Equal(token.Components, element.Components);
                        Assert.Equal(token.Position, element.Position);
                    }

                    Assert.Equal(tokens.Count == 0 ? 0 : tokens.Max(t => t.Index), segment.ElementCount);
                }

                message.Dispose();
            }
        }
    }

    private sealed record Occurrence(int Index, int Repetition, EdifactPosition Position, List<string> Components);

    /// <summary>Every element occurrence of every segment, by the segment's index in the interchange.</summary>
    private static Dictionary<int, List<Occurrence>> Tokenize(byte[] data)
    {
        var segments = new Dictionary<int, List<Occurrence>>();
        var reader = new EdifactReader(data, new EdifactReaderOptions { MaxSegmentLength = 1024 * 1024 });
        List<Occurrence>? current = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case EdifactTokenType.SegmentTag:
                    current = [];
                    segments[reader.SegmentIndex] = current;
                    break;
                case EdifactTokenType.Element:
                case EdifactTokenType.Repetition:
                    current!.Add(new Occurrence(reader.ElementIndex, reader.RepetitionIndex, reader.TokenPosition, [reader.GetString()]));
                    break;
                case EdifactTokenType.Component:
                    current![^1].Components.Add(reader.GetString());
                    break;
            }
        }

        return segments;
    }

    private static string Describe(EdifactMessage message)
    {
        var text = new StringBuilder();
        foreach (EdifactSegment segment in message.Segments)
        {
            text.Append(segment.Tag).Append(segment.Position).Append(segment.ElementCount);
            foreach (EdifactElement element in segment.Elements)
            {
                text.Append('|').Append(element.Index).Append('.').Append(element.Repetition).Append(element.Position).Append(string.Join('\u0001', element.Components));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Messages of random data segments: empty and absent elements and components, released separators, release
    /// characters and line feeds, line feeds inside values, repetitions (version 4), non-ASCII text in the character
    /// set, and now and then a segment past 99 elements.
    /// </summary>
    private static byte[] Generate(Random random, string characterSet, int version)
    {
        var output = new ArrayBufferWriter<byte>();
        Encoding encoding = characterSet == "UNOY" ? Encoding.UTF8 : Encoding.Latin1;
        void Write(string text) => output.Write(encoding.GetBytes(text));
        Write(version == 4 ? "UNA:+.?*'" : "UNA:+.? '");
        Write($"\nUNB+{characterSet}:{version}+S+R+20261205:0100+1'\n");
        int messages = random.Next(1, 6);
        for (int m = 1; m <= messages; m++)
        {
            int count = random.Next(1, 12);
            Write($"UNH+{m}+COARRI:D:95B:UN'");
            for (int s = 0; s < count; s++)
            {
                var segment = new StringBuilder(random.Next(4) == 0 ? "\n" : string.Empty);
                segment.Append((char)('A' + random.Next(26))).Append((char)('A' + random.Next(26))).Append((char)('0' + random.Next(10)));
                int elements = random.Next(20) == 0 ? random.Next(95, 130) : random.Next(0, 8);
                for (int e = 0; e < elements; e++)
                {
                    segment.Append('+');
                    int repetitions = version == 4 && random.Next(5) == 0 ? random.Next(2, 4) : 1;
                    for (int r = 0; r < repetitions; r++)
                    {
                        if (r > 0)
                        {
                            segment.Append('*');
                        }

                        int components = random.Next(4) == 0 ? random.Next(2, 5) : 1;
                        for (int c = 0; c < components; c++)
                        {
                            if (c > 0)
                            {
                                segment.Append(':');
                            }

                            segment.Append(Value(random, characterSet, version));
                        }
                    }
                }

                // A trailing separator now and then (a finding, still read).
                segment.Append(random.Next(15) == 0 ? "+'" : "'");
                Write(segment.ToString());
            }

            Write($"UNT+{count + 2}+{m}'\n");
        }

        Write($"UNZ+{messages}+1'\n");
        return output.WrittenSpan.ToArray();
    }

    private static string Value(Random random, string characterSet, int version)
    {
        if (random.Next(4) == 0)
        {
            return string.Empty;
        }

        string[] pieces = characterSet switch
        {
            "UNOY" => ["ABC", "12.5", "Zoë", "日本", "x", "?+", "?:", "??", "?'", "\n", "?\n"],
            "UNOC" => ["ABC", "12.5", "Zoë", "ÄÖ", "x", "?+", "?:", "??", "?'", "\n", "?\n"],
            _ => ["ABC", "12.5", "X Y", "x", "?+", "?:", "??", "?'", "\n", "?\n"],
        };
        var value = new StringBuilder();
        int length = random.Next(1, 5);
        for (int i = 0; i < length; i++)
        {
            value.Append(pieces[random.Next(pieces.Length)]);
        }

        if (version == 4 && random.Next(6) == 0)
        {
            value.Append("?*");
        }

        return value.ToString();
    }
}
