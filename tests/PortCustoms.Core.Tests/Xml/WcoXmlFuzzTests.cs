using System.Text;
using CsCheck;
using PortCustoms.Core.Tests.Translation;
using PortCustoms.Core.Xml;

namespace PortCustoms.Core.Tests.Xml;

/// <summary>
/// Mutated documents (bytes replaced, inserted, deleted; cut short) never make the reader throw: whatever the input, the
/// answer is findings. Seeds are the golden XML documents of every message kind.
/// </summary>
public sealed class WcoXmlFuzzTests
{
    private static readonly byte[][] Seeds = [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures"), "*.xml").Order().Select(File.ReadAllBytes)];

    // Characters that matter to XML and to our schemas, so mutations reach the interesting paths.
    private static readonly Gen<byte> Interesting = Gen.OneOfConst("<>/&;\"'=!?[]-: \n\r\t0123456789AZaz#x\u00e9"u8.ToArray()).Select(b => b);

    private static readonly Gen<byte[]> Inputs =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[1, 8].SelectMany(n => Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Interesting).Array[n]))
        .Select((seed, edits) =>
        {
            var bytes = new List<byte>(Seeds[seed]);
            foreach (var (kind, at, value) in edits)
            {
                var i = (int)(at * (bytes.Count - 1));
                switch (kind)
                {
                    case 0:
                        bytes[i] = value;
                        break;
                    case 1:
                        bytes.Insert(i, value);
                        break;
                    case 2:
                        bytes.RemoveAt(i);
                        break;
                    default:
                        bytes.RemoveRange(i, bytes.Count - i);
                        break;
                }
                if (bytes.Count == 0)
                {
                    break;
                }
            }
            return bytes.ToArray();
        });

    [Fact]
    public void The_seeds_are_there() => Assert.True(Seeds.Length >= 10, $"{Seeds.Length} seeds");

    /// <summary>
    /// Found by this campaign (seed cxLypKH1wjB2): an offset past +/-14:00 is a lexically valid date-time to
    /// XmlConvert, but no DateTimeOffset holds it, and the reader threw instead of leaving it to the schema's finding.
    /// </summary>
    [Theory]
    [InlineData("+14:30")]
    [InlineData("-15:00")]
    [InlineData("+99:00")]
    public void An_issue_time_offset_beyond_fourteen_hours_is_a_finding_not_a_crash(string offset)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures", "cusres-d95b-release.xml");
        var text = File.ReadAllText(path, Encoding.UTF8).Replace("2026-11-26T07:10:00+00:00", "2026-11-26T07:10:00" + offset, StringComparison.Ordinal);

        var (_, result) = WcoXmlReader.ReadDocument(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.False(result.IsValid);
        Assert.True(result.Findings.ErrorCount > 0);
    }

    [Fact]
    public void Mutated_documents_never_throw()
    {
        Inputs.Sample(input =>
        {
            var (_, result) = WcoXmlReader.ReadDocument(new MemoryStream(input));
            // Either it is still a valid document, or it says why not.
            Assert.True(result.IsValid || result.Findings.ErrorCount > 0, Encoding.UTF8.GetString(input));
        }, iter: 3000, threads: 1);
    }
}
