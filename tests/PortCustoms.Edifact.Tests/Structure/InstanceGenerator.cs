using System.Globalization;
using CsCheck;
using PortCustoms.Edifact.Structure;
using PortCustoms.Edifact.Structure.Tables;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>One generated segment and what the generator meant by it.</summary>
/// <param name="Tag">The segment tag.</param>
/// <param name="Elements">Its element values.</param>
/// <param name="Path">Where it was generated, as <see cref="SegmentPlacement.ToString"/> writes it: <c>SG2[1]/SG3[2]/TMP[1]</c>.</param>
/// <param name="IsSoleMandatory">True when it is the only occurrence of a mandatory, non-trigger entry in its group occurrence:
/// removing it must leave that entry missing.</param>
internal sealed record GeneratedSegment(string Tag, IReadOnlyList<IReadOnlyList<string>> Elements, string Path, bool IsSoleMandatory);

/// <summary>Builds valid message instances from a segment table: a minimal one, and random ones for property tests.</summary>
internal static class InstanceGenerator
{
    /// <summary>The shortest valid instance: every mandatory entry once, mandatory elements only.</summary>
    public static List<StructureSegment> Minimal(MessageStructure structure) => ToMessage(structure, MinimalSegments(structure));

    public static List<GeneratedSegment> MinimalSegments(MessageStructure structure)
    {
        var generated = new List<GeneratedSegment>();
        foreach (StructureNode node in structure.Entries)
        {
            if (node.IsMandatory)
            {
                AddMinimal(structure, node, string.Empty, generated);
            }
        }

        return generated;
    }

    /// <summary>Random valid instances: each entry occurs within its status and (capped) repeats; optional elements vary.</summary>
    public static Gen<GeneratedSegment[]> Random(MessageStructure structure) =>
        Sequence(structure, structure.Entries, isGroup: false);

    public static List<StructureSegment> ToMessage(MessageStructure structure, IReadOnlyList<GeneratedSegment> generated)
    {
        var message = new List<StructureSegment>(generated.Count);
        for (int i = 0; i < generated.Count; i++)
        {
            GeneratedSegment segment = generated[i];
            IReadOnlyList<IReadOnlyList<string>> elements = segment.Tag switch
            {
                "UNH" => [["1"], [structure.Key.Type, structure.Key.Version, structure.Key.Release, "UN"]],
                "UNT" => [[generated.Count.ToString(CultureInfo.InvariantCulture)], ["1"]],
                _ => segment.Elements,
            };
            message.Add(new StructureSegment(segment.Tag, elements, i + 1));
        }

        return message;
    }

    private static void AddMinimal(MessageStructure structure, StructureNode node, string path, List<GeneratedSegment> generated)
    {
        if (node is GroupNode group)
        {
            string groupPath = $"{path}{group.Name}[1]/";
            generated.Add(new GeneratedSegment(group.TriggerTag, MinimalElements(structure, group.TriggerTag), $"{groupPath}{group.TriggerTag}[1]", false));
            foreach (StructureNode child in group.Children.Skip(1).Where(c => c.IsMandatory))
            {
                AddMinimal(structure, child, groupPath, generated);
            }
        }
        else
        {
            string tag = ((SegmentNode)node).Tag;
            generated.Add(new GeneratedSegment(tag, MinimalElements(structure, tag), $"{path}{tag}[1]", true));
        }
    }

    private static IReadOnlyList<IReadOnlyList<string>> MinimalElements(MessageStructure structure, string tag)
    {
        if (!structure.TryGetSegment(tag, out SegmentDefinition? definition))
        {
            return [];
        }

        return [.. definition.Elements.Select(e => e.IsComposite
            ? (IReadOnlyList<string>)[.. e.Components.Select((c, i) => e.IsMandatory && IsRequired(e, c, i) ? ValidValue(c.Format) : string.Empty)]
            : [e.IsMandatory ? ValidValue(e.Format) : string.Empty])];
    }

    /// <summary>A present composite needs some content: its mandatory components, else its first one.</summary>
    private static bool IsRequired(ElementDefinition element, ComponentDefinition component, int index) =>
        component.IsMandatory || (index == 0 && !element.Components.Any(c => c.IsMandatory));

    private static string ValidValue(DataElementFormat format) => new(format.Type == DataElementType.Numeric ? '7' : 'X', format.MinLength);

