using System.Runtime.CompilerServices;

namespace PortCustoms.Edifact.Structure;

/// <summary>
/// The segments of one message as the validator reads them: tag, positions, element and component counts and each
/// component's text as a span. Two shapes feed it, so hand-built <see cref="StructureSegment"/>s and the reader's
/// compact messages give the same findings from one code path; struct implementations let the JIT inline the calls.
/// </summary>
/// <remarks>Element and component indexes are 0-based here; an absent one has no components.</remarks>
internal interface IStructureSource
{
    int Count { get; }

    string Tag(int segment);

    int PositionInMessage(int segment);

    int PositionInInterchange(int segment);

    int Line(int segment);

    /// <summary>Element positions (an absent element before the last counts).</summary>
    int ElementCount(int segment);

    /// <summary>Element positions that <see cref="Element"/> can answer for; beyond them only <see cref="FirstContentBeyondStored"/>.</summary>
    int StoredElementCount(int segment);

    /// <summary>The 1-based position of the first element beyond <see cref="StoredElementCount"/> with content, or 0.</summary>
    int FirstContentBeyondStored(int segment);

    /// <summary>A handle on the element's first occurrence for <see cref="ComponentCount"/> and <see cref="Component"/>; negative when absent.</summary>
    int Element(int segment, int element);

    /// <summary>The components of an element (by handle); 0 when absent.</summary>
    int ComponentCount(int segment, int element);

    /// <summary>A component of an element (by handle); empty when absent.</summary>
    ReadOnlySpan<char> Component(int segment, int element, int component);

    /// <summary>The placement the result lists for a segment (its <see cref="StructureSegment"/> built on demand where it can be).</summary>
    SegmentPlacement Placement(int segment, string groupPath, int[] groupOccurrences, int segmentOccurrence);
}

/// <summary>Segments built by hand (tests, CONTRL round trips): read through their element lists.</summary>
internal readonly struct StructureSegmentSource(IReadOnlyList<StructureSegment> segments) : IStructureSource
{
    public int Count => segments.Count;

    public string Tag(int segment) => segments[segment].Tag;

    public int PositionInMessage(int segment) => segments[segment].PositionInMessage;

    public int PositionInInterchange(int segment) => segments[segment].PositionInInterchange;

    public int Line(int segment) => segments[segment].Line;

    public int ElementCount(int segment) => segments[segment].Elements.Count;

    public int StoredElementCount(int segment) => segments[segment].Elements.Count;

    public int FirstContentBeyondStored(int segment) => 0;

    public int Element(int segment, int element) => element < segments[segment].Elements.Count ? element : -1;

    public int ComponentCount(int segment, int element)
    {
        IReadOnlyList<IReadOnlyList<string>> elements = segments[segment].Elements;
        return (uint)element < (uint)elements.Count ? elements[element].Count : 0;
    }

    public ReadOnlySpan<char> Component(int segment, int element, int component)
    {
        IReadOnlyList<IReadOnlyList<string>> elements = segments[segment].Elements;
        if ((uint)element >= (uint)elements.Count)
        {
            return default;
        }

        IReadOnlyList<string> components = elements[element];
        return component < components.Count ? components[component] : default;
    }

    public SegmentPlacement Placement(int segment, string groupPath, int[] groupOccurrences, int segmentOccurrence) =>
        new(segments[segment], groupPath, groupOccurrences, segmentOccurrence);
}

/// <summary>The reader's messages: read from the compact tables, no strings or element objects built.</summary>
internal readonly struct EdifactSegmentSource(EdifactSegment[] segments) : IStructureSource
{
    public int Count => segments.Length;

    public string Tag(int segment) => segments[segment].Tag;

    public int PositionInMessage(int segment) => segment + 1;

    public int PositionInInterchange(int segment)
    {
        EdifactSegment s = segments[segment];
        return Math.Max(0, s.Data.Segments[s.Index].Segment);
    }

    public int Line(int segment)
    {
        EdifactSegment s = segments[segment];
        return (int)Math.Clamp(s.Data.Segments[s.Index].Line, 0, int.MaxValue);
    }

    public int ElementCount(int segment) => segments[segment].ElementCount;

    public int StoredElementCount(int segment)
    {
        EdifactSegment s = segments[segment];
        return s.Data.StoredElementPositions(s.Index);
    }

    public int FirstContentBeyondStored(int segment)
    {
        EdifactSegment s = segments[segment];
        return s.Data.Segments[s.Index].OverflowElement;
    }

    public int Element(int segment, int element)
    {
        EdifactSegment s = segments[segment];
        return s.Data.FindElement(s.Index, element + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ComponentCount(int segment, int element) => segments[segment].Data.ComponentCount(element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Component(int segment, int element, int component) => segments[segment].Data.Component(element, component + 1);

    public SegmentPlacement Placement(int segment, string groupPath, int[] groupOccurrences, int segmentOccurrence) =>
        new(segments[segment], segment + 1, groupPath, groupOccurrences, segmentOccurrence);
}

/// <summary>Where one segment landed, kept as plain fields until someone reads the placements.</summary>
internal readonly record struct PlacementRecord(string GroupPath, int[] GroupOccurrences, int SegmentOccurrence);

/// <summary>The placements of a result, each <see cref="SegmentPlacement"/> built on first read.</summary>
internal sealed class PlacementList<TSource>(TSource source, PlacementRecord[] records) : IReadOnlyList<SegmentPlacement>
    where TSource : struct, IStructureSource
{
    private SegmentPlacement[]? _made;

    public int Count => records.Length;

    public SegmentPlacement this[int index]
    {
        get
        {
            SegmentPlacement[] made = _made ??= new SegmentPlacement[records.Length];
            SegmentPlacement? placement = made[index];
            if (placement is null)
            {
                PlacementRecord record = records[index];
                placement = source.Placement(index, record.GroupPath, record.GroupOccurrences, record.SegmentOccurrence);
                placement = Interlocked.CompareExchange(ref made[index], placement, null!) ?? placement;
            }

            return placement;
        }
    }

    public IEnumerator<SegmentPlacement> GetEnumerator()
    {
        for (int i = 0; i < records.Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
