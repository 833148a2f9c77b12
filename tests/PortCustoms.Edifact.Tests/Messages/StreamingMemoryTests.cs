namespace PortCustoms.Edifact.Tests;

/// <summary>
/// Tests that read the whole process's live heap. They run in a collection that xUnit runs alone, after the parallel
/// ones: with other tests allocating beside them the figure was theirs too, and the test failed one run in three
/// (issue 13).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process-wide memory";
}

[Collection(ProcessMemoryCollection.Name)]
public class StreamingMemoryTests
{
    [Fact]
    public async Task A_20_MB_interchange_streams_through_the_message_reader_without_growing_memory()
    {
        var source = new GeneratedInterchangeStream(20 * 1024 * 1024);
        await using var reader = new EdifactStreamReader(source);
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakLive = 0;
        int count = 0;

        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            if (++count % 8192 == 0)
            {
                peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.True(source.BytesProduced >= 20 * 1024 * 1024);
        Assert.Equal(source.MessagesWritten, count);
        Assert.Empty(reader.Diagnostics);

        // Live memory stays at buffer plus one message: far below the 20 MB that went through.
        Assert.True(peakLive < 4 * 1024 * 1024, $"Live memory grew by {peakLive} bytes.");
    }
}
