using PortCustoms.Edifact.Structure.Tables;

namespace PortCustoms.Edifact.Structure;

/// <summary>
/// A segment table compiled for the valid-message fast path (<see cref="FastStructureCheck"/>): tags as small ints
/// (a hash of the three tag characters), every group's entries in flat arrays, and each segment's element and
/// component formats as plain structs. Built once per table, immutable afterwards, shared by every thread.
/// </summary>
internal sealed class CompiledStructure
{
    // Open addressing on the packed tag (3 ASCII characters), at most a quarter full; 0 marks a free slot. Other tags go to oddTags.
    private readonly int[] tagKeys;
    private readonly int[] tagIds;
    private readonly int tagMask;
    private readonly int tagShift;
    private readonly Dictionary<string, int> oddTags = new(StringComparer.Ordinal);

    private CompiledStructure(MessageStructure structure)
    {
        var tags = new List<string>();
        var containers = new List<(IReadOnlyList<StructureNode> Children, string Path, GroupNode? Group, int Parent)>();
        var slotTag = new List<int>();
        var slotMax = new List<int>();
        var slotGroup = new List<int>();
        var mandatory = new List<int>();
        var childStart = new List<int>();
        var childCount = new List<int>();
        var mandatoryStart = new List<int>();
        int maxDepth = 0;

        // Breadth-first: a container's slots are contiguous; a group slot names the container of its entries.
        containers.Add((structure.Entries, string.Empty, null, -1));
        var depths = new List<int> { 1 };
        for (int c = 0; c < containers.Count; c++)
        {
            (IReadOnlyList<StructureNode> children, string path, _, _) = containers[c];
            maxDepth = Math.Max(maxDepth, depths[c]);
            childStart.Add(slotTag.Count);
            childCount.Add(children.Count);
            mandatoryStart.Add(mandatory.Count);
            int seen = 0;
            mandatory.Add(0);
            foreach (StructureNode node in children)
            {
                slotTag.Add(IdOf(node.Trigger, tags));
                slotMax.Add(node.MaxRepeats);
                if (node is GroupNode group)
                {
                    slotGroup.Add(containers.Count);
                    containers.Add((group.Children, group.PathUnder(path), group, c));
                    depths.Add(depths[c] + 1);
                }
                else
                {
                    slotGroup.Add(-1);
                }

                seen += node.IsMandatory ? 1 : 0;
                mandatory.Add(seen);
            }
        }

        SlotTag = [.. slotTag];
        SlotMax = [.. slotMax];
        SlotGroup = [.. slotGroup];
        MandatoryBefore = [.. mandatory];
        ChildStart = [.. childStart];
        ChildCount = [.. childCount];
        MandatoryStart = [.. mandatoryStart];
        Paths = [.. containers.Select(c => c.Path)];
        Names = [.. containers.Select(c => c.Group?.Name ?? string.Empty)];
        Triggers = [.. containers.Select(c => c.Group?.Trigger ?? string.Empty)];
        Parents = [.. containers.Select(c => c.Parent)];
        ByPath = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < containers.Count; c++)
        {
            // A hand-made table may name two sibling groups alike: the first keeps the path (the layout of the full
            // validator's placements goes by path), compiling never fails.
            ByPath.TryAdd(containers[c].Path, c);
        }
        MaxDepth = maxDepth;
        TagCount = tags.Count;

