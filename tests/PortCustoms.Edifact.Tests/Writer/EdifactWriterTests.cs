using System.Buffers;
using System.Text;

namespace PortCustoms.Edifact.Tests;

public class EdifactWriterTests
{
    [Fact]
    public void WriteElement_ValueWithDelimitersAndRelease_ReleasesEachOne()
    {
        string text = Write(w => w.WriteSegment("FTX", "a+b:c'd?e", "plain"));

        Assert.Equal("FTX+a?+b?:c?'d??e+plain'", text);
    }

    [Fact]
    public void WriteServiceStringAdvice_CustomDelimiters_WritesUnaAndUsesThem()
    {
        var options = new EdifactWriterOptions { Delimiters = new EdifactDelimiters((byte)'|', (byte)'*', (byte)',', (byte)'#', (byte)'^', (byte)'!') };

        string text = Write(
            w =>
            {
                w.WriteServiceStringAdvice();
                w.WriteSegmentStart("NAD");
                w.WriteElement("a*b");
                w.WriteComponent("c");
                w.WriteRepetition("d"u8);
                w.WriteSegmentEnd();
            },
            options);

        Assert.Equal("UNA|*,#^!NAD*a#*b|c^d!", text);
    }

    [Fact]
    public void WriteMessageTrailer_AfterSegments_CountsThemWithHeaderAndTrailer()
    {
        string text = Write(w =>
        {
            WriteInterchangeHeader(w, "REF1");
            WriteMessage(w, "M1", 3);
            WriteMessage(w, "M2", 0);
            w.WriteInterchangeTrailer();
        });

        Assert.Contains("UNT+5+M1'", text, StringComparison.Ordinal);
        Assert.Contains("UNT+2+M2'", text, StringComparison.Ordinal);
        Assert.EndsWith("UNZ+2+REF1'", text, StringComparison.Ordinal);
        EdifactValidationResult result = new EdifactInterchangeValidator().Validate(Encoding.Latin1.GetBytes(text));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.MessageCount);
    }

    [Fact]
    public void WriteGroupTrailer_InsideInterchange_CountsMessagesAndInterchangeCountsGroups()
    {
        string text = Write(w =>
        {
            WriteInterchangeHeader(w, "REF1");
            w.WriteSegment("UNG", "CUSCAR", "S", "R", "260101", "G1", "UN");
            WriteMessage(w, "M1", 1);
            WriteMessage(w, "M2", 1);
            w.WriteGroupTrailer();
            w.WriteInterchangeTrailer();
        });

        Assert.Contains("UNE+2+G1'", text, StringComparison.Ordinal);
        Assert.EndsWith("UNZ+1+REF1'", text, StringComparison.Ordinal);
        Assert.Empty(new EdifactInterchangeValidator().Validate(Encoding.Latin1.GetBytes(text)).Diagnostics);
    }

    [Fact]
    public void WriteElement_CharacterOutsideLatin1_ThrowsArgumentException()
    {
        var writer = new EdifactWriter(new ArrayBufferWriter<byte>(), new EdifactWriterOptions { CharacterSet = EdifactCharacterSet.Unoc });
        writer.WriteSegmentStart("FTX");

        Assert.Throws<ArgumentException>(() => writer.WriteElement("€"));
    }

    [Fact]
    public void WriteElement_OutsideSegment_ThrowsInvalidOperation()
    {
        var writer = new EdifactWriter(new ArrayBufferWriter<byte>());

        Assert.Throws<InvalidOperationException>(() => writer.WriteElement("x"));
    }

    [Fact]
    public void WriteMessageTrailer_WithoutHeader_ThrowsInvalidOperation()
    {
        var writer = new EdifactWriter(new ArrayBufferWriter<byte>());

        Assert.Throws<InvalidOperationException>(writer.WriteMessageTrailer);
    }

    [Fact]
    public void Ctor_NullOutput_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => new EdifactWriter(null!));

    [Fact]
    public void WriteSegmentEnd_NewLineAfterSegment_WritesLineFeed()
    {
        string text = Write(w => w.WriteSegment("UNS", "S"), new EdifactWriterOptions { NewLineAfterSegment = true });

        Assert.Equal("UNS+S'\n", text);
    }

    [Fact]
    public void WriteInterchangeHeader_SyntaxVersion3_WritesUnaAndUnbWithASixDigitDateAndUnzRepeatsTheReference()
    {
        string text = Write(w =>
        {
            w.WriteInterchangeHeader(new EdifactParty("TERMINAL:NL", "ZZZ"), new EdifactParty("BROKER1"), new DateTimeOffset(2026, 11, 26, 9, 5, 0, TimeSpan.FromHours(1)), "IC0001");
            w.WriteInterchangeTrailer();
        });

        Assert.Equal("UNA:+.? 'UNB+UNOC:3+TERMINAL?:NL:ZZZ+BROKER1+261126:0805+IC0001'UNZ+0+IC0001'", text);
    }

    [Fact]
    public void WriteInterchangeHeader_SyntaxVersion4_WritesAnEightDigitDateAndTheRoutingAddress()
    {
        string text = Write(
            w => w.WriteInterchangeHeader(new EdifactParty("SENDER", RoutingAddress: "ROUTE"), new EdifactParty("RECIPIENT", "14"), new DateTimeOffset(2026, 1, 2, 23, 59, 0, TimeSpan.Zero), "REF4", syntaxVersion: 4),
            new EdifactWriterOptions { CharacterSet = EdifactCharacterSet.Unoy, NewLineAfterSegment = true });

        Assert.Equal("UNA:+.? '\nUNB+UNOY:4+SENDER::ROUTE+RECIPIENT:14+20260102:2359+REF4'\n", text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void WriteInterchangeHeader_SyntaxVersionOutsideOneToFour_Throws(int syntaxVersion)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => w.WriteInterchangeHeader(new EdifactParty("S"), new EdifactParty("R"), DateTimeOffset.UnixEpoch, "REF", syntaxVersion)));
    }

    private static void WriteInterchangeHeader(EdifactWriter writer, string reference)
    {
        writer.WriteSegmentStart("UNB");
        writer.WriteElement("UNOC");
        writer.WriteComponent("3");
        writer.WriteElement("SENDER");
        writer.WriteElement("RECIPIENT");
        writer.WriteElement("260101");
        writer.WriteComponent("1200");
        writer.WriteElement(reference);
        writer.WriteSegmentEnd();
    }

    private static void WriteMessage(EdifactWriter writer, string reference, int bodySegments)
    {
        writer.WriteSegmentStart("UNH");
        writer.WriteElement(reference);
        writer.WriteElement("CUSCAR");
        writer.WriteComponent("D");
        writer.WriteComponent("01B");
        writer.WriteComponent("UN");
        writer.WriteSegmentEnd();
        for (int i = 0; i < bodySegments; i++)
        {
            writer.WriteSegment("FTX", "AAA", "", "", "text " + i);
        }

        writer.WriteMessageTrailer();
    }

    private static string Write(Action<EdifactWriter> write, EdifactWriterOptions? options = null)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new EdifactWriter(output, options));
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }
}
