namespace PortCustoms.Edifact.Structure;

/// <summary>How bad a finding is.</summary>
public enum StructureSeverity
{
    /// <summary>The message breaks its published structure; a functional CONTRL rejects it.</summary>
    Error = 0,

    /// <summary>Worth reporting, not a reason to reject.</summary>
    Warning = 1,
}

/// <summary>
/// One structure or element finding, positioned exactly as CONTRL reports it:
/// segment position (UCS 0096), element and component (UCD S011), and the ISO 9735 0085 code.
/// </summary>
/// <param name="Code">A stable code from <see cref="StructureFindingCodes"/>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="SegmentPosition">1-based position in the message (UNH = 1) where the problem was found; for a
/// missing segment, the position of the segment read in its place (or one past the last segment at the end).</param>
/// <param name="SegmentTag">The tag concerned: the offending segment, or the missing one.</param>
/// <param name="Element">1-based data element position in the segment, or 0 for a segment-level finding.</param>
/// <param name="Component">1-based component position, or 0 when the whole element is concerned.</param>
/// <param name="SyntaxError">The ISO 9735 0085 code.</param>
/// <param name="GroupPath">Where in the table it happened, e.g. <c>SG2/SG3</c>; empty at message level.</param>
/// <param name="Line">Source line of the segment, or 0 when unknown.</param>
/// <param name="PositionInInterchange">Position of the segment in the interchange, or 0 when unknown.</param>
public readonly record struct StructureFinding(
    string Code,
    StructureSeverity Severity,
    int SegmentPosition,
    string SegmentTag,
    int Element,
    int Component,
    SyntaxErrorCode SyntaxError,
    string GroupPath,
    int Line,
    int PositionInInterchange);