        int size = (int)Math.Max(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)tags.Count * 4));
        tagKeys = new int[size];
        tagIds = new int[size];
        tagMask = size - 1;
        tagShift = 32 - System.Numerics.BitOperations.Log2((uint)size);
        for (int id = 0; id < tags.Count; id++)
        {
            string tag = tags[id];
            int key = Pack(tag);
            if (key == 0)
            {
                oddTags[tag] = id;
                continue;
            }

            int at = Slot(key);
            while (tagKeys[at] != 0)
            {
                at = (at + 1) & tagMask;
            }

            tagKeys[at] = key;
            tagIds[at] = id;
        }

        // UNH and UNT follow the interchange's syntax version; every other segment, the message's directory.
        SegmentSpecs3 = new SegmentSpec?[tags.Count];
        SegmentSpecs4 = new SegmentSpec?[tags.Count];
        for (int id = 0; id < tags.Count; id++)
        {
            string tag = tags[id];
            if (tag is "UNH" or "UNT")
            {
                SegmentSpecs3[id] = BuiltInTables.ServiceSegments(3).TryGetValue(tag, out SegmentDefinition? v3) ? SegmentSpec.Of(v3) : null;
                SegmentSpecs4[id] = BuiltInTables.ServiceSegments(4).TryGetValue(tag, out SegmentDefinition? v4) ? SegmentSpec.Of(v4) : null;
            }
            else
            {
                SegmentSpecs3[id] = SegmentSpecs4[id] = structure.TryGetSegment(tag, out SegmentDefinition? definition) ? SegmentSpec.Of(definition) : null;
            }
        }
    }

    /// <summary>Per slot (entry of a container): its trigger's tag id.</summary>
    internal int[] SlotTag { get; }

    internal int[] SlotMax { get; }

    /// <summary>Per slot: the container of the group's entries, or -1 for a segment.</summary>
    internal int[] SlotGroup { get; }

    /// <summary>Per container, from <see cref="MandatoryStart"/>: mandatory entries before each entry index (one more than entries).</summary>
    internal int[] MandatoryBefore { get; }

    internal int[] ChildStart { get; }

    internal int[] ChildCount { get; }

    internal int[] MandatoryStart { get; }

    /// <summary>Per container: the group path (<c>SG4/SG5</c>; empty for the message level), the table's own strings.</summary>
    internal string[] Paths { get; }

    /// <summary>Per container: the group's name (<c>SG5</c>) and its trigger's tag; empty for the message level.</summary>
    internal string[] Names { get; }

    internal string[] Triggers { get; }

    /// <summary>Per container: the enclosing container, -1 for the message level.</summary>
    internal int[] Parents { get; }

    /// <summary>The container of each group path.</summary>
    internal Dictionary<string, int> ByPath { get; }

    /// <summary>The deepest nesting, the message level being 1.</summary>
    internal int MaxDepth { get; }

    internal int TagCount { get; }

    internal SegmentSpec?[] SegmentSpecs3 { get; }

    internal SegmentSpec?[] SegmentSpecs4 { get; }

    internal static CompiledStructure Compile(MessageStructure structure) => new(structure);

    /// <summary>The tag's id in this table, or -1 when no entry has it (the segment is unexpected anywhere).</summary>
    internal int TagId(string tag)
    {
        int key = Pack(tag);
        if (key == 0)
        {
            return oddTags.TryGetValue(tag, out int odd) ? odd : -1;
        }

        int at = Slot(key);
        while (true)
        {
            int found = tagKeys[at];
            if (found == key)
            {
                return tagIds[at];
            }

            if (found == 0)
            {
                return -1;
            }

            at = (at + 1) & tagMask;
        }
    }

    /// <summary>True when a mandatory entry lies in [from, to) of a container.</summary>
    internal bool AnyMandatory(int container, int from, int to)
    {
        int start = MandatoryStart[container];
        return from < to && MandatoryBefore[start + to] != MandatoryBefore[start + from];
    }

    private static int Pack(string tag)
    {
        if (tag.Length != 3)
        {
            return 0;
        }

        int a = tag[0];
        int b = tag[1];
        int c = tag[2];
        return ((a | b | c) & ~0x7F) != 0 || (a | b | c) == 0 ? 0 : a | (b << 8) | (c << 16);
    }

    private int Slot(int key) => (int)(((uint)key * 0x9E3779B1u) >> tagShift);

    private static int IdOf(string tag, List<string> tags)
    {
        int id = tags.IndexOf(tag);
        if (id < 0)
        {
            id = tags.Count;
            tags.Add(tag);
        }

        return id;
    }
}

/// <summary>A segment's data elements as plain structs, in directory order.</summary>
internal sealed class SegmentSpec
{
    private SegmentSpec(ElementSpec[] elements, ValueSpec[] components)
    {
        Elements = elements;
        Components = components;
    }

    internal ElementSpec[] Elements { get; }

    /// <summary>Every composite's components, each composite's contiguous.</summary>
    internal ValueSpec[] Components { get; }

    internal static SegmentSpec Of(SegmentDefinition definition)
    {
        var elements = new ElementSpec[definition.ElementArray.Length];
        var components = new List<ValueSpec>();
        for (int e = 0; e < elements.Length; e++)
        {
            ElementDefinition element = definition.ElementArray[e];
            ComponentDefinition[] parts = element.ComponentArray;
            elements[e] = new ElementSpec(element.IsMandatory, ValueSpec.Of(element.IsMandatory, element.Format), components.Count, parts.Length);
            foreach (ComponentDefinition part in parts)
            {
                components.Add(ValueSpec.Of(part.IsMandatory, part.Format));
            }
        }

        return new SegmentSpec(elements, [.. components]);
    }
}

/// <summary>A data element position: a simple element's format, or where its components' formats are.</summary>
internal readonly record struct ElementSpec(bool IsMandatory, ValueSpec Value, int FirstComponent, int ComponentCount);

/// <summary>One value's status and format.</summary>
internal readonly record struct ValueSpec(bool IsMandatory, DataElementType Type, int MinLength, int MaxLength)
{
    internal static ValueSpec Of(bool isMandatory, DataElementFormat format) => new(isMandatory, format.Type, format.MinLength, format.MaxLength);

    /// <summary>True when <see cref="ElementChecker"/> would find nothing wrong with the (non-empty) value.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool Accepts(ReadOnlySpan<char> value) =>
        Type == DataElementType.Alphanumeric
            ? (uint)(value.Length - MinLength) <= (uint)(MaxLength - MinLength)
            : AcceptsTyped(value);

    private bool AcceptsTyped(ReadOnlySpan<char> value)
    {
        (SyntaxErrorCode error, int length) = ElementChecker.Measure(value, Type);
        return error == SyntaxErrorCode.None && length <= MaxLength && length >= MinLength;
    }
}