    private static Gen<GeneratedSegment[]> Sequence(MessageStructure structure, IReadOnlyList<StructureNode> entries, bool isGroup)
    {
        Gen<GeneratedSegment[]> sequence = Gen.Const(Array.Empty<GeneratedSegment>());
        for (int i = 0; i < entries.Count; i++)
        {
            StructureNode node = entries[i];
            bool isTrigger = isGroup && i == 0;
            Gen<GeneratedSegment[]> entry = Entry(structure, node, isTrigger);
            sequence = sequence.SelectMany(before => entry.Select(after => (GeneratedSegment[])[.. before, .. after]));
        }

        return sequence;
    }

    /// <summary>The occurrences of one entry, with paths relative to the entry's group (the caller prefixes its own).</summary>
    private static Gen<GeneratedSegment[]> Entry(MessageStructure structure, StructureNode node, bool isTrigger)
    {
        // Caps keep instances small; the resolver's repeat logic is exercised by the unit tests.
        int min = node.IsMandatory ? 1 : 0;
        int max = Math.Min(node.MaxRepeats, node is GroupNode ? 2 : 3);
        Gen<int> count = Gen.Int[min, max];
        if (node is GroupNode group)
        {
            Gen<GeneratedSegment[]> occurrence = Sequence(structure, group.Children, isGroup: true);
            return count.SelectMany(n => occurrence.Array[n]).Select(occurrences => occurrences
                .SelectMany((segments, i) => segments.Select(s => s with { Path = $"{group.Name}[{i + 1}]/{s.Path}" }))
                .ToArray());
        }

        string tag = ((SegmentNode)node).Tag;
        Gen<IReadOnlyList<IReadOnlyList<string>>> elements = Elements(structure, tag);
        return count.SelectMany(n => elements.Array[n].Select(all => all
            .Select((e, i) => new GeneratedSegment(tag, e, $"{tag}[{i + 1}]", node.IsMandatory && !isTrigger && n == 1))
            .ToArray()));
    }

    private static Gen<IReadOnlyList<IReadOnlyList<string>>> Elements(MessageStructure structure, string tag)
    {
        if (!structure.TryGetSegment(tag, out SegmentDefinition? definition))
        {
            return Gen.Const<IReadOnlyList<IReadOnlyList<string>>>([]);
        }

        Gen<IReadOnlyList<IReadOnlyList<string>>> all = Gen.Const<IReadOnlyList<IReadOnlyList<string>>>([]);
        foreach (ElementDefinition element in definition.Elements)
        {
            Gen<IReadOnlyList<string>> one = element.IsComposite
                ? Composite(element)
                : Value(element.Format, element.IsMandatory).Select(v => (IReadOnlyList<string>)[v]);
            all = all.SelectMany(before => one.Select(e => (IReadOnlyList<IReadOnlyList<string>>)[.. before, e]));
        }

        return all;
    }

    private static Gen<IReadOnlyList<string>> Composite(ElementDefinition element)
    {
        Gen<IReadOnlyList<string>> components = Gen.Const<IReadOnlyList<string>>([]);
        for (int i = 0; i < element.Components.Count; i++)
        {
            ComponentDefinition component = element.Components[i];
            Gen<string> value = Value(component.Format, IsRequired(element, component, i));
            components = components.SelectMany(before => value.Select(v => (IReadOnlyList<string>)[.. before, v]));
        }

        // An absent conditional composite is all empty; a present one has its mandatory components.
        return element.IsMandatory
            ? components
            : Gen.Bool.SelectMany(present => present ? components : Gen.Const<IReadOnlyList<string>>([]));
    }

    private static Gen<string> Value(DataElementFormat format, bool isMandatory)
    {
        Gen<char> character = format.Type switch
        {
            DataElementType.Numeric => Gen.Char['0', '9'],
            DataElementType.Alphabetic => Gen.Char['A', 'Z'],
            _ => Gen.Char.AlphaNumeric,
        };
        int longest = format.IsFixedLength ? format.MaxLength : Math.Min(format.MaxLength, 6);
        Gen<string> value = Gen.String[character, format.MinLength, longest];
        return isMandatory ? value : Gen.Bool.SelectMany(present => present ? value : Gen.Const(string.Empty));
    }

}
