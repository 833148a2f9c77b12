namespace PortCustoms.Edifact.Structure;

/// <summary>
/// Where a validated message's segments landed, as indexes rather than a <see cref="SegmentPlacement"/> per segment:
/// the group occurrences numbered 1.. in the order they open (each with its group, trigger, parent occurrence and
/// occurrence in that parent), and per segment the occurrence it sits in. What a group tree is built from.
/// </summary>
public sealed class StructureLayout
{
    private readonly CompiledStructure? compiled;
    private readonly int[] layout;
    private readonly int[]? positions;
    private readonly int segmentCount;

    private StructureLayout(CompiledStructure? compiled, int[] layout, int segmentCount, int[]? positions)
    {
        this.compiled = compiled;
        this.layout = layout;
        this.segmentCount = segmentCount;
        this.positions = positions;
    }

    /// <summary>The message's segments (one per placement).</summary>
    public int SegmentCount => segmentCount;

    /// <summary>The group occurrences, numbered 1 to this.</summary>
    public int GroupCount => (layout.Length - (segmentCount * PlacementLayout.SegmentInts)) / PlacementLayout.GroupInts;

    /// <summary>The group occurrence the 0-based segment sits in: 0 for the message level, -1 when it found no place.</summary>
    public int GroupOf(int segment) => layout[segment * PlacementLayout.SegmentInts];

    /// <summary>The 0-based segment's 1-based position in the message (UNH = 1).</summary>
    public int PositionOf(int segment) => positions?[segment] ?? segment + 1;

    /// <summary>A group occurrence's group name in this directory (<c>SG5</c>).</summary>
    public string NameOf(int group) => compiled!.Names[layout[GroupAt(group)]];

    /// <summary>The tag of a group occurrence's trigger segment (<c>EQD</c>).</summary>
    public string TriggerOf(int group) => compiled!.Triggers[layout[GroupAt(group)]];

    /// <summary>The occurrence enclosing a group occurrence: 0 for the message level.</summary>
    public int ParentOf(int group) => layout[GroupAt(group) + 1];

    /// <summary>A group occurrence's 1-based occurrence within its parent occurrence.</summary>
    public int OccurrenceOf(int group) => layout[GroupAt(group) + 2];

    /// <summary>The fast path's layout, as it made it.</summary>
    internal static StructureLayout Of(CompactPlacementList placements) =>
        new(placements.Compiled, placements.Layout, placements.Count, null);

    /// <summary>
    /// The layout of placements the full validator made: a segment opens a new occurrence where its group or
    /// occurrence differs from the last one opened under the same parent (a new occurrence starts with its trigger).
    /// </summary>
    internal static StructureLayout Of(MessageStructure? structure, IReadOnlyList<SegmentPlacement> placements)
    {
        int count = placements.Count;
        int[] positions = new int[count];
        if (structure is null)
        {
            int[] none = new int[count * PlacementLayout.SegmentInts];
            for (int i = 0; i < count; i++)
            {
                none[i * PlacementLayout.SegmentInts] = -1;
                positions[i] = placements[i].PositionInMessage;
            }

            return new StructureLayout(null, none, count, positions);
        }

        CompiledStructure compiled = structure.Compiled;
        int groupBase = count * PlacementLayout.SegmentInts;
        int[] layout = new int[groupBase + (count * PlacementLayout.GroupInts)];
        int[] lastChild = new int[count + 1];
        int groups = 0;
        Span<int> chain = stackalloc int[Math.Max(compiled.MaxDepth, 1)];
        for (int p = 0; p < count; p++)
        {
            SegmentPlacement placement = placements[p];
            positions[p] = placement.PositionInMessage;
            layout[(p * PlacementLayout.SegmentInts) + 1] = placement.SegmentOccurrence;
            if (!placement.IsResolved)
            {
                layout[p * PlacementLayout.SegmentInts] = -1;
                continue;
            }

            int levels = 0;
            if (placement.GroupPath.Length > 0)
            {
                if (!compiled.ByPath.TryGetValue(placement.GroupPath, out int container))
                {
                    throw new InvalidOperationException($"Group path {placement.GroupPath} is not in the table {structure.Key}.");
                }

                for (; container > 0; container = compiled.Parents[container])
                {
                    chain[levels++] = container;
                }
            }

            int current = 0;
            for (int level = 0; level < levels; level++)
            {
                int container = chain[levels - 1 - level];
                int occurrence = placement.GroupOccurrences[level];
                int last = lastChild[current];
                int at = groupBase + ((last - 1) * PlacementLayout.GroupInts);
                if (last == 0 || layout[at] != container || layout[at + 2] != occurrence)
                {
                    groups++;
                    at = groupBase + ((groups - 1) * PlacementLayout.GroupInts);
                    layout[at] = container;
                    layout[at + 1] = current;
                    layout[at + 2] = occurrence;
                    lastChild[current] = groups;
                    last = groups;
                }

                current = last;
            }

            layout[p * PlacementLayout.SegmentInts] = current;
        }

        return new StructureLayout(compiled, layout[..(groupBase + (groups * PlacementLayout.GroupInts))], count, positions);
    }

    private int GroupAt(int group)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(group, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(group, GroupCount);
        return (segmentCount * PlacementLayout.SegmentInts) + ((group - 1) * PlacementLayout.GroupInts);
    }
}
