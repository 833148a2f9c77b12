namespace PortCustoms.Edifact.Structure;

/// <summary>
/// The segment table of one message type in one directory (segments, groups, status, repeats, nesting)
/// and the definitions of the segments it uses.
/// </summary>
public sealed class MessageStructure
{
    private readonly Dictionary<string, SegmentDefinition> segments;

    /// <summary>Creates a message structure.</summary>
    /// <param name="key">Type, version and release.</param>
    /// <param name="entries">The top-level entries of the segment table, UNH first and UNT last.</param>
    /// <param name="segments">Definitions of the segments the table uses (UNH and UNT come from the service directory).</param>
    public MessageStructure(MessageKey key, IReadOnlyList<StructureNode> entries, IEnumerable<SegmentDefinition> segments)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(segments);
        if (entries.Count < 2
            || entries[0] is not SegmentNode { Tag: "UNH" }
            || entries[^1] is not SegmentNode { Tag: "UNT" })
        {
            throw new ArgumentException("A segment table starts with UNH and ends with UNT.", nameof(entries));
        }

        Key = key;
        Entries = entries;
        this.segments = segments.ToDictionary(s => s.Tag, StringComparer.Ordinal);
    }

    /// <summary>Type, version and release.</summary>
    public MessageKey Key { get; }

    /// <summary>The top-level entries of the segment table.</summary>
    public IReadOnlyList<StructureNode> Entries { get; }

    /// <summary>Definitions of the segments of this directory used by the table, by tag.</summary>
    public IReadOnlyDictionary<string, SegmentDefinition> Segments => segments;

    /// <summary>The definition of a segment of this table, if the directory has one.</summary>
    public bool TryGetSegment(string tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SegmentDefinition? definition) =>
        segments.TryGetValue(tag, out definition);

    private CompiledStructure? _compiled;

    /// <summary>The table compiled for the validator's fast path, on first use (a race builds it twice, harmlessly).</summary>
    internal CompiledStructure Compiled => _compiled ??= CompiledStructure.Compile(this);
}
