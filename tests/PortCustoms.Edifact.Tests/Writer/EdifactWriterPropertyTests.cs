using System.Text;
using CsCheck;

namespace PortCustoms.Edifact.Tests;

public class EdifactWriterPropertyTests
{
    private const string Special = ":+.? '*|!#\r\n\t";

    private static readonly Gen<string> s_latin1Text =
        Gen.String[Gen.Char["ABCdefXYZ0189 " + Special + "éÉÿ"], 0, 12];

    private static readonly Gen<string> s_unicodeText =
        Gen.Frequency(
            (3, Gen.Char[Special + "AZaz09 "].Select(c => c.ToString())),
            (2, Gen.Int[0x20, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)))
        .Array[0, 10].Select(parts => string.Concat(parts));

    private static readonly Gen<string> s_tag =
        Gen.Char["ABCDEFGHIJKLMOPQRSTVWXYZ"].Array[3].Select(c => new string(c));

    [Fact]
    public void Writing_then_reading_any_tree_gives_the_same_tree_with_default_delimiters() =>
        TreeGen(s_latin1Text).Sample(
            segments => RoundTrip(segments, EdifactDelimiters.Default, EdifactCharacterSet.Unoc),
            iter: 300);

    [Fact]
    public void Writing_then_reading_any_tree_gives_the_same_tree_with_a_custom_una() =>
        TreeGen(s_latin1Text).Sample(
            segments => RoundTrip(segments, new EdifactDelimiters((byte)'|', (byte)'*', (byte)',', (byte)'#', (byte)' ', (byte)'!'), EdifactCharacterSet.Unoc),
            iter: 300);

    [Fact]
    public void Any_unicode_value_survives_escaping_in_a_unoy_interchange() =>
        s_unicodeText.Sample(
            value =>
            {
                var segments = new List<TreeSegment> { new("FTX", [[value, value], [value]]) };
                RoundTrip(segments, EdifactDelimiters.Default, EdifactCharacterSet.Unoy);
            },
            iter: 500);

    private static Gen<List<TreeSegment>> TreeGen(Gen<string> text) =>
        Gen.Select(s_tag, text.Array[1, 4].Array[0, 5])
            .Select(t => new TreeSegment(t.Item1, [.. t.Item2.Select(c => (IReadOnlyList<string>)c)]))
            .List[0, 6];

    private static void RoundTrip(List<TreeSegment> body, EdifactDelimiters delimiters, EdifactCharacterSet characterSet)
    {
        string syntaxIdentifier = EdifactCharacterSets.ToSyntaxIdentifier(characterSet);
        List<TreeSegment> segments = [new TreeSegment("UNB", [[syntaxIdentifier, "4"]]), .. body];
        byte[] data = EdifactTree.Write(segments, new EdifactWriterOptions { Delimiters = delimiters, CharacterSet = characterSet }, serviceStringAdvice: true);

        List<TreeSegment> read = EdifactTree.Read(data);

        Assert.True(segments.SequenceEqual(read), $"Wrote {Encoding.UTF8.GetString(data)}");
    }
}
