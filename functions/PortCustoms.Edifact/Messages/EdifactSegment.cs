namespace PortCustoms.Edifact;

/// <summary>One data element occurrence of a materialised segment: its components, unescaped and decoded.</summary>
public sealed class EdifactElement
{
    internal EdifactElement(int index, int repetition, string[] components, EdifactPosition position)
    {
        Index = index;
        Repetition = repetition;
        Components = components;
        Position = position;
    }

    /// <summary>1-based position of the element in its segment.</summary>
    public int Index { get; }

    /// <summary>1-based occurrence; above 1 only after a repetition separator (version 4).</summary>
    public int Repetition { get; }

    /// <summary>The components in order; an element without component separators has one.</summary>
    public IReadOnlyList<string> Components { get; }

    /// <summary>Where the element's first component starts.</summary>
    public EdifactPosition Position { get; }

    /// <summary>The first component: the whole value of a simple element.</summary>
    public string Value => Components[0];

    /// <summary>The 1-based component, or an empty string when absent (absent and empty mean the same in EDIFACT).</summary>
    public string GetComponent(int component) =>
        component >= 1 && component <= Components.Count ? Components[component - 1] : string.Empty;

    public override string ToString() => string.Join(':', Components);
}

/// <summary>One segment of a message: tag, position and elements. Small messages are materialised; interchanges never are.</summary>
public sealed class EdifactSegment
{
    internal EdifactSegment(string tag, EdifactPosition position, EdifactElement[] elements)
    {
        Tag = tag;
        Position = position;
        Elements = elements;
    }

    /// <summary>The segment tag, e.g. <c>EQD</c>.</summary>
    public string Tag { get; }

    /// <summary>Where the tag starts; <see cref="EdifactPosition.Segment"/> is the index in the interchange.</summary>
    public EdifactPosition Position { get; }

    /// <summary>The element occurrences in order (a repeated element appears once per occurrence, with the same index).</summary>
    public IReadOnlyList<EdifactElement> Elements { get; }

    /// <summary>The first occurrence of the 1-based element, or null when the segment stops before it.</summary>
    public EdifactElement? GetElement(int element)
    {
        foreach (EdifactElement candidate in Elements)
        {
            if (candidate.Index == element)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A component value by 1-based positions; empty when absent.</summary>
    public string GetValue(int element, int component = 1) => GetElement(element)?.GetComponent(component) ?? string.Empty;

    public override string ToString() => Tag + "+" + string.Join('+', Elements);
}
