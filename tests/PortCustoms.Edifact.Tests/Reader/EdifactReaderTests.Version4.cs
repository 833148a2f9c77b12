using static PortCustoms.Edifact.EdifactTokenType;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// ISO 9735-1 (syntax version 4): an interchange without UNA uses <c>*</c> as its repetition separator; version 3
/// has none (<c>*</c> is data), and a UNA always says what the interchange uses.
/// </summary>
public partial class EdifactReaderTests
{
    private static (EdifactTokenType Type, string Value, int Element, int Component)[] ValuesOf(List<Token> tokens, string tag)
    {
        int start = tokens.FindIndex(t => t.Type == SegmentTag && t.Value == tag);
        int end = tokens.FindIndex(start, t => t.Type == SegmentTerminator);
        return [.. tokens[(start + 1)..end].Select(t => (t.Type, t.Value, t.Position.Element, t.Position.Component))];
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_Version4WithoutUna_StarSeparatesRepetitions(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNB+UNOC:4+S+R+20261204:2200+1'NAD+A*B:C*D+E?*F'UNZ+0+1'", mode);

        Assert.Equal(
            [(Element, "A", 1, 1), (Repetition, "B", 1, 1), (Component, "C", 1, 2), (Repetition, "D", 1, 1), (Element, "E*F", 2, 1)],
            ValuesOf(tokens, "NAD"));
        Assert.True(tokens.Single(t => t.Value == "E*F").Escaped);
        // Segment and byte positions are the bytes': NAD is segment 2 at offset 31, C (element 1, component 2) at 39.
        Assert.Equal(new EdifactPosition(1, 31, 2, 0, 0), tokens.Single(t => t.Value == "NAD").Position);
        Assert.Equal(new EdifactPosition(1, 39, 2, 1, 2), tokens.Single(t => t.Value == "C").Position);
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_Version3WithoutUna_StarIsData(ReadMode mode)
    {
        List<Token> tokens = TokenReader.ReadAll("UNB+UNOC:3+S+R+261204:2200+1'NAD+A*B:C*D+E'UNZ+0+1'", mode);

        Assert.Equal([(Element, "A*B", 1, 1), (Component, "C*D", 1, 2), (Element, "E", 2, 1)], ValuesOf(tokens, "NAD"));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_Version4WithUna_TheUnaRepetitionSeparatorWins(ReadMode mode)
    {
        List<Token> declared = TokenReader.ReadAll("UNA:+.?!'UNB+UNOC:4+S+R+20261204:2200+1'NAD+A*B!C'UNZ+0+1'", mode);
        List<Token> none = TokenReader.ReadAll("UNA:+.? 'UNB+UNOC:4+S+R+20261204:2200+1'NAD+A*B'UNZ+0+1'", mode);

        Assert.Equal([(Element, "A*B", 1, 1), (Repetition, "C", 1, 1)], ValuesOf(declared, "NAD"));
        Assert.Equal([(Element, "A*B", 1, 1)], ValuesOf(none, "NAD"));
    }

    [Theory]
    [MemberData(nameof(ReadModes.All), MemberType = typeof(ReadModes))]
    public void Read_EachInterchange_TakesItsOwnVersionsDefaults(ReadMode mode)
    {
        const string Text = "UNB+UNOC:4+S+R+20261204:2200+1'NAD+A*B'UNZ+0+1'"
            + "UNB+UNOC:3+S+R+261204:2200+2'NAD+C*D'UNZ+0+2'"
            + "UNA:+.? 'UNB+UNOC:4+S+R+20261204:2200+3'NAD+E*F'UNZ+0+3'"
            + "UNB+UNOY:4+S+R+20261204:2200+4'NAD+G*H'UNZ+0+4'";

        List<Token> tokens = TokenReader.ReadAll(Text, mode);

        int[] nads = [.. tokens.Select((t, i) => (t, i)).Where(x => x.t.Type == SegmentTag && x.t.Value == "NAD").Select(x => x.i)];
        Assert.Equal(4, nads.Length);
        Assert.Equal([(Element, "A"), (Repetition, "B")], tokens[(nads[0] + 1)..(nads[0] + 3)].Select(t => (t.Type, t.Value)));
        Assert.Equal((Element, "C*D"), (tokens[nads[1] + 1].Type, tokens[nads[1] + 1].Value));
        Assert.Equal((Element, "E*F"), (tokens[nads[2] + 1].Type, tokens[nads[2] + 1].Value));
        Assert.Equal([(Element, "G"), (Repetition, "H")], tokens[(nads[3] + 1)..(nads[3] + 3)].Select(t => (t.Type, t.Value)));
    }

    [Fact]
    public void Read_Version4WithoutUna_TheDelimitersSayStarFromTheSyntaxVersionOn()
    {
        var reader = new EdifactReader("UNB+UNOC:4+S'"u8, isFinalBlock: true, default);
        Assert.True(reader.Read()); // UNB
        Assert.True(reader.Read()); // UNOC
        Assert.False(reader.Delimiters.HasRepetitionSeparator);
        Assert.True(reader.Read()); // 4
        Assert.Equal(4, reader.CurrentState.SyntaxVersion);
        Assert.Equal(EdifactDelimiters.Version4Default, reader.Delimiters);
        Assert.Equal((byte)'*', reader.Delimiters.RepetitionSeparator);
    }
}
