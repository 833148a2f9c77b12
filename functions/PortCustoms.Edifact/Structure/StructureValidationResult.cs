namespace PortCustoms.Edifact.Structure;

/// <summary>The outcome of validating one message (UNH..UNT) against its segment table.</summary>
public sealed class StructureValidationResult
{
    internal StructureValidationResult(
        MessageStructure? structure,
        string messageReference,
        IReadOnlyList<SegmentPlacement> placements,
        IReadOnlyList<StructureFinding> findings)
    {
        Structure = structure;
        MessageReference = messageReference;
        Placements = placements;
        Findings = findings;
    }

    /// <summary>The table used, or null when the message type is unsupported or UNH is unusable.</summary>
    public MessageStructure? Structure { get; }

    /// <summary>UNH 0062, or empty when absent.</summary>
    public string MessageReference { get; }

    /// <summary>One placement per input segment, in input order.</summary>
    public IReadOnlyList<SegmentPlacement> Placements { get; }

    private StructureLayout? _layout;

    /// <summary>The placements as indexes (group occurrences and the occurrence each segment sits in), made once.</summary>
    public StructureLayout Layout => _layout ??= Placements is CompactPlacementList compact ? StructureLayout.Of(compact) : StructureLayout.Of(Structure, Placements);

    /// <summary>All findings, ordered by segment position.</summary>
    public IReadOnlyList<StructureFinding> Findings { get; }

    /// <summary>True when any finding is an error: a functional acknowledgement rejects the message.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == StructureSeverity.Error);
}
