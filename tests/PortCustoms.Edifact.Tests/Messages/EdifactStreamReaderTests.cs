namespace PortCustoms.Edifact.Tests;

public class EdifactStreamReaderTests
{
    [Fact]
    public async Task ReadMessagesAsync_GroupedInterchange_GivesEachMessageWithItsEnvelope()
    {
        byte[] data = InterchangeGenerator.Small(messages: 3, group: true);
        await using var reader = new EdifactStreamReader(new NonSeekableStream(data, chunk: 5), new EdifactValidationOptions { BufferSize = 256 });

        List<EdifactMessage> messages = await ToListAsync(reader.ReadMessagesAsync());

        Assert.Equal(["1", "2", "3"], messages.Select(m => m.Reference));
        Assert.All(messages, m => Assert.Equal("G1", m.Group?.GroupReference));
        Assert.All(messages, m => Assert.Equal("IC1", m.Interchange?.ControlReference));
        Assert.All(messages, m => Assert.Equal(7, m.Segments.Count));
        Assert.Equal([1, 2, 3], messages.Select(m => m.Index));
        Assert.Equal(["UNH", "BGM", "DTM", "FTX", "EQD", "MEA", "UNT"], messages[1].Segments.Select(s => s.Tag));
        Assert.Equal("Release ?+ test: it's done", messages[0].Segments[3].GetValue(4));
        Assert.Equal("6346", messages[0].Segments[4].GetValue(2, 2));
        Assert.Empty(reader.Diagnostics);
        EdifactValidationResult result = reader.GetResult();
        Assert.Equal((1, 1, 3), (result.InterchangeCount, result.GroupCount, result.MessageCount));
    }

    [Fact]
    public async Task ReadMessagesAsync_SegmentPositions_CountFromUnb()
    {
        byte[] data = InterchangeGenerator.Small(messages: 2);
        await using var reader = new EdifactStreamReader(new MemoryStream(data));

        List<EdifactMessage> messages = await ToListAsync(reader.ReadMessagesAsync());

        // UNA is line 1 and not a segment; UNB is segment 1 on line 2.
        EdifactSegment secondUnh = messages[1].Segments[0];
        Assert.Equal(9, secondUnh.Position.Segment);
        Assert.Equal(10, secondUnh.Position.Line);
        EdifactElement equipment = messages[1].Segments[4].Elements[1];
        Assert.Equal((13, 2, 1), (equipment.Position.Segment, equipment.Position.Element, equipment.Position.Component));
    }

    [Fact]
    public async Task ReadMessagesAsync_MessageCutOffByNextHeader_IsGivenWithoutTrailer()
    {
        string text = "UNB+UNOC:3+S+R+260101:1200+R1'UNH+1+CUSCAR:D:01B:UN'BGM+85'UNH+2+CUSCAR:D:01B:UN'UNT+2+2'UNZ+2+R1'";
        await using var reader = new EdifactStreamReader(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(text)));

        List<EdifactMessage> messages = await ToListAsync(reader.ReadMessagesAsync());

        Assert.Equal([false, true], messages.Select(m => m.HasTrailer));
        Assert.Equal(EdifactErrorCodes.MessageTrailerMissing, Assert.Single(messages[0].Diagnostics).Code);
        Assert.Empty(messages[1].Diagnostics);
    }

    [Fact]
    public async Task ReadMessagesAsync_UnterminatedSegment_ThrowsEdifactException()
    {
        string text = "UNB+UNOC:3+S+R+260101:1200+R1'UNH+1+CUSCAR:D:01B:UN'BGM+85";
        await using var reader = new EdifactStreamReader(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(text)));

        EdifactException e = await Assert.ThrowsAsync<EdifactException>(() => ToListAsync(reader.ReadMessagesAsync()));

        Assert.Equal(EdifactErrorCodes.UnterminatedSegment, e.Code);
        Assert.Equal(3, e.Segment);
    }

    [Fact]
    public async Task ReadMessagesAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var reader = new EdifactStreamReader(new GeneratedInterchangeStream(1_000_000));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(reader.ReadMessagesAsync(cancellation.Token)));
    }

    [Fact]
    public async Task ReadMessagesAsync_FromCallersPipe_ReadsAllAndLeavesPipeOpen()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        byte[] data = InterchangeGenerator.Small(messages: 5);
        await pipe.Writer.WriteAsync(data.AsMemory(0, 100));
        Task writing = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(data.AsMemory(100));
            await pipe.Writer.CompleteAsync();
        });
        var reader = new EdifactStreamReader(pipe.Reader);

        List<EdifactMessage> messages = await ToListAsync(reader.ReadMessagesAsync());
        await writing;

        Assert.Equal(5, messages.Count);
        Assert.Equal(5, reader.MessageCount);
        Assert.Equal(1, reader.InterchangeCount);
        await reader.DisposeAsync();
        await pipe.Reader.CompleteAsync();
    }

    [Fact]
    public async Task ReadMessagesAsync_SecondEnumeration_ThrowsInvalidOperation()
    {
        await using var reader = new EdifactStreamReader(new MemoryStream(InterchangeGenerator.Small(messages: 1)));
        await ToListAsync(reader.ReadMessagesAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => ToListAsync(reader.ReadMessagesAsync()));
    }

    [Fact]
    public void Ctor_NullStream_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => new EdifactStreamReader((Stream)null!));

    [Fact]
    public async Task A_20_MB_interchange_validates_from_a_non_seekable_stream()
    {
        var source = new GeneratedInterchangeStream(20 * 1024 * 1024);

        EdifactValidationResult result = await new EdifactInterchangeValidator().ValidateAsync(source);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(source.MessagesWritten, result.MessageCount);
        Assert.Equal(source.BytesProduced, result.BytesRead);
    }

    private static async Task<List<EdifactMessage>> ToListAsync(IAsyncEnumerable<EdifactMessage> messages)
    {
        var list = new List<EdifactMessage>();
        await foreach (EdifactMessage message in messages)
        {
            list.Add(message);
        }

        return list;
    }
}
