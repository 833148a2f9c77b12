using System.Buffers;

namespace PortCustoms.Edifact.Tests;

/// <summary>Segments of elements of components: what writing then reading must preserve.</summary>
public sealed record TreeSegment(string Tag, IReadOnlyList<IReadOnlyList<string>> Elements)
{
    public bool Equals(TreeSegment? other) =>
        other is not null && Tag == other.Tag && Elements.Count == other.Elements.Count
        && Elements.Zip(other.Elements).All(p => p.First.SequenceEqual(p.Second));

    public override int GetHashCode() => Tag.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Tag + "+" + string.Join('+', Elements.Select(e => string.Join(':', e)));
}

public static class EdifactTree
{
    public static byte[] Write(IEnumerable<TreeSegment> segments, EdifactWriterOptions options, bool serviceStringAdvice)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new EdifactWriter(output, options);
        if (serviceStringAdvice)
        {
            writer.WriteServiceStringAdvice();
        }

        foreach (TreeSegment segment in segments)
        {
            writer.WriteSegmentStart(segment.Tag);
            foreach (IReadOnlyList<string> element in segment.Elements)
            {
                writer.WriteElement(element[0]);
                foreach (string component in element.Skip(1))
                {
                    writer.WriteComponent(component);
                }
            }

            writer.WriteSegmentEnd();
        }

        return output.WrittenSpan.ToArray();
    }

    public static List<TreeSegment> Read(byte[] data, EdifactReaderOptions options = default)
    {
        var segments = new List<TreeSegment>();
        string tag = "";
        List<List<string>> elements = [];
        var reader = new EdifactReader(data, options);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case EdifactTokenType.SegmentTag:
                    tag = reader.GetString();
                    elements = [];
                    break;
                case EdifactTokenType.Element:
                    elements.Add([reader.GetString()]);
                    break;
                case EdifactTokenType.Component:
                    elements[^1].Add(reader.GetString());
                    break;
                case EdifactTokenType.SegmentTerminator:
                    segments.Add(new TreeSegment(tag, elements));
                    break;
            }
        }

        return segments;
    }
}
