using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact;

/// <summary>One data element occurrence of a materialised segment: its components, unescaped and decoded.</summary>
public sealed class EdifactElement
{
    private readonly int _index;

    internal EdifactElement(int index, int repetition, string[] components, EdifactPosition position)
    {
        _index = index;
        Repetition = repetition;
        Components = components;
        Position = position;
    }

    /// <summary>1-based position of the element in its segment.</summary>
    public int Index
    {
        get
        {
            // Every look-up over a segment's elements reads this: counting the reads is how the tests prove that
            // per-segment work is linear in the element count (no rescans) without timing anything.
            EdifactWorkCounter.ElementReads++;
            return _index;
        }
    }

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
    private readonly EdifactElement[] _elements;

    internal EdifactSegment(string tag, EdifactPosition position, EdifactElement[] elements)
    {
        Tag = tag;
        Position = position;
        _elements = elements;
    }

    /// <summary>The segment tag, e.g. <c>EQD</c>; empty for a segment the input gave no tag (reported by the reader).</summary>
    public string Tag { get; }

    /// <summary>Where the tag starts; <see cref="EdifactPosition.Segment"/> is the index in the interchange.</summary>
    public EdifactPosition Position { get; }

    /// <summary>The element occurrences in order (a repeated element appears once per occurrence, with the same index).</summary>
    public IReadOnlyList<EdifactElement> Elements => _elements;

    /// <summary>The first occurrence of the 1-based element, or null when the segment stops before it.</summary>
    /// <remarks>
    /// Constant time without repetitions (element n sits at n - 1), else a binary search: the occurrences are in
    /// element order. A linear scan here made reading a segment of 64 k elements quadratic (issue 12).
    /// </remarks>
    public EdifactElement? GetElement(int element)
    {
        EdifactElement[] elements = _elements;
        if ((uint)(element - 1) < (uint)elements.Length)
        {
            EdifactElement direct = elements[element - 1];
            if (direct.Index == element && direct.Repetition == 1)
            {
                return direct;
            }
        }

        int low = 0;
        int high = elements.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            if (elements[middle].Index < element)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low < elements.Length && elements[low].Index == element ? elements[low] : null;
    }

    /// <summary>A component value by 1-based positions; empty when absent.</summary>
    public string GetValue(int element, int component = 1) => GetElement(element)?.GetComponent(component) ?? string.Empty;

    /// <summary>
    /// The neutral shape the structure layer reads, in one pass over the elements: positions kept (an absent element
    /// is empty), first repetition only.
    /// </summary>
    /// <param name="positionInMessage">1-based position counted as UNT counts (UNH is 1).</param>
    public StructureSegment ToStructureSegment(int positionInMessage) =>
        new(Tag, new StructureElements(this), positionInMessage, Math.Max(0, Position.Segment), (int)Math.Clamp(Position.Line, 0, int.MaxValue));

    public override string ToString() => Tag + "+" + string.Join('+', _elements.AsEnumerable());
}

/// <summary>
/// A segment's elements as the structure layer reads them, without copying: element n is the first occurrence's
/// components (constant time, see <see cref="EdifactSegment.GetElement"/>), an absent one is empty. A copy would be one
/// more large array per wide segment, and large arrays are what make the collector work hard.
/// </summary>
internal sealed class StructureElements(EdifactSegment segment) : IReadOnlyList<IReadOnlyList<string>>
{
    private static readonly IReadOnlyList<string> Absent = [string.Empty];

    public int Count { get; } = segment.Elements.Count == 0 ? 0 : segment.Elements[^1].Index;

    public IReadOnlyList<string> this[int index] =>
        (uint)index < (uint)Count ? segment.GetElement(index + 1)?.Components ?? Absent : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<IReadOnlyList<string>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Per-thread counts of element reads (see <see cref="EdifactElement.Index"/>), for the linearity tests.</summary>
internal static class EdifactWorkCounter
{
    [ThreadStatic]
    internal static long ElementReads;
}
