namespace PortCustoms.Edifact.Tests;

public partial class EdifactReaderTests
{
    [Fact]
    public void ValueTextEquals_EscapedValue_ComparesUnescaped()
    {
        var reader = new EdifactReader("FTX+A?+B'"u8);
        reader.Read();
        reader.Read();

        Assert.True(reader.ValueTextEquals("A+B"u8));
        Assert.False(reader.ValueTextEquals("A?+B"u8));
        Assert.False(reader.ValueTextEquals("A+"u8));
    }

    [Fact]
    public void CopyUnescaped_DestinationLongEnough_WritesUnescapedBytes()
    {
        var reader = new EdifactReader("FTX+A??B'"u8);
        reader.Read();
        reader.Read();
        Span<byte> destination = stackalloc byte[8];

        int written = reader.CopyUnescaped(destination);

        Assert.True(destination[..written].SequenceEqual("A?B"u8));
    }

    [Fact]
    public void CopyUnescaped_DestinationTooShort_ThrowsArgumentException()
    {
        byte[] data = "FTX+ABCD'"u8.ToArray();

        Assert.Throws<ArgumentException>(() =>
        {
            var reader = new EdifactReader(data);
            reader.Read();
            reader.Read();
            reader.CopyUnescaped(new byte[2]);
        });
    }

    [Fact]
    public void GetString_OnSegmentTerminator_ThrowsInvalidOperation()
    {
        byte[] data = "UNS'"u8.ToArray();

        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = new EdifactReader(data);
            reader.Read();
            reader.Read();
            reader.GetString();
        });
    }

    [Theory]
    [InlineData("UNT+53+1'", true, 53)]
    [InlineData("UNT+5x+1'", false, 0)]
    [InlineData("UNT++1'", false, 0)]
    [InlineData("UNT+-1+1'", false, 0)]
    public void TryGetInt32_Value_ParsesWholeNumbersOnly(string text, bool parses, int expected)
    {
        var reader = new EdifactReader(System.Text.Encoding.ASCII.GetBytes(text));
        reader.Read();
        reader.Read();

        Assert.Equal(parses, reader.TryGetInt32(out int value));
        Assert.Equal(expected, parses ? value : 0);
    }

    [Theory]
    [InlineData("MEA+25.784'", 25.784)]
    [InlineData("UNA:+,? 'MEA+25,784'", 25.784)]
    public void TryGetDecimal_EitherDecimalMark_Parses(string text, double expected)
    {
        var reader = new EdifactReader(System.Text.Encoding.ASCII.GetBytes(text));
        while (reader.Read() && reader.TokenType != EdifactTokenType.Element)
        {
        }

        Assert.True(reader.TryGetDecimal(out decimal value));
        Assert.Equal((decimal)expected, value);
    }
}
