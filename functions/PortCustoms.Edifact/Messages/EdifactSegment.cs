using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact;

/// <summary>One data element occurrence of a materialised segment: its components, unescaped and decoded.</summary>
public sealed class EdifactElement
{
    // Shared by every empty simple element; handed out only as IReadOnlyList<string>.
    internal static readonly string[] EmptyComponents = [string.Empty];

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
            EdifactWorkCounter.Count();
            return _index;
        }
    }

    internal int IndexUncounted => _index;

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
/// <remarks>
/// A view over its message's compact tables (<see cref="EdifactMessageData"/>): the component strings and
/// <see cref="EdifactElement"/> objects are built only when <see cref="Elements"/> or <see cref="GetElement"/> asks for
/// them, and <see cref="GetValue"/> builds only the one string asked for. Hot readers use <see cref="GetSpan"/>,
/// <see cref="ElementCount"/> and <see cref="GetComponentCount"/>, which allocate nothing.
/// <para>
/// Only element positions 1..99 are kept (<see cref="EdifactMessageData.MaxStoredElement"/>): ISO 9735 numbers a
/// segment's elements 010..990, so no directory can define more, and the structure validator reports content beyond
/// them as too many elements (from the first such element, which the segment remembers). <see cref="ElementCount"/>
/// still counts every position; <see cref="Elements"/>, <see cref="ToString"/> and <see cref="ToStructureSegment"/>
/// hold only the kept ones, and <see cref="GetElement"/>, <see cref="GetValue"/>, <see cref="GetSpan"/> and
/// <see cref="GetComponentCount"/> answer absent (null, empty, 0) past element 99.
/// </para>
/// </remarks>
public sealed class EdifactSegment
{
    private readonly EdifactMessageData _data;
    private readonly int _index;

    // One slot per element occurrence, filled on demand; _all once every slot is.
    private EdifactElement[]? _elements;
    private bool _all;

    internal EdifactSegment(EdifactMessageData data, int index)
    {
        _data = data;
        _index = index;
    }

    /// <summary>A segment built by hand from its elements (tests): the same tables, with the given objects kept.</summary>
    internal EdifactSegment(string tag, EdifactPosition position, EdifactElement[] elements)
    {
        var builder = new EdifactMessageBuilder();
        builder.BeginSegment(tag, position);
        foreach (EdifactElement element in elements)
        {
            EdifactPosition at = element.Position;
            builder.BeginElement(element.IndexUncounted, element.Repetition, at);
            foreach (string component in element.Components)
            {
                builder.AddComponent(component);
            }
        }

        _data = builder.Build();
        _index = 0;
        _elements = [.. elements];
        _all = true;
    }

    /// <summary>The segment tag, e.g. <c>EQD</c>; empty for a segment the input gave no tag (reported by the reader).</summary>
    public string Tag => _data.Tags[_index];

    /// <summary>Where the tag starts; <see cref="EdifactPosition.Segment"/> is the index in the interchange.</summary>
    public EdifactPosition Position => _data.PositionOf(_index);

    /// <summary>The element occurrences in order (a repeated element appears once per occurrence, with the same index); elements 1..99 only.</summary>
    public IReadOnlyList<EdifactElement> Elements
    {
        get
        {
            EdifactElement[] elements = Slots();
            if (!_all)
            {
                int first = _data.Segments[_index].FirstElement;
                for (int i = 0; i < elements.Length; i++)
                {
                    _ = Element(elements, first + i, i);
                }

                _all = true;
            }

            return elements;
        }
    }

    /// <summary>
    /// The number of element positions: the last element's index, 0 without elements. A repeated element counts once,
    /// an empty one before the last counts (absent and empty mean the same in EDIFACT).
    /// </summary>
    public int ElementCount => _data.ElementPositions(_index);

    /// <summary>The components of the first occurrence of the 1-based element; 0 when the segment stops before it.</summary>
    public int GetComponentCount(int element) => _data.ComponentCount(_data.FindElement(_index, element));

    /// <summary>A component value by 1-based positions, without allocating; empty when absent.</summary>
    public ReadOnlySpan<char> GetSpan(int element, int component = 1) => _data.Component(_data.FindElement(_index, element), component);

