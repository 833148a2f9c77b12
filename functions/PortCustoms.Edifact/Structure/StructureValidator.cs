using System.Diagnostics.CodeAnalysis;
using PortCustoms.Edifact.Structure.Tables;

namespace PortCustoms.Edifact.Structure;

/// <summary>
/// Validates one message (UNH..UNT) against its segment table: group resolution, segment status and
/// repeats, then each placed segment's data elements. Findings are collected, never thrown, so one pass
/// gives the whole report and the CONTRL. Thread-safe.
/// </summary>
public sealed class StructureValidator
{
    private readonly MessageStructureCatalog catalog;

    /// <summary>Creates a validator over a catalog (the built-in one by default).</summary>
    public StructureValidator(MessageStructureCatalog? catalog = null)
    {
        this.catalog = catalog ?? MessageStructureCatalog.Default;
    }

    /// <summary>Looks the table up from UNH S009 and validates the message against it.</summary>
    /// <param name="message">The segments from UNH to UNT, in order.</param>
    /// <param name="syntaxVersion">The interchange's syntax version (UNB S001 0002), which defines UNH and UNT.</param>
    public StructureValidationResult Validate(IReadOnlyList<StructureSegment> message, int syntaxVersion = 3)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckSyntaxVersion(syntaxVersion);
        var findings = new List<StructureFinding>();
        if (message.Count == 0 || message[0].Tag != "UNH")
        {
            StructureSegment? first = message.Count > 0 ? message[0] : null;
            findings.Add(new StructureFinding(
                StructureFindingCodes.MissingSegment, StructureSeverity.Error, 1, "UNH", 0, 0, SyntaxErrorCode.Missing, string.Empty, first?.Line ?? 0, first?.PositionInInterchange ?? 0));
            return Unresolved(message, string.Empty, findings);
        }

        StructureSegment header = message[0];
        string reference = header.GetValue(1);
        string type = header.GetValue(2, 1);
        string version = header.GetValue(2, 2);
        string release = header.GetValue(2, 3);
        if (type.Length == 0 || version.Length == 0 || release.Length == 0)
        {
            // The header itself says why: mandatory S009 components are missing.
            ElementChecker.Check(BuiltInTables.ServiceSegments(syntaxVersion)["UNH"], header, string.Empty, findings);
            return Unresolved(message, reference, findings);
        }

        if (!catalog.TryGetStructure(new MessageKey(type, version, release), out MessageStructure? structure))
        {
            int component = !catalog.SupportsType(type) ? 1 : !catalog.SupportsVersion(type, version) ? 2 : 3;
            findings.Add(new StructureFinding(
                StructureFindingCodes.UnsupportedMessage,
                StructureSeverity.Error,
                header.PositionInMessage,
                "UNH",
                Element: 2,
                component,
                SyntaxErrorCode.ValueNotSupportedInThisPosition,
                string.Empty,
                header.Line,
                header.PositionInInterchange));
            return Unresolved(message, reference, findings);
        }

        return ValidateAgainst(structure, message, syntaxVersion);
    }

    /// <summary>Validates a message against a given table, whatever its UNH says.</summary>
    /// <param name="structure">The segment table.</param>
    /// <param name="message">The segments from UNH to UNT, in order.</param>
    /// <param name="syntaxVersion">The interchange's syntax version (UNB S001 0002), which defines UNH and UNT.</param>
    public static StructureValidationResult ValidateAgainst(MessageStructure structure, IReadOnlyList<StructureSegment> message, int syntaxVersion = 3)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(message);
        CheckSyntaxVersion(syntaxVersion);
        IReadOnlyDictionary<string, SegmentDefinition> service = BuiltInTables.ServiceSegments(syntaxVersion);
        var findings = new List<StructureFinding>();
        var placements = new SegmentPlacement[message.Count];
        var resolver = new GroupResolver(structure, findings);
        for (int i = 0; i < message.Count; i++)
        {
            StructureSegment segment = message[i];
            SegmentPlacement placement = resolver.Place(segment);
            placements[i] = placement;
            if (placement.IsResolved && TryGetDefinition(structure, service, segment.Tag, out SegmentDefinition? definition))
            {
                ElementChecker.Check(definition, segment, placement.GroupPath, findings);
            }
        }

        StructureSegment? last = message.Count > 0 ? message[^1] : null;
        resolver.Finish((last?.PositionInMessage ?? 0) + 1, last);

        // Missing entries are found when the next segment arrives; order everything by position for CONTRL.
        StructureFinding[] ordered = [.. findings.OrderBy(f => f.SegmentPosition).ThenBy(f => f.Element).ThenBy(f => f.Component)];
        string reference = message.Count > 0 && message[0].Tag == "UNH" ? message[0].GetValue(1) : string.Empty;
        return new StructureValidationResult(structure, reference, placements, ordered);
    }

    /// <summary>UNH and UNT follow the interchange's syntax version; every other segment, the message's directory.</summary>
    private static bool TryGetDefinition(
        MessageStructure structure,
        IReadOnlyDictionary<string, SegmentDefinition> service,
        string tag,
        [NotNullWhen(true)] out SegmentDefinition? definition) =>
        tag is "UNH" or "UNT" ? service.TryGetValue(tag, out definition) : structure.TryGetSegment(tag, out definition);

    private static void CheckSyntaxVersion(int syntaxVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(syntaxVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(syntaxVersion, 4);
    }

    private static StructureValidationResult Unresolved(IReadOnlyList<StructureSegment> message, string reference, List<StructureFinding> findings)
    {
        SegmentPlacement[] placements = [.. message.Select(s => new SegmentPlacement(s, string.Empty, [], 0))];
        return new StructureValidationResult(null, reference, placements, findings);
    }
}
