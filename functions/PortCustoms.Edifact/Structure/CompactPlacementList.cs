namespace PortCustoms.Edifact.Structure;

/// <summary>
/// The placements of a message the fast path resolved (<see cref="FastStructureCheck"/>), read from its
/// <see cref="PlacementLayout"/> ints: a <see cref="SegmentPlacement"/> and a group occurrence's occurrence list are
/// built only when someone reads them.
/// </summary>
internal sealed class CompactPlacementList(CompiledStructure compiled, EdifactSegment[] segments, int[] layout) : IReadOnlyList<SegmentPlacement>
{
    private SegmentPlacement[]? _made;
    private int[][]? _occurrences;

    public int Count => segments.Length;

    /// <summary>The group occurrences opened, numbered 1..this.</summary>
    internal int GroupCount => (layout.Length - (segments.Length * PlacementLayout.SegmentInts)) / PlacementLayout.GroupInts;

    /// <summary>The group occurrence a segment was placed in; 0 for the message level.</summary>
    internal int GroupOf(int segment) => layout[segment * PlacementLayout.SegmentInts];

    /// <summary>The segment's repetition within its group occurrence.</summary>
    internal int OccurrenceOf(int segment) => layout[(segment * PlacementLayout.SegmentInts) + 1];

    /// <summary>A group occurrence's container in the compiled table.</summary>
    internal int ContainerOf(int group) => layout[GroupAt(group)];

    /// <summary>A group occurrence's parent occurrence; 0 for the message level.</summary>
    internal int ParentOf(int group) => layout[GroupAt(group) + 1];

    /// <summary>A group occurrence's 1-based occurrence within its parent.</summary>
    internal int NumberOf(int group) => layout[GroupAt(group) + 2];

    internal CompiledStructure Compiled => compiled;

    internal int[] Layout => layout;

    public SegmentPlacement this[int index]
    {
        get
        {
            SegmentPlacement[] made = _made ??= new SegmentPlacement[segments.Length];
            SegmentPlacement? placement = made[index];
            if (placement is null)
            {
                int group = GroupOf(index);
                string path = group == 0 ? string.Empty : compiled.Paths[ContainerOf(group)];
                placement = new SegmentPlacement(segments[index], index + 1, path, Occurrences(group), OccurrenceOf(index));
                placement = Interlocked.CompareExchange(ref made[index], placement, null!) ?? placement;
            }

            return placement;
        }
    }

    public IEnumerator<SegmentPlacement> GetEnumerator()
    {
        for (int i = 0; i < segments.Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int GroupAt(int group) => (segments.Length * PlacementLayout.SegmentInts) + ((group - 1) * PlacementLayout.GroupInts);

    /// <summary>The occurrence of each enclosing group, outermost first (one array per group occurrence, as the resolver shares them).</summary>
    private int[] Occurrences(int group)
    {
        if (group == 0)
        {
            return [];
        }

        int[][] all = _occurrences ??= new int[GroupCount + 1][];
        int[]? occurrences = all[group];
        if (occurrences is null)
        {
            int[] parent = Occurrences(ParentOf(group));
            occurrences = [.. parent, NumberOf(group)];
            occurrences = Interlocked.CompareExchange(ref all[group], occurrences, null!) ?? occurrences;
        }

        return occurrences;
    }
}
