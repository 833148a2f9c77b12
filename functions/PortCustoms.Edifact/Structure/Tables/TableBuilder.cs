namespace PortCustoms.Edifact.Structure.Tables;

/// <summary>The short vocabulary the generated tables are written in, so they read like the directory's own tables.</summary>
internal static class TableBuilder
{
    /// <summary>Status M (mandatory).</summary>
    internal const bool M = true;

    /// <summary>Status C (conditional).</summary>
    internal const bool C = false;

    internal static SegmentNode S(string tag, bool isMandatory, int maxRepeats) => new(tag, isMandatory, maxRepeats);

    internal static GroupNode G(string name, bool isMandatory, int maxRepeats, params StructureNode[] children) =>
        new(name, isMandatory, maxRepeats, children);

    internal static SegmentDefinition Segment(string tag, params ElementDefinition[] elements) => new(tag, elements);

    internal static ElementDefinition Simple(string id, bool isMandatory, string format) =>
        ElementDefinition.Simple(id, isMandatory, DataElementFormat.Parse(format));

    internal static ElementDefinition Composite(string id, bool isMandatory, params ComponentDefinition[] components) =>
        ElementDefinition.Composite(id, isMandatory, components);

    internal static ComponentDefinition Component(string id, bool isMandatory, string format) =>
        new(id, isMandatory, DataElementFormat.Parse(format));
}
