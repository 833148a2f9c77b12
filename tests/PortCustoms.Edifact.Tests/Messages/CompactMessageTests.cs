using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// A materialised message is one compact table (<c>EdifactMessageData</c>); the span accessors, the lazily built element
/// objects and the strings must all say what the reader read: values unescaped and decoded, positions of elements on
/// later lines, repetitions, absent and empty elements.
/// </summary>
public class CompactMessageTests
{
    [Fact]
    public async Task Span_accessors_and_element_objects_agree_on_every_value()
    {
        EdifactMessage message = await ReadOneAsync(
            "UNA:+.? 'UNB+UNOC:3+S+R+261204:2200+1'UNH+1+CODECO:D:95B:UN'FTX+AAA++Release ?+ it?'s ?:done:x??'EQD+CN+MSCU1234566:6346:5+45G1'UNT+4+1'UNZ+1+1'");
        EdifactSegment ftx = message.Segments[1];

        Assert.Equal(3, ftx.ElementCount);
        Assert.Equal(2, ftx.GetComponentCount(3));
        Assert.Equal(1, ftx.GetComponentCount(2));
        Assert.Equal(0, ftx.GetComponentCount(4));
        Assert.Equal("Release + it's :done", ftx.GetSpan(3).ToString());
        Assert.Equal("x?", ftx.GetSpan(3, 2).ToString());
        Assert.True(ftx.GetSpan(2).IsEmpty);
        Assert.True(ftx.GetSpan(3, 3).IsEmpty);
        Assert.Equal("Release + it's :done", ftx.GetValue(3));
        Assert.Equal(["AAA"], ftx.Elements[0].Components);
        Assert.Equal([string.Empty], ftx.Elements[1].Components);
        Assert.Equal(["Release + it's :done", "x?"], ftx.Elements[2].Components);
        Assert.Same(ftx.GetElement(3), ftx.Elements[2]);
        Assert.Equal("FTX+AAA++Release + it's :done:x?", ftx.ToString());

        EdifactSegment eqd = message.Segments[2];
        Assert.Equal("6346", eqd.GetSpan(2, 2).ToString());
        Assert.Equal(eqd.GetElement(2)!.Position, eqd.GetPosition(2, 0) with { Component = 1 });
        Assert.Equal(new EdifactPosition(1, eqd.Position.ByteOffset + 7, 4, 2, 3), eqd.GetPosition(2, 3));
        Assert.Equal(eqd.Position with { Element = 5, Component = 1 }, eqd.GetPosition(5, 1));
    }

    [Fact]
    public async Task An_element_on_a_later_line_keeps_its_own_line_and_offset()
    {
        // A line feed inside a segment (LF is data here, not the terminator) moves the next element to line 3.
        EdifactMessage message = await ReadOneAsync("UNB+UNOC:3+S+R+261204:2200+1'\nUNH+1+CODECO:D:95B:UN'FTX+AAA\n\n+B+C'UNT+3+1'UNZ+1+1'");
        EdifactSegment ftx = message.Segments[1];

        EdifactPosition second = ftx.GetElement(2)!.Position;
        Assert.Equal((4L, 2, 1), (second.Line, second.Element, second.Component));
        Assert.Equal(ftx.Position.ByteOffset + 10, second.ByteOffset);
        Assert.Equal(second with { Component = 0 }, ftx.GetPosition(2));
        Assert.Equal(2L, ftx.GetElement(1)!.Position.Line);
        Assert.Equal("AAA\n\n", ftx.GetValue(1));
    }

    [Fact]
    public async Task Repetitions_count_once_and_the_first_occurrence_answers()
    {
        EdifactMessage message = await ReadOneAsync("UNA:+.?*'UNB+UNOC:4+S+R+20261204:2200+1'UNH+1+CODECO:D:95B:UN'RFF+A*B:b+C+D*E'UNT+3+1'UNZ+1+1'");
        EdifactSegment rff = message.Segments[1];

        Assert.Equal(3, rff.ElementCount);
        Assert.Equal(5, rff.Elements.Count);
        Assert.Equal("A", rff.GetValue(1));
        Assert.Equal(1, rff.GetComponentCount(1));
        Assert.Equal("D", rff.GetSpan(3).ToString());
        Assert.Equal([(1, 1), (1, 2), (2, 1), (3, 1), (3, 2)], rff.Elements.Select(e => (e.Index, e.Repetition)));
        Assert.Equal(["B", "b"], rff.Elements[1].Components);
    }

    [Fact]
    public async Task Utf8_values_are_decoded_as_the_tokenizer_decodes_them()
    {
        byte[] data = Encoding.UTF8.GetBytes("UNB+UNOY:3+S+R+261204:2200+1'UNH+1+CODECO:D:95B:UN'NAD+CZ+Šibenik Ž:ü'UNT+3+1'UNZ+1+1'");
        EdifactMessage message = await ReadOneAsync(data);

        Assert.Equal("Šibenik Ž", message.Segments[1].GetValue(2));
        Assert.Equal("ü", message.Segments[1].GetSpan(2, 2).ToString());
    }

    private static Task<EdifactMessage> ReadOneAsync(string text) => ReadOneAsync(Encoding.Latin1.GetBytes(text));

    private static async Task<EdifactMessage> ReadOneAsync(byte[] data)
    {
        await using var reader = new EdifactStreamReader(new MemoryStream(data), new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient });
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            return message;
        }

        throw new InvalidOperationException("No message read.");
    }
}
