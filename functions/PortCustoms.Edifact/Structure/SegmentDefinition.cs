namespace PortCustoms.Edifact.Structure;

/// <summary>A component of a composite data element.</summary>
/// <param name="Id">The data element id, e.g. <c>8260</c>.</param>
/// <param name="IsMandatory">True when the directory marks it mandatory within its composite.</param>
/// <param name="Format">Its format.</param>
public sealed record ComponentDefinition(string Id, bool IsMandatory, DataElementFormat Format);

/// <summary>A data element position in a segment: a simple element (with a format) or a composite (with components).</summary>
public sealed class ElementDefinition
{
    private ElementDefinition(string id, bool isMandatory, DataElementFormat format, IReadOnlyList<ComponentDefinition> components)
    {
        Id = id;
        IsMandatory = isMandatory;
        Format = format;
        Components = components;
        ComponentArray = [.. components];
    }

    /// <summary>The element id: a 4-digit simple element id or a composite id such as <c>C237</c>.</summary>
    public string Id { get; }

    /// <summary>True when the element is mandatory in the segment.</summary>
    public bool IsMandatory { get; }

    /// <summary>True for a composite.</summary>
    public bool IsComposite => Components.Count > 0;

    /// <summary>The format of a simple element; <c>default</c> for a composite.</summary>
    public DataElementFormat Format { get; }

    /// <summary>The components of a composite; empty for a simple element.</summary>
    public IReadOnlyList<ComponentDefinition> Components { get; }

    /// <summary><see cref="Components"/> as an array: the element checker reads it for every segment.</summary>
    internal ComponentDefinition[] ComponentArray { get; }

    /// <summary>A simple data element.</summary>
    public static ElementDefinition Simple(string id, bool isMandatory, DataElementFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new ElementDefinition(id, isMandatory, format, []);
    }

    /// <summary>A composite data element.</summary>
    public static ElementDefinition Composite(string id, bool isMandatory, IReadOnlyList<ComponentDefinition> components)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0)
        {
            throw new ArgumentException("A composite has at least one component.", nameof(components));
        }

        return new ElementDefinition(id, isMandatory, default, components);
    }
}

/// <summary>A segment's data elements, from the directory's segments.xml.</summary>
public sealed class SegmentDefinition
{
    /// <summary>Creates a segment definition.</summary>
    public SegmentDefinition(string tag, IReadOnlyList<ElementDefinition> elements)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(elements);

        // ISO 9735 numbers a segment's elements 010..990; a materialised segment keeps no more (EdifactMessageData.MaxStoredElement).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elements.Count, EdifactMessageData.MaxStoredElement, nameof(elements));
        Tag = tag;
        Elements = elements;
        ElementArray = [.. elements];
    }

    /// <summary>The segment tag.</summary>
    public string Tag { get; }

    /// <summary>The data element positions in order.</summary>
    public IReadOnlyList<ElementDefinition> Elements { get; }

    /// <summary><see cref="Elements"/> as an array: the element checker reads it for every segment.</summary>
    internal ElementDefinition[] ElementArray { get; }
}
