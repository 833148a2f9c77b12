using System.Text.Json;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Benchmarks.Edifact;

/// <summary>
/// Exports one message's segment table and segment/element definitions from the engine's own tables in the npm
/// package edifact's formats (a <c>Tracker</c> table; <c>Validator.define</c> definitions), so the npm side of
/// batch-bench.sh can run the same kind of job as <c>validate</c>: structure and element formats, not a bare parse.
/// npm's model is coarser than ours: a segment or composite "requires" its first k elements or components, so k is the
/// position of the last mandatory one; simple elements become one-component definitions. npm also counts an omitted
/// composite as one empty component, so it cannot ask for a conditional composite's mandatory components: a composite
/// conditional in any of the message's segments requires none (npm keys definitions by element id, not by use).
/// </summary>
internal static class NpmDefinitions
{
    public static int Write(string type, string version, string release, string directory)
    {
        if (!MessageStructureCatalog.Default.TryGetStructure(new MessageKey(type, version, release), out MessageStructure? structure))
        {
            Console.Error.WriteLine($"No table for {type} {version}{release}.");
            return 2;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "table.json"), JsonSerializer.Serialize(structure.Entries.Select(Node).ToList()));

        var definitions = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var conditional = structure.Segments.Values.SelectMany(s => s.Elements).Where(e => !e.IsMandatory).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (SegmentDefinition segment in structure.Segments.Values)
        {
            definitions[segment.Tag] = new { requires = LastMandatory(segment.Elements.Select(e => e.IsMandatory)), elements = segment.Elements.Select(e => e.Id).ToList() };
            foreach (ElementDefinition element in segment.Elements)
            {
                definitions[element.Id] = element.IsComposite
                    ? new { requires = conditional.Contains(element.Id) ? 0 : LastMandatory(element.Components.Select(c => c.IsMandatory)), components = element.Components.Select(c => Format(c.Format)).ToList() }
                    : new { requires = element.IsMandatory ? 1 : 0, components = new List<string> { Format(element.Format) } };
            }
        }

        File.WriteAllText(Path.Combine(directory, "definitions.json"), JsonSerializer.Serialize(definitions));
        Console.WriteLine($"npm definitions for {type} {version}{release}: {structure.Segments.Count} segments, {definitions.Count - structure.Segments.Count} elements");
        return 0;
    }

    private static object Node(StructureNode node) => node switch
    {
        SegmentNode segment => new { content = segment.Tag, mandatory = segment.IsMandatory, repetition = segment.MaxRepeats },
        GroupNode group => new { content = group.Children.Select(Node).ToList(), mandatory = group.IsMandatory, repetition = group.MaxRepeats },
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private static int LastMandatory(IEnumerable<bool> mandatory) => mandatory.Select((m, i) => m ? i + 1 : 0).DefaultIfEmpty(0).Max();

    // npm reads "an..35", "n3", "a..3"; fixed lengths are exact, ".." ones start at 0 (an empty component).
    private static string Format(DataElementFormat format) =>
        (format.Type switch { DataElementType.Alphabetic => "a", DataElementType.Numeric => "n", _ => "an" })
        + (format.IsFixedLength ? string.Empty : "..") + format.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
