using System.Text;

namespace PortCustoms.Edifact.Structure;

/// <summary>Where one segment of a message landed in its segment table.</summary>
public sealed class SegmentPlacement
{
    private readonly EdifactSegment? _source;
    private StructureSegment? _segment;

    internal SegmentPlacement(StructureSegment segment, string groupPath, int[] groupOccurrences, int segmentOccurrence)
    {
        _segment = segment;
        Tag = segment.Tag;
        PositionInMessage = segment.PositionInMessage;
        GroupPath = groupPath;
        GroupOccurrences = groupOccurrences;
        SegmentOccurrence = segmentOccurrence;
    }

    /// <summary>A placement of a segment the reader materialised: its <see cref="StructureSegment"/> is built only if asked for.</summary>
    internal SegmentPlacement(EdifactSegment segment, int positionInMessage, string groupPath, int[] groupOccurrences, int segmentOccurrence)
    {
        _source = segment;
        Tag = segment.Tag;
        PositionInMessage = positionInMessage;
        GroupPath = groupPath;
        GroupOccurrences = groupOccurrences;
        SegmentOccurrence = segmentOccurrence;
    }

    /// <summary>The segment as given.</summary>
    public StructureSegment Segment => _segment ??= _source!.ToStructureSegment(PositionInMessage);

    /// <summary>The segment's tag (what <see cref="Segment"/> would say, without building it).</summary>
    public string Tag { get; }

    /// <summary>The segment's 1-based position in the message, UNH being 1.</summary>
    public int PositionInMessage { get; }

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
            return "?/" + Tag;
        }

        var text = new StringBuilder();
        string[] groups = GroupPath.Length == 0 ? [] : GroupPath.Split('/');
        for (int i = 0; i < groups.Length; i++)
        {
            text.Append(groups[i]).Append('[').Append(GroupOccurrences[i]).Append("]/");
        }

        return text.Append(Tag).Append('[').Append(SegmentOccurrence).Append(']').ToString();
    }
}
