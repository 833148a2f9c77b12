using System.Text;
using static PortCustoms.Edifact.EdifactTokenType;

namespace PortCustoms.Edifact.Tests;

public partial class EdifactReaderTests
{
    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_DefaultDelimiters_YieldsPositionalTokens(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNH+1+IFTMIN:D::UN'BGM++9'", mode);

        Assert.Equal(
            [
                new Token(SegmentTag, "UNH", "UNH", false, new(1, 0, 1, 0, 0)),
                new Token(Element, "1", "1", false, new(1, 4, 1, 1, 1)),
                new Token(Element, "IFTMIN", "IFTMIN", false, new(1, 6, 1, 2, 1)),
                new Token(Component, "D", "D", false, new(1, 13, 1, 2, 2)),
                new Token(Component, "", "", false, new(1, 15, 1, 2, 3)),
                new Token(Component, "UN", "UN", false, new(1, 16, 1, 2, 4)),
                new Token(SegmentTerminator, "", "", false, new(1, 18, 1, 2, 4)),
                new Token(SegmentTag, "BGM", "BGM", false, new(1, 19, 2, 0, 0)),
                new Token(Element, "", "", false, new(1, 23, 2, 1, 1)),
                new Token(Element, "9", "9", false, new(1, 24, 2, 2, 1)),
                new Token(SegmentTerminator, "", "", false, new(1, 25, 2, 2, 1)),
            ],
            tokens);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_SegmentWithoutElements_YieldsTagAndTerminator(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("ODI'UNS'", mode);

        Assert.Equal([SegmentTag, SegmentTerminator, SegmentTag, SegmentTerminator], tokens.Select(t => t.Type));
        Assert.Equal(2, tokens[2].Position.Segment);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_ReleaseCharacter_KeepsValueRawUntilAsked(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("FTX+A?+B?:C??D?'E+plain'", mode);

        Token released = tokens[1];
        Assert.Equal("A?+B?:C??D?'E", released.Raw);
        Assert.Equal("A+B:C?D'E", released.Value);
        Assert.True(released.Escaped);
        Assert.False(tokens[2].Escaped);
        Assert.Equal(2, tokens[2].Position.Element);
        Assert.Equal(4, tokens.Count);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_ServiceStringAdvice_ChangesDelimiters(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNA|*.# !UNB*UNOC|3*S*R!FTX*a#*b|c!", mode);

        Assert.Equal(new Token(ServiceStringAdvice, "|*.# !", "|*.# !", false, new(1, 0, 0, 0, 0)), tokens[0]);
        Assert.Equal(new Token(SegmentTag, "UNB", "UNB", false, new(1, 9, 1, 0, 0)), tokens[1]);
        Assert.Equal(new Token(Component, "3", "3", false, new(1, 18, 1, 1, 2)), tokens[3]);
        Token released = tokens.Single(t => t.Raw == "a#*b");
        Assert.Equal("a*b", released.Value);
        Assert.Equal("c", tokens[^2].Value);
        Assert.Equal(Component, tokens[^2].Type);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_RepetitionSeparator_YieldsRepetitionTokens(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNA:+.?*'NAD+A*B:C*D+E'", mode);

        Assert.Equal(
            [(Element, "A", 1, 1), (Repetition, "B", 1, 1), (Component, "C", 1, 2), (Repetition, "D", 1, 1), (Element, "E", 2, 1)],
            tokens.Where(t => t.Type is Element or Component or Repetition).Select(t => (t.Type, t.Value, t.Position.Element, t.Position.Component)));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_ByteOrderMarkBeforeUna_IsSkipped(ReadMode mode)
    {
        byte[] data = [0xEF, 0xBB, 0xBF, .. "UNA:+.? 'UNB+UNOY:4'"u8];

        List<Token> tokens = TokenReader.ReadAll(data, mode);

        Assert.Equal(ServiceStringAdvice, tokens[0].Type);
        Assert.Equal(3, tokens[0].Position.ByteOffset);
        Assert.Equal("UNB", tokens[1].Value);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_LineBreaksAndTabsBetweenSegments_AreSkippedAndCounted(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNH+1'\r\n\tBGM+2'\n\nUNT+2+1'\r\n", mode);

        Token[] tags = [.. tokens.Where(t => t.Type == SegmentTag)];
        Assert.Equal(["UNH", "BGM", "UNT"], tags.Select(t => t.Value));
        Assert.Equal([1L, 2L, 4L], tags.Select(t => t.Position.Line));
        Assert.Equal([1, 2, 3], tags.Select(t => t.Position.Segment));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_LineFeedInsideValue_CountsLine(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("FTX+a\nb+c'\nUNS+S'", mode);

        Assert.Equal("a\nb", tokens[1].Value);
        Assert.Equal(2, tokens[2].Position.Line);
        Assert.Equal(3, tokens.Single(t => t.Value == "UNS").Position.Line);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_SeveralInterchanges_EachUsesItsOwnServiceStringAdvice(ReadMode mode)
    {
        const string Text = "UNA|*.? !UNB*UNOA|3*S*R*1!UNZ*0*1!UNB+UNOA:3+S+R+2'UNH+1'UNZ+0+2'UNA:+,? 'UNB+UNOA:3'";

        List<Token> tokens = TokenReader.ReadAll(Text, mode);

        Token[] unb = [.. tokens.Where(t => t.Type == SegmentTag && t.Value == "UNB")];
        Assert.Equal(3, unb.Length);
        Assert.All(unb, t => Assert.Equal(1, t.Position.Segment));
        Assert.Equal("UNH", tokens.Single(t => t.Type == SegmentTag && t.Value == "UNH").Value);
        Assert.Equal(2, tokens.Single(t => t.Value == "UNH").Position.Segment);
        Assert.Equal(["UNOA", "3"], tokens.SkipWhile(t => t != unb[2]).Skip(1).Take(2).Select(t => t.Value));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_UnocInterchange_DecodesLatin1(ReadMode mode)
    {
        byte[] data = [.. "UNB+UNOC:3'NAD+"u8, 0xC9, (byte)'t', 0xE9, (byte)'\''];

        List<Token> tokens = TokenReader.ReadAll(data, mode);

        Assert.Equal("Été", tokens.Single(t => t.Type == Element && t.Position is { Segment: 2, Element: 1 }).Value);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_UnoyInterchange_DecodesUtf8(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNB+UNOY:4'NAD+Łódź ?+ 東京'", mode);

        Assert.Equal("Łódź + 東京", tokens.Single(t => t.Type == Element && t.Position is { Segment: 2, Element: 1 }).Value);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_NewLineAsDefaultTerminator_ReadsSegmentsPerLine(ReadMode mode)
    {
        var options = new EdifactReaderOptions { DefaultDelimiters = EdifactDelimiters.Default with { SegmentTerminator = (byte)'\n' } };

        List<Token> tokens = TokenReader.ReadAll("UNB+UNOA:1\nUNH+1\nUNT+2+1\n", mode, options);

        Token[] tags = [.. tokens.Where(t => t.Type == SegmentTag)];
        Assert.Equal([1L, 2L, 3L], tags.Select(t => t.Position.Line));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_EmptyInputOrOnlyWhitespace_YieldsNothing(ReadMode mode)
    {
        Assert.Empty(TokenReader.ReadAll("", mode));
        Assert.Empty(TokenReader.ReadAll("\r\n\t\n", mode));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_MissingTerminatorAtEnd_ThrowsUnterminatedSegment(ReadMode mode)
    {
        EdifactException e = TokenReader.ReadExpectingError("UNH+1'\nBGM+2", mode);

        Assert.Equal(EdifactErrorCodes.UnterminatedSegment, e.Code);
        Assert.Equal(2, e.Line);
        Assert.Equal(2, e.Segment);
        Assert.Equal(EdifactSyntaxErrorCodes.Missing, e.SyntaxErrorCode);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_ReleaseCharacterAtEnd_ThrowsUnterminatedSegment(ReadMode mode)
    {
        EdifactException e = TokenReader.ReadExpectingError("FTX+a?", mode);

        Assert.Equal(EdifactErrorCodes.UnterminatedSegment, e.Code);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_SegmentLongerThanLimit_ThrowsSegmentTooLong(ReadMode mode)
    {
        var options = new EdifactReaderOptions { MaxSegmentLength = 32 };

        EdifactException e = TokenReader.ReadExpectingError("UNH+1'FTX+" + new string('A', 40) + "'", mode, options);

        Assert.Equal(EdifactErrorCodes.SegmentTooLong, e.Code);
        Assert.Equal(2, e.Segment);
        Assert.Equal(6, e.ByteOffset);
    }

    [Fact]
    public void Read_MissingTerminatorInPartialBlock_ThrowsSegmentTooLongInsteadOfBuffering()
    {
        var options = new EdifactReaderOptions { MaxSegmentLength = 32 };
        byte[] data = Encoding.ASCII.GetBytes("FTX+" + new string('A', 100));

        var reader = new EdifactReader(data, isFinalBlock: false, new EdifactReaderState(options));
        Assert.True(reader.Read());
        EdifactException? e = null;
        try
        {
            reader.Read();
        }
        catch (EdifactException caught)
        {
            e = caught;
        }

        Assert.Equal(EdifactErrorCodes.SegmentTooLong, e?.Code);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_TruncatedServiceStringAdvice_Throws(ReadMode mode)
    {
        EdifactException e = TokenReader.ReadExpectingError("UNA:+.", mode);

        Assert.Equal(EdifactErrorCodes.ServiceStringAdviceTruncated, e.Code);
        Assert.Equal(0, e.ByteOffset);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_ServiceStringAdviceRepeatingACharacter_Throws(ReadMode mode)
    {
        EdifactException e = TokenReader.ReadExpectingError("UNA::.? 'UNB+UNOA:3'", mode);

        Assert.Equal(EdifactErrorCodes.ServiceStringAdviceInvalid, e.Code);
        Assert.Equal(EdifactSyntaxErrorCodes.InvalidServiceCharacters, e.SyntaxErrorCode);
    }
}
