using System.Text;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>
/// Test-only tokenizer for readable message literals with default delimiters (<c>+ : ' ?</c>).
/// The real reader belongs to the syntax layer; this only turns test text into <see cref="StructureSegment"/>s.
/// </summary>
internal static class Edi
{
    public static List<StructureSegment> Message(string text)
    {
        var segments = new List<StructureSegment>();
        var elements = new List<IReadOnlyList<string>>();
        var components = new List<string>();
        var value = new StringBuilder();
        int line = 1;
        int segmentLine = 1;
        bool atSegmentStart = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (atSegmentStart && char.IsWhiteSpace(c))
            {
                line += c == '\n' ? 1 : 0;
                continue;
            }

            if (atSegmentStart)
            {
                atSegmentStart = false;
                segmentLine = line;
            }

            switch (c)
            {
                case '?':
                    value.Append(text[++i]);
                    break;
                case ':':
                    components.Add(value.ToString());
                    value.Clear();
                    break;
                case '+':
                    components.Add(value.ToString());
                    value.Clear();
                    elements.Add([.. components]);
                    components.Clear();
                    break;
                case '\'':
                    components.Add(value.ToString());
                    value.Clear();
                    elements.Add([.. components]);
                    components.Clear();
                    string tag = elements[0][0];
                    segments.Add(new StructureSegment(tag, elements.Skip(1).ToArray(), segments.Count + 1, segments.Count + 2, segmentLine));
                    elements.Clear();
                    atSegmentStart = true;
                    break;
                default:
                    value.Append(c);
                    break;
            }
        }

        return segments;
    }

    /// <summary>The same segments renumbered 1..n, as a message with one segment removed would be.</summary>
    public static List<StructureSegment> Renumber(IEnumerable<StructureSegment> segments) =>
        [.. segments.Select((s, i) => new StructureSegment(s.Tag, s.Elements, i + 1, 0, s.Line))];
}
