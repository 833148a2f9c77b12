using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Small hand-made tables for resolution cases the published tables do not show cleanly.</summary>
internal static class Synthetic
{
    public static MessageStructure Table(params StructureNode[] entries) =>
        new(new MessageKey("TEST", "D", "1"), entries, []);

    public static SegmentNode S(string tag, bool isMandatory, int maxRepeats) => new(tag, isMandatory, maxRepeats);

    public static GroupNode G(string name, bool isMandatory, int maxRepeats, params StructureNode[] children) =>
        new(name, isMandatory, maxRepeats, children);
}
