using System.Text;

namespace PortCustoms.Edifact.Tests;

public partial class EdifactReaderTests
{
    [Fact]
    public void Read_IncompleteValueInPartialBlock_ReturnsFalseAndRollsBackToTokenStart()
    {
        byte[] data = Encoding.ASCII.GetBytes("UNH+12");

        var reader = new EdifactReader(data, isFinalBlock: false, new EdifactReaderState());

        Assert.True(reader.Read());
        Assert.False(reader.Read());
        Assert.Equal(EdifactTokenType.SegmentTag, reader.TokenType);
        Assert.Equal(3, reader.BytesConsumed);
        EdifactReaderState state = reader.CurrentState;
        Assert.Equal(3, state.ByteOffset);

        var resumed = new EdifactReader(Encoding.ASCII.GetBytes("+12'"), isFinalBlock: true, state);
        Assert.True(resumed.Read());
        Assert.True(resumed.ValueTextEquals("12"u8));
        Assert.Equal(new EdifactPosition(1, 4, 1, 1, 1), resumed.TokenPosition);
    }

    [Fact]
    public void Read_DefaultState_ActsAsFreshState()
    {
        var reader = new EdifactReader("BGM+1'"u8, isFinalBlock: true, default);

        Assert.True(reader.Read());
        Assert.Equal(1, reader.TokenPosition.Line);
        Assert.Equal(EdifactDelimiters.Default, reader.Delimiters);
    }

    [Fact]
    public void TrySkipSegment_OnTag_LeavesReaderOnTerminatorWithRawElements()
    {
        var reader = new EdifactReader("FTX+a?'b:c'UNS+S'"u8);
        reader.Read();

        Assert.True(reader.TrySkipSegment());

        Assert.Equal(EdifactTokenType.SegmentTerminator, reader.TokenType);
        Assert.Equal("+a?'b:c", Encoding.ASCII.GetString(reader.ValueSpan));
        Assert.True(reader.ValueIsEscaped);
        Assert.True(reader.Read());
        Assert.True(reader.ValueTextEquals("UNS"u8));
        Assert.Equal(2, reader.SegmentIndex);
    }

    [Fact]
    public void TrySkipSegment_TerminatorNotYetAvailable_ReturnsFalseAndStays()
    {
        var reader = new EdifactReader("FTX+abc"u8, isFinalBlock: false, new EdifactReaderState());
        reader.Read();

        Assert.False(reader.TrySkipSegment());
        Assert.Equal(3, reader.BytesConsumed);
    }

    [Fact]
    public void TrySkipSegment_AcrossSequenceSegments_SkipsWholeSegment()
    {
        var data = SequenceFactory.OneBytePerSegment(Encoding.ASCII.GetBytes("FTX+a?'b:c'UNS+S'"));
        var reader = new EdifactReader(data);
        reader.Read();

        Assert.True(reader.TrySkipSegment());
        Assert.Equal("+a?'b:c", Encoding.ASCII.GetString(reader.ValueSpan));
        Assert.True(reader.Read());
        Assert.True(reader.ValueTextEquals("UNS"u8));
    }
}