    /// <summary>The first occurrence of the 1-based element, or null when the segment stops before it or it is past element 99.</summary>
    /// <remarks>
    /// Constant time without repetitions (element n sits at n - 1), else a binary search: the occurrences are in
    /// element order. A linear scan here made reading a segment of 64 k elements quadratic (issue 12).
    /// </remarks>
    public EdifactElement? GetElement(int element)
    {
        int record = _data.FindElement(_index, element);
        return record < 0 ? null : Element(Slots(), record, record - _data.Segments[_index].FirstElement);
    }

    /// <summary>A component value by 1-based positions; empty when absent.</summary>
    public string GetValue(int element, int component = 1) => _data.ComponentString(_data.FindElement(_index, element), component);

    /// <summary>
    /// Where an element and component of this segment is (where the element's first occurrence starts, else the
    /// segment), with <paramref name="element"/> and <paramref name="component"/> as given; the segment itself for 0.
    /// </summary>
    public EdifactPosition GetPosition(int element = 0, int component = 0)
    {
        EdifactPosition segment = Position;
        if (element <= 0)
        {
            return segment with { Element = element, Component = 0 };
        }

        int record = _data.FindElement(_index, element);
        (int overflow, EdifactPosition overflowAt) = _data.Overflow(_index);
        EdifactPosition at = record < 0 ? (overflow == element ? overflowAt : segment)
            : _elements?[record - _data.Segments[_index].FirstElement] is { } made ? made.Position
            : _data.ElementPosition(_index, record);
        return at with { Segment = segment.Segment, Element = element, Component = component };
    }

    /// <summary>
    /// The neutral shape the structure layer reads, in one pass over the elements: positions kept (an absent element
    /// is empty), first repetition only. Elements past 99 read as empty: validate the <see cref="EdifactMessage"/>
    /// itself to have content there reported.
    /// </summary>
    /// <param name="positionInMessage">1-based position counted as UNT counts (UNH is 1).</param>
    public StructureSegment ToStructureSegment(int positionInMessage) =>
        new(Tag, new StructureElements(this), positionInMessage, Math.Max(0, Position.Segment), (int)Math.Clamp(Position.Line, 0, int.MaxValue));

    /// <summary>The segment as EDIFACT text without escaping (diagnostics), elements past 99 left out.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Tag);
        ref readonly EdifactMessageData.SegmentRecord record = ref _data.Segments[_index];
        for (int e = 0; e < record.ElementCount; e++)
        {
            int element = record.FirstElement + e;
            text.Append('+');
            int count = _data.ComponentCount(element);
            for (int c = 1; c <= count; c++)
            {
                if (c > 1)
                {
                    text.Append(':');
                }

                text.Append(_data.Component(element, c));
            }
        }

        return text.ToString();
    }

    internal EdifactMessageData Data => _data;

    internal int Index => _index;

    private EdifactElement[] Slots() => _elements ??= new EdifactElement[_data.Segments[_index].ElementCount];

    private EdifactElement Element(EdifactElement[] slots, int record, int slot)
    {
        // Unfilled slots are null. Readers on several threads may race here; the first object stored is the one every reader sees.
        EdifactElement? element = slots[slot];
        return element ?? Interlocked.CompareExchange(ref slots[slot], _data.CreateElement(_index, record), null!) ?? slots[slot];
    }
}

/// <summary>
/// A segment's elements as the structure layer reads them, without copying: element n is the first occurrence's
/// components (constant time, see <see cref="EdifactSegment.GetElement"/>), an absent one is empty. A copy would be one
/// more large array per wide segment, and large arrays are what make the collector work hard.
/// </summary>
internal sealed class StructureElements(EdifactSegment segment) : IReadOnlyList<IReadOnlyList<string>>
{
    private static readonly IReadOnlyList<string> Absent = [string.Empty];

    public int Count { get; } = segment.ElementCount;

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

    /// <summary>Set by the linearity tests: element look-ups count their probes (a static read otherwise).</summary>
    internal static bool Enabled;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Count()
    {
        if (Enabled)
        {
            ElementReads++;
        }
    }
}
