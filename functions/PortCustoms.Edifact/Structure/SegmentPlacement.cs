using System.Text;

namespace PortCustoms.Edifact.Structure;

/// <summary>Where one segment of a message landed in its segment table.</summary>
public sealed class SegmentPlacement
{
    internal SegmentPlacement(StructureSegment segment, string groupPath, int[] groupOccurrences, int segmentOccurrence)
    {
        Segment = segment;
        GroupPath = groupPath;
        GroupOccurrences = groupOccurrences;
        SegmentOccurrence = segmentOccurrence;
    }

    /// <summary>The segment as given.</summary>
    public StructureSegment Segment { get; }

    /// <summary>True when the segment found a place in the table; false for an unexpected segment.</summary>
    public bool IsResolved => SegmentOccurrence > 0;

    /// <summary>The groups enclosing the segment, outermost first, e.g. <c>SG4/SG5/SG7</c>; empty at message level.</summary>
    public string GroupPath { get; }

    /// <summary>The 1-based occurrence of each group of <see cref="GroupPath"/> within its parent occurrence.</summary>
    public IReadOnlyList<int> GroupOccurrences { get; }

    /// <summary>The 1-based repetition of the segment within its group occurrence; 0 when unresolved.</summary>
    public int SegmentOccurrence { get; }

    /// <summary>The full path with occurrences, e.g. <c>SG4[1]/SG5[2]/RFF[1]</c>; <c>?/TAG</c> when unresolved.</summary>
    public override string ToString()
    {
        if (!IsResolved)
        {
            return "?/" + Segment.Tag;
        }

        var text = new StringBuilder();
        string[] groups = GroupPath.Length == 0 ? [] : GroupPath.Split('/');
        for (int i = 0; i < groups.Length; i++)
        {
            text.Append(groups[i]).Append('[').Append(GroupOccurrences[i]).Append("]/");
        }

        return text.Append(Segment.Tag).Append('[').Append(SegmentOccurrence).Append(']').ToString();
    }
}
