namespace PortCustoms.Edifact.Tests;

/// <summary>The real public samples (Fixtures/SOURCES.md) read end to end.</summary>
public class SampleFixtureTests
{
    private static readonly EdifactReaderOptions s_newLineTerminated =
        new() { DefaultDelimiters = EdifactDelimiters.Default with { SegmentTerminator = (byte)'\n' } };

    public static TheoryData<string> Samples =>
    [
        "edifact.01.multi-message.edi",
        "edifact.D01B.IFCSUM.EDI",
        "edifact.D01B.IFCSUM.NewLines.EDI",
        "edifact.Issue152.Wikipedia.edi",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_tokenizes_the_same_in_every_read_mode(string name)
    {
        byte[] data = Fixture.Bytes(name);
        EdifactReaderOptions options = OptionsFor(name);

        List<Token> span = TokenReader.ReadAll(data, ReadMode.SingleSpan, options);
        List<Token> resumed = TokenReader.ReadAll(data, ReadMode.ResumedAcrossBlocks, options);
        List<Token> oneBytePerSegment = [];
        var reader = new EdifactReader(SequenceFactory.OneBytePerSegment(data), isFinalBlock: true, new EdifactReaderState(options));
        while (reader.Read())
        {
            oneBytePerSegment.Add(Token.From(ref reader));
        }

        Assert.NotEmpty(span);
        Assert.Equal(span, resumed);
        Assert.Equal(span, oneBytePerSegment);
    }

    [Fact]
    public void The_multi_message_sample_with_a_byte_order_mark_gives_its_messages_in_UNOC()
    {
        List<EdifactMessage> messages = Read("edifact.01.multi-message.edi", out EdifactStreamReader stream);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("QUOTES", m.MessageType));
        Assert.All(messages, m => Assert.True(m.HasTrailer));
        Assert.Equal(EdifactCharacterSet.Unoc, messages[0].Interchange!.CharacterSet);
        Assert.Equal("HBQ001", messages[0].Interchange!.ControlReference);
        Assert.Equal("1234567891123", messages[0].Interchange!.SenderIdentification);
        Assert.Equal("UNH", messages[0].Segments[0].Tag);
        Assert.Equal(2, messages[0].Segments[0].Position.Segment);
        Assert.Equal(3, messages[0].Segments[0].Position.Line);
        Assert.Equal("UNT", messages[0].Segments[^1].Tag);
        Assert.Equal(31, messages[0].Segments.Count);

        // The sample's trailers are wrong: UNT says 158 segments for 31, and UNZ repeats another reference than UNB's.
        Assert.Equal(
            [(EdifactErrorCodes.MessageCountMismatch, 33L), (EdifactErrorCodes.MessageCountMismatch, 64L), (EdifactErrorCodes.InterchangeReferenceMismatch, 65L)],
            stream.Diagnostics.Select(d => (d.Code, d.Line)));
    }

    [Fact]
    public void The_wikipedia_sample_reads_but_its_IATB_syntax_identifier_is_reported()
    {
        List<EdifactMessage> messages = Read("edifact.Issue152.Wikipedia.edi", out EdifactStreamReader stream);

        EdifactMessage message = Assert.Single(messages);
        Assert.Equal("PAORES", message.MessageType);
        Assert.Equal(13, message.Segments.Count);
        Assert.Equal("ODI", message.Segments[5].Tag);
        Assert.Empty(message.Segments[5].Elements);
        Assert.Equal("C", message.Segments[6].GetValue(6));
        Assert.Equal("1220", message.Segments[6].GetValue(1, 4));
        EdifactDiagnostic finding = Assert.Single(stream.Diagnostics);
        Assert.Equal(EdifactErrorCodes.SyntaxIdentifierUnsupported, finding.Code);
    }

    [Theory]
    [InlineData("edifact.D01B.IFCSUM.EDI")]
    [InlineData("edifact.D01B.IFCSUM.NewLines.EDI")]
    public void The_IFCSUM_sample_is_a_cut_down_message_whose_UNT_count_is_reported(string name)
    {
        List<EdifactMessage> messages = Read(name, out EdifactStreamReader stream);

        EdifactMessage message = Assert.Single(messages);
        Assert.Equal("IFCSUM", message.MessageType);
        Assert.Equal("D01B", message.Directory);
        Assert.Equal("EAN003", message.AssociationAssignedCode);
        Assert.Equal(27, message.Segments.Count);
        Assert.Equal("PASSWORD", message.Interchange!.Segment.GetValue(6));
        Assert.Contains(stream.Diagnostics, d => d.Code == EdifactErrorCodes.MessageCountMismatch && d.Segment == 28 && d.Element == 1);

        // The sample declares UNOA (upper case only) yet carries lower-case text: reported, as ISO 9735 asks.
        Assert.Contains(stream.Diagnostics, d => d.Code == EdifactErrorCodes.InvalidCharacter);
        Assert.All(stream.Diagnostics, d => Assert.Contains(d.Code, new[] { EdifactErrorCodes.MessageCountMismatch, EdifactErrorCodes.InvalidCharacter }));
        Assert.Contains(message.Diagnostics, d => d.Code == EdifactErrorCodes.MessageCountMismatch);
    }

    private static List<EdifactMessage> Read(string name, out EdifactStreamReader stream)
    {
        var options = new EdifactValidationOptions { ReaderOptions = OptionsFor(name), BufferSize = 256 };
        stream = new EdifactStreamReader(new NonSeekableStream(Fixture.Bytes(name), chunk: 100), options);
        return Collect(stream).GetAwaiter().GetResult();
    }

    private static async Task<List<EdifactMessage>> Collect(EdifactStreamReader stream)
    {
        var messages = new List<EdifactMessage>();
        await foreach (EdifactMessage message in stream.ReadMessagesAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    private static EdifactReaderOptions OptionsFor(string name) =>
        name.Contains("NewLines", StringComparison.Ordinal) ? s_newLineTerminated : default;
}

public static class Fixture
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
