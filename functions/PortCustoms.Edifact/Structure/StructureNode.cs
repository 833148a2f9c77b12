namespace PortCustoms.Edifact.Structure;

/// <summary>An entry of a message's segment table: a segment or a segment group, with its status and repeats.</summary>
public abstract class StructureNode
{
    private protected StructureNode(bool isMandatory, int maxRepeats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRepeats);
        IsMandatory = isMandatory;
        MaxRepeats = maxRepeats;
    }

    /// <summary>True for status M, false for C.</summary>
    public bool IsMandatory { get; }

    /// <summary>The maximum number of occurrences in one occurrence of the enclosing group.</summary>
    public int MaxRepeats { get; }

    /// <summary>The segment tag, or for a group the tag of its trigger (first) segment.</summary>
    public abstract string TriggerTag { get; }

    /// <summary><see cref="TriggerTag"/> as a field: the group resolver compares it for every segment.</summary>
    internal string Trigger { get; private protected set; } = string.Empty;
}

/// <summary>A segment entry of a segment table.</summary>
public sealed class SegmentNode : StructureNode
{
    /// <summary>Creates a segment entry.</summary>
    public SegmentNode(string tag, bool isMandatory, int maxRepeats)
        : base(isMandatory, maxRepeats)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        Tag = tag;
        Trigger = tag;
    }

    /// <summary>The segment tag.</summary>
    public string Tag { get; }

    /// <inheritdoc/>
    public override string TriggerTag => Tag;
}

/// <summary>A segment group: its first entry is the trigger segment, mandatory and not repeated.</summary>
public sealed class GroupNode : StructureNode
{
    /// <summary>Creates a segment group.</summary>
    /// <exception cref="ArgumentException">The group is empty or does not start with a mandatory, non-repeating segment.</exception>
    public GroupNode(string name, bool isMandatory, int maxRepeats, IReadOnlyList<StructureNode> children)
        : base(isMandatory, maxRepeats)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(children);

        // Group resolution relies on this ISO 9735 rule: a group is entered only through its trigger segment.
        if (children.Count == 0 || children[0] is not SegmentNode { IsMandatory: true, MaxRepeats: 1 })
        {
            throw new ArgumentException($"Group {name} must start with a mandatory, non-repeating trigger segment.", nameof(children));
        }

        Name = name;
        Children = children;
        Trigger = ((SegmentNode)children[0]).Tag;
    }

    /// <summary>The group name, e.g. <c>SG2</c>.</summary>
    public string Name { get; }

    // The last path built under a parent path: a group sits at one place in its table, so this is built once per table.
    private PathUnderParent? _path;

    /// <summary>The group's path under its parent's (<c>SG4/SG5</c>), the same string every time it is asked for.</summary>
    internal string PathUnder(string parentPath)
    {
        PathUnderParent? cached = _path;
        if (cached is not null && string.Equals(cached.Parent, parentPath, StringComparison.Ordinal))
        {
            return cached.Path;
        }

        string path = parentPath.Length == 0 ? Name : parentPath + "/" + Name;
        _path = new PathUnderParent(parentPath, path);
        return path;
    }

    /// <summary>The entries of the group in table order.</summary>
    public IReadOnlyList<StructureNode> Children { get; }

    /// <inheritdoc/>
    public override string TriggerTag => ((SegmentNode)Children[0]).Tag;
}

/// <summary>A group's path cached with the parent path it was built under.</summary>
internal sealed record PathUnderParent(string Parent, string Path);
