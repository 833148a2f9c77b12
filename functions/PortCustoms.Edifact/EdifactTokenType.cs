namespace PortCustoms.Edifact;

/// <summary>The kind of token the <see cref="EdifactReader"/> has just read.</summary>
/// <remarks>
/// Do not re-order: <see cref="None"/> must stay first so that <c>default</c> means "nothing read yet",
/// and the value-bearing kinds (<see cref="Element"/> to <see cref="Repetition"/>) are contiguous.
/// </remarks>
public enum EdifactTokenType : byte
{
    /// <summary>Nothing has been read yet.</summary>
    None = 0,

    /// <summary>The UNA service string advice; <see cref="EdifactReader.ValueSpan"/> holds its six characters.</summary>
    ServiceStringAdvice = 1,

    /// <summary>A segment tag such as <c>UNH</c>; starts a segment.</summary>
    SegmentTag = 2,

    /// <summary>The first component of a new data element (element index + 1, component 1). Empty elements still yield one.</summary>
    Element = 3,

    /// <summary>A further component of the current element (component index + 1).</summary>
    Component = 4,

    /// <summary>The first component of a repeated occurrence of the current element (ISO 9735 version 4).</summary>
    Repetition = 5,

    /// <summary>The segment terminator; ends a segment.</summary>
    SegmentTerminator = 6,
}
