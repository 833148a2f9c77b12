using System.Text;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// Per-segment work is linear in the element count (issue 12): from 1 k to 64 k elements in one segment, the element
/// reads and the bytes allocated per element stay flat. Both are counted on this thread, so nothing here depends on
/// the clock or on other tests running beside it.
/// </summary>
public class SegmentLinearityTests
{
    private static readonly int[] ElementCounts = [1024, 4096, 16384, 65536];

    [Fact]
    public async Task Element_reads_per_element_stay_flat_from_1k_to_64k_elements()
    {
        // Element look-ups count their probes only when asked (a flag, so the hot path pays no thread-static write).
        EdifactWorkCounter.Enabled = true;
        var perElement = new List<double>();
        foreach (int count in ElementCounts)
        {
            EdifactMessage message = await ReadAsync(count);
            EdifactWorkCounter.ElementReads = 0;

            StructureSegment[] segments = [.. message.Segments.Select((s, i) => s.ToStructureSegment(i + 1))];
            _ = new StructureValidator().Validate(segments);

            // The same message validated from its compact table, as StructuredMessage does.
            _ = new StructureValidator().Validate(message);
            EdifactSegment ftx = message.Segments[2];
            for (int element = 1; element <= count + 2; element++)
            {
                // What a mapping does: every element by position. Past element 99 (not kept, see
                // EdifactMessageData.MaxStoredElement) a look-up is one probe answered at once: still counted.
                _ = ftx.GetValue(element);
            }

            perElement.Add((double)EdifactWorkCounter.ElementReads / count);
        }

        // A rescan per element (the old linear GetElement) makes this grow with the count: at 64 k, 64 times what it is at 1 k.
        Assert.All(perElement, ratio => Assert.InRange(ratio, 1, 8));
        Assert.InRange(perElement[^1] / perElement[0], 0.5, 1.5);
    }

    [Fact]
    public async Task Bytes_allocated_per_element_do_not_grow_from_1k_to_64k_elements()
    {
        var perElement = new List<double>();
        var compactPerElement = new List<double>();
        foreach (int count in ElementCounts)
        {
            EdifactMessage message = await ReadAsync(count);
            long before = GC.GetAllocatedBytesForCurrentThread();
            StructureSegment[] segments = [.. message.Segments.Select((s, i) => s.ToStructureSegment(i + 1))];
            _ = new StructureValidator().Validate(segments);
            perElement.Add((double)(GC.GetAllocatedBytesForCurrentThread() - before) / count);

            before = GC.GetAllocatedBytesForCurrentThread();
            _ = new StructureValidator().Validate(message);
            compactPerElement.Add((double)(GC.GetAllocatedBytesForCurrentThread() - before) / count);
        }

        // Per element it may fall (the structure layer reads the elements in place), never grow.
        Assert.True(perElement[^1] <= perElement[1] * 1.5, $"Bytes per element: {string.Join(", ", perElement)}");
        Assert.True(compactPerElement[^1] <= compactPerElement[1] * 1.5, $"Bytes per element, compact: {string.Join(", ", compactPerElement)}");
    }

    [Fact]
    public void GetElement_with_repetitions_finds_the_first_occurrence_and_null_past_the_end()
    {
        var position = new EdifactPosition(1, 0, 1, 0, 0);
        var segment = new EdifactSegment("FTX", position,
        [
            new EdifactElement(1, 1, ["A"], position),
            new EdifactElement(2, 1, ["B1"], position),
            new EdifactElement(2, 2, ["B2"], position),
            new EdifactElement(3, 1, ["C"], position),
        ]);

        Assert.Equal(["A", "B1", "C", ""], new[] { 1, 2, 3, 4 }.Select(e => segment.GetValue(e)));
        Assert.Null(segment.GetElement(0));
        Assert.Equal(["A", "B1", "C"], segment.ToStructureSegment(1).Elements.Select(e => e[0]));
    }

    private static async Task<EdifactMessage> ReadAsync(int elements)
    {
        string text = "UNB+UNOC:3+S+R+261126:0800+1'UNH+1+CUSRES:D:95B:UN'BGM+962+R1+9'FTX+AAA" + new string('+', elements) + "X'UNT+4+1'UNZ+1+1'";
        var options = new EdifactValidationOptions { ReaderOptions = new EdifactReaderOptions { MaxSegmentLength = 1024 * 1024 } };
        await using var reader = new EdifactStreamReader(new MemoryStream(Encoding.Latin1.GetBytes(text)), options);
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            return message;
        }

        throw new InvalidOperationException("No message read.");
    }
}
