using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>Writes whole segments through <see cref="EdifactWriter"/>, dropping trailing empty components and elements as ISO 9735 asks.</summary>
internal static class SegmentWriting
{
    /// <summary>Writes <paramref name="tag"/> with elements given as component arrays; null or empty means absent.</summary>
    public static void Write(this EdifactWriter writer, string tag, params string?[][] elements)
    {
        var count = elements.Length;
        while (count > 0 && IsEmpty(elements[count - 1]))
        {
            count--;
        }
        writer.WriteSegmentStart(tag);
        for (var e = 0; e < count; e++)
        {
            var components = elements[e];
            var length = components.Length;
            while (length > 0 && string.IsNullOrEmpty(components[length - 1]))
            {
                length--;
            }
            writer.WriteElement(length > 0 ? components[0] : string.Empty);
            for (var c = 1; c < length; c++)
            {
                writer.WriteComponent(components[c]);
            }
        }
        writer.WriteSegmentEnd();
    }

    private static bool IsEmpty(string?[] components) => components.All(string.IsNullOrEmpty);
}
