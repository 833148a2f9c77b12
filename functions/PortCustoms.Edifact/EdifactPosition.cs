namespace PortCustoms.Edifact;

/// <summary>Where something is in an EDIFACT file: what CONTRL's UCS/UCD and <c>portcustoms validate</c> report.</summary>
/// <param name="Line">1-based line in the file.</param>
/// <param name="ByteOffset">0-based byte offset in the file.</param>
/// <param name="Segment">1-based segment index in the interchange, counted as UNT and UNZ count (UNB is 1; UNA is not a segment).</param>
/// <param name="Element">1-based data element position in the segment, or 0 for the segment as a whole.</param>
/// <param name="Component">1-based component position in the element, or 0 for the element as a whole.</param>
public readonly record struct EdifactPosition(long Line, long ByteOffset, int Segment, int Element, int Component)
{
    /// <summary>The same position narrowed to one element and component of its segment.</summary>
    public EdifactPosition At(int element, int component = 0) => this with { Element = element, Component = component };
}
