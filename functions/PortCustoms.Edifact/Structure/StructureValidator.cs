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

    // Read and written whole by any thread: a stale value only costs a look-up.
    private LastLookup? lastLookup;

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
        return Validate(new StructureSegmentSource(message), syntaxVersion);
    }

    /// <summary>
    /// Validates a message as the reader materialised it, straight from its compact tables: the same findings and
    /// placements as validating its segments' <see cref="EdifactSegment.ToStructureSegment"/>, without building them.
    /// </summary>
    /// <param name="message">The message, UNH first.</param>
    /// <param name="syntaxVersion">The interchange's syntax version (UNB S001 0002), which defines UNH and UNT.</param>
    public StructureValidationResult Validate(EdifactMessage message, int syntaxVersion = 3)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckSyntaxVersion(syntaxVersion);
        EdifactSegment[] segments = message.SegmentArray;

        // Almost every message is valid: the compiled table checks it without a finding list, placement objects or
        // frames, and only a message with something to report goes the full way (which words and positions it).
        if (segments.Length > 0 && segments[0].Tag == "UNH")
        {
            EdifactSegment header = segments[0];
            ReadOnlySpan<char> type = header.GetSpan(2, 1);
            ReadOnlySpan<char> version = header.GetSpan(2, 2);
            ReadOnlySpan<char> release = header.GetSpan(2, 3);
            if (!type.IsEmpty && !version.IsEmpty && !release.IsEmpty
                && LookUp(type, version, release) is { } structure
                && FastStructureCheck.TryValidate(structure.Compiled, segments, syntaxVersion, out int[] layout))
            {
                return new StructureValidationResult(structure, message.Reference, new CompactPlacementList(structure.Compiled, segments, layout), []);
            }
        }

        return Validate(new EdifactSegmentSource(segments), syntaxVersion);
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
        return ValidateAgainst(structure, new StructureSegmentSource(message), syntaxVersion);
    }

    private StructureValidationResult Validate<TSource>(TSource message, int syntaxVersion)
        where TSource : struct, IStructureSource
    {
        CheckSyntaxVersion(syntaxVersion);
        var findings = new List<StructureFinding>();
        if (message.Count == 0 || message.Tag(0) != "UNH")
        {
            bool any = message.Count > 0;
            findings.Add(new StructureFinding(
                StructureFindingCodes.MissingSegment, StructureSeverity.Error, 1, "UNH", 0, 0, SyntaxErrorCode.Missing, string.Empty, any ? message.Line(0) : 0, any ? message.PositionInInterchange(0) : 0));
            return Unresolved(message, string.Empty, findings);
        }

        string reference = Value(message, 0, 0, 0);
        int s009 = message.Element(0, 1);
        ReadOnlySpan<char> type = message.Component(0, s009, 0);
        ReadOnlySpan<char> version = message.Component(0, s009, 1);
        ReadOnlySpan<char> release = message.Component(0, s009, 2);
        if (type.IsEmpty || version.IsEmpty || release.IsEmpty)
        {
            // The header itself says why: mandatory S009 components are missing.
            ElementChecker.Check(BuiltInTables.ServiceSegments(syntaxVersion)["UNH"], message, 0, string.Empty, findings);
            return Unresolved(message, reference, findings);
        }

        MessageStructure? structure = LookUp(type, version, release);
        if (structure is null)
        {
            string typeText = type.ToString();
            int component = !catalog.SupportsType(typeText) ? 1 : !catalog.SupportsVersion(typeText, version.ToString()) ? 2 : 3;
            findings.Add(new StructureFinding(
                StructureFindingCodes.UnsupportedMessage,
                StructureSeverity.Error,
                message.PositionInMessage(0),
                "UNH",
                Element: 2,
                component,
                SyntaxErrorCode.ValueNotSupportedInThisPosition,
                string.Empty,
                message.Line(0),
                message.PositionInInterchange(0)));
            return Unresolved(message, reference, findings);
        }

        return ValidateAgainst(structure, message, syntaxVersion, reference, findings);
    }

    /// <summary>The table of a UNH S009, or null when the catalog does not carry it.</summary>
    private MessageStructure? LookUp(ReadOnlySpan<char> type, ReadOnlySpan<char> version, ReadOnlySpan<char> release)
    {
        // A file holds one message type after another: the last table found is compared before anything is looked up.
        LastLookup? last = lastLookup;
        if (last is not null && type.SequenceEqual(last.Key.Type) && version.SequenceEqual(last.Key.Version) && release.SequenceEqual(last.Key.Release))
        {
            return last.Structure;
        }

        var key = new MessageKey(type.ToString(), version.ToString(), release.ToString());
        if (!catalog.TryGetStructure(key, out MessageStructure? found))
        {
            return null;
        }

        lastLookup = new LastLookup(key, found);
        return found;
    }

    private static StructureValidationResult ValidateAgainst<TSource>(MessageStructure structure, TSource message, int syntaxVersion, string? reference = null, List<StructureFinding>? findings = null)
        where TSource : struct, IStructureSource
    {
        IReadOnlyDictionary<string, SegmentDefinition> service = BuiltInTables.ServiceSegments(syntaxVersion);
        findings ??= [];
        var placements = new PlacementRecord[message.Count];
        var resolver = new GroupResolver(structure, findings);
        for (int i = 0; i < placements.Length; i++)
        {
            string tag = message.Tag(i);
            PlacementRecord placement = resolver.Place(new SegmentAt(tag, message.PositionInMessage(i), message.Line(i), message.PositionInInterchange(i)));
            placements[i] = placement;
            if (placement.SegmentOccurrence > 0 && TryGetDefinition(structure, service, tag, out SegmentDefinition? definition))
            {
                ElementChecker.Check(definition, message, i, placement.GroupPath, findings);
            }
        }

        int count = message.Count;
        SegmentAt last = count > 0 ? new SegmentAt(message.Tag(count - 1), message.PositionInMessage(count - 1), message.Line(count - 1), message.PositionInInterchange(count - 1)) : default;
        resolver.Finish(last.PositionInMessage + 1, last);

        reference ??= count > 0 && message.Tag(0) == "UNH" ? Value(message, 0, 0, 0) : string.Empty;
        return new StructureValidationResult(structure, reference, new PlacementList<TSource>(message, placements), InPositionOrder(findings));
    }

    /// <summary>
    /// Missing entries are found when the next segment arrives; CONTRL wants everything by position (segment, element,
    /// component), stably. Findings almost always arrive in that order already, so it is checked before anything is sorted.
    /// </summary>
    private static List<StructureFinding> InPositionOrder(List<StructureFinding> findings)
    {
        for (int i = 1; i < findings.Count; i++)
        {
            StructureFinding previous = findings[i - 1];
            StructureFinding current = findings[i];
            int order = previous.SegmentPosition != current.SegmentPosition ? previous.SegmentPosition.CompareTo(current.SegmentPosition)
                : previous.Element != current.Element ? previous.Element.CompareTo(current.Element)
                : previous.Component.CompareTo(current.Component);
            if (order > 0)
            {
                return [.. findings.OrderBy(f => f.SegmentPosition).ThenBy(f => f.Element).ThenBy(f => f.Component)];
            }
        }

        return findings;
    }

    private static string Value<TSource>(in TSource message, int segment, int element, int component)
        where TSource : struct, IStructureSource
    {
        ReadOnlySpan<char> value = message.Component(segment, message.Element(segment, element), component);
        return value.IsEmpty ? string.Empty : value.ToString();
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

    private static StructureValidationResult Unresolved<TSource>(TSource message, string reference, List<StructureFinding> findings)
        where TSource : struct, IStructureSource
    {
        var placements = new PlacementRecord[message.Count];
        placements.AsSpan().Fill(new PlacementRecord(string.Empty, [], 0));
        return new StructureValidationResult(null, reference, new PlacementList<TSource>(message, placements), findings);
    }

    /// <summary>The catalog's answer for one key.</summary>
    private sealed record LastLookup(MessageKey Key, MessageStructure Structure);
}
