namespace PortCustoms.Edifact.Structure;

/// <summary>
/// One segment of a message as the structure layer sees it: already tokenised and unescaped,
/// so any reader (or a test) can feed it without this layer knowing about bytes or delimiters.
/// </summary>
public sealed class StructureSegment
{
    /// <summary>Creates a segment.</summary>
    /// <param name="tag">The segment tag, e.g. <c>EQD</c>; may be empty (<c>''</c> in the input is a segment without a
    /// tag, which the structure layer reports as unexpected rather than refusing to look at).</param>
    /// <param name="elements">Data elements in order; each is its list of component values (a simple element has one).</param>
    /// <param name="positionInMessage">1-based position counted as UNT counts (UNH is 1).</param>
    /// <param name="positionInInterchange">1-based position in the interchange, or 0 when unknown.</param>
    /// <param name="line">1-based line number in the source, or 0 when unknown.</param>
    public StructureSegment(
        string tag,
        IReadOnlyList<IReadOnlyList<string>> elements,
        int positionInMessage,
        int positionInInterchange = 0,
        int line = 0)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positionInMessage);
        ArgumentOutOfRangeException.ThrowIfNegative(positionInInterchange);
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        Tag = tag;
        Elements = elements;
        PositionInMessage = positionInMessage;
        PositionInInterchange = positionInInterchange;
        Line = line;
    }

    /// <summary>The segment tag.</summary>
    public string Tag { get; }

    /// <summary>Data elements in order, each a list of component values.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Elements { get; }

    /// <summary>1-based position in the message, UNH being 1 (what CONTRL's UCS 0096 reports).</summary>
    public int PositionInMessage { get; }

    /// <summary>1-based position in the interchange, or 0 when unknown.</summary>
    public int PositionInInterchange { get; }

    /// <summary>1-based source line, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The component value at 1-based element and component positions, or an empty string when absent.</summary>
    public string GetValue(int element, int component = 1)
    {
        if (element < 1 || element > Elements.Count)
        {
            return string.Empty;
        }

        IReadOnlyList<string> components = Elements[element - 1];
        return component < 1 || component > components.Count ? string.Empty : components[component - 1];
    }
}
