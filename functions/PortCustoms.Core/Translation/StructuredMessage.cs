using System.Globalization;
using PortCustoms.Edifact;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Core.Translation;

/// <summary>
/// One EDIFACT message with the structure layer's group resolution applied: the segments arranged in the groups
/// <see cref="StructureValidator"/> placed them in. Mapping code asks for groups by their trigger segment
/// (<c>EQD</c>, <c>CNI</c>...), never by group number, because group numbers differ between directories.
/// </summary>
public sealed class StructuredMessage
{
    private StructuredMessage(EdifactMessage message, StructureValidationResult structure, GroupInstance root, IReadOnlyList<EdifactDiagnostic> structureDiagnostics)
    {
        Message = message;
        Structure = structure;
        Root = root;
        StructureDiagnostics = structureDiagnostics;
    }

    public EdifactMessage Message { get; }

    public StructureValidationResult Structure { get; }

    /// <summary>The message level: segments outside any group, and the top-level groups.</summary>
    public GroupInstance Root { get; }

    /// <summary>The structure findings as diagnostics positioned in the file.</summary>
    public IReadOnlyList<EdifactDiagnostic> StructureDiagnostics { get; }

    public string MessageType => Message.MessageType;

    public string Reference => Message.Reference;

    /// <summary>UNB 0020, or empty outside an interchange.</summary>
    public string InterchangeReference => Message.Interchange?.ControlReference ?? string.Empty;

    /// <summary>UNB S002 0004, or empty outside an interchange.</summary>
    public string Sender => Message.Interchange?.SenderIdentification ?? string.Empty;

    /// <summary>Validates the message's structure and arranges its segments by group.</summary>
    public static StructuredMessage Create(EdifactMessage message, StructureValidator? validator = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        validator ??= Validator;
        // Read straight from the message's compact tables: no StructureSegment or element strings per segment.
        var result = validator.Validate(message, SyntaxVersionOf(message));
        var diagnostics = new List<EdifactDiagnostic>(result.Findings.Count);
        foreach (var finding in result.Findings)
        {
            diagnostics.Add(ToDiagnostic(finding, message));
        }
        return new StructuredMessage(message, result, BuildTree(result), diagnostics);
    }

    private static readonly StructureValidator Validator = new();

    internal static int SyntaxVersionOf(EdifactMessage message) =>
        int.TryParse(message.Interchange?.SyntaxVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version is >= 1 and <= 4 ? version : 3;

    /// <summary>The neutral shape the structure layer reads (one pass over the elements, see <see cref="EdifactSegment.ToStructureSegment"/>).</summary>
    internal static StructureSegment ToStructureSegment(EdifactSegment segment, int positionInMessage) => segment.ToStructureSegment(positionInMessage);

    internal static EdifactDiagnostic ToDiagnostic(StructureFinding finding, EdifactMessage message)
    {
        // A missing segment is reported at the segment read in its place, or just past the last one.
        var index = Math.Clamp(finding.SegmentPosition, 1, message.Segments.Count) - 1;
        var segment = message.Segments[index];
        var position = MappingContext.PositionOf(segment, finding.Element, finding.Component);
        if (finding.SegmentPosition > message.Segments.Count)
        {
            position = position with { Segment = segment.Position.Segment + (finding.SegmentPosition - message.Segments.Count) };
        }
        var where = finding.GroupPath.Length == 0 ? string.Empty : $" in {finding.GroupPath}";
        var text = $"{Describe(finding.Code)}: {finding.SegmentTag}{where} ({message.MessageType} {message.MessageVersion}{message.MessageRelease}).";
        var severity = finding.Severity == StructureSeverity.Error ? EdifactSeverity.Error : EdifactSeverity.Warning;
        return new EdifactDiagnostic(finding.Code, severity, text, position, (int)finding.SyntaxError);
    }

    private static string Describe(string code) => code switch
    {
        StructureFindingCodes.UnsupportedMessage => "Message type, version or release not supported",
        StructureFindingCodes.UnexpectedSegment => "Segment not allowed here or out of order",
        StructureFindingCodes.MissingSegment => "Mandatory segment or group missing",
        StructureFindingCodes.TooManyRepeats => "Segment or group repeated too often",
        StructureFindingCodes.MissingElement => "Mandatory data element missing",
        StructureFindingCodes.ElementTooLong => "Data element too long",
        StructureFindingCodes.ElementTooShort => "Data element too short",
        StructureFindingCodes.ElementType => "Data element has characters its type forbids",
        StructureFindingCodes.TooManyElements => "Too many data elements",
        StructureFindingCodes.TooManyComponents => "Too many components",
        _ => "Structure finding",
    };

    private static GroupInstance BuildTree(StructureValidationResult result)
    {
        var root = new GroupInstance(string.Empty, string.Empty, 0, null);
        foreach (var placement in result.Placements)
        {
            if (!placement.IsResolved)
            {
                continue;
            }
            var current = root;
            // The path is walked in place (no Split per segment: this runs for every segment of every message).
            var path = placement.GroupPath.AsSpan();
            for (var level = 0; path.Length > 0; level++)
            {
                var slash = path.IndexOf('/');
                var name = slash < 0 ? path : path[..slash];
                path = slash < 0 ? [] : path[(slash + 1)..];
                var occurrence = placement.GroupOccurrences[level];
                var last = current.GroupsList.Count > 0 ? current.GroupsList[^1] : null;
                if (last is null || last.Occurrence != occurrence || !name.SequenceEqual(last.Name))
                {
                    // A new group occurrence always starts with its trigger (ISO 9735; the resolver enforces it).
                    last = new GroupInstance(name.ToString(), placement.Segment.Tag, occurrence, current);
                    current.GroupsList.Add(last);
                }
                current = last;
            }
            current.SegmentsList.Add(placement.Segment.PositionInMessage);
        }
        return root;
    }
}

/// <summary>One occurrence of a segment group (or the message level): its own segments and nested groups.</summary>
public sealed class GroupInstance
{
    internal GroupInstance(string name, string trigger, int occurrence, GroupInstance? parent)
    {
        Name = name;
        Trigger = trigger;
        Occurrence = occurrence;
        Parent = parent;
    }

    /// <summary>The group name in this directory (<c>SG5</c>), empty for the message level.</summary>
    public string Name { get; }

    /// <summary>The tag of the group's trigger segment (<c>EQD</c>); empty for the message level.</summary>
    public string Trigger { get; }

    public int Occurrence { get; }

    public GroupInstance? Parent { get; }

    internal List<int> SegmentsList { get; } = [];

    internal List<GroupInstance> GroupsList { get; } = [];

    /// <summary>1-based positions in the message of the segments directly in this occurrence, in order.</summary>
    public IReadOnlyList<int> SegmentPositions => SegmentsList;

    public IReadOnlyList<GroupInstance> Groups => GroupsList;

    /// <summary>The nested group occurrences (direct children) whose trigger is <paramref name="trigger"/>.</summary>
    public IEnumerable<GroupInstance> GroupsOf(string trigger) => GroupsList.Where(g => g.Trigger == trigger);

    /// <summary>Group occurrences at any depth below this one whose trigger is <paramref name="trigger"/>.</summary>
    public IEnumerable<GroupInstance> DescendantGroupsOf(string trigger)
    {
        foreach (var group in GroupsList)
        {
            if (group.Trigger == trigger)
            {
                yield return group;
            }
            foreach (var nested in group.DescendantGroupsOf(trigger))
            {
                yield return nested;
            }
        }
    }
}
