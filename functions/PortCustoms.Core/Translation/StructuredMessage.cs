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
    private List<EdifactDiagnostic>? _structureDiagnostics;

    private StructuredMessage(EdifactMessage message, StructureValidationResult structure, GroupInstance root)
    {
        Message = message;
        Structure = structure;
        Root = root;
    }

    public EdifactMessage Message { get; }

    public StructureValidationResult Structure { get; }

    /// <summary>The message level: segments outside any group, and the top-level groups.</summary>
    public GroupInstance Root { get; }

    /// <summary>The structure findings as diagnostics positioned in the file (formatted on first use).</summary>
    public IReadOnlyList<EdifactDiagnostic> StructureDiagnostics => _structureDiagnostics ??= StructureDiagnosticsFor(null);

    /// <summary>
    /// A new list of the structure findings as diagnostics, the text of each formatted only when
    /// <paramref name="keeps"/> says its code will be kept (null: all); the mapping adds its own after them.
    /// </summary>
    public List<EdifactDiagnostic> StructureDiagnosticsFor(Func<string, bool>? keeps)
    {
        var findings = Structure.Findings;
        var diagnostics = new List<EdifactDiagnostic>(findings.Count);
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            diagnostics.Add(ToDiagnostic(finding, Message, keeps is null || keeps(finding.Code)));
        }
        return diagnostics;
    }

    /// <summary>UNH S009 0052 and 0054 (<c>D96B</c>), read once by the message.</summary>
    public string Directory => Message.Directory;

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
        // The findings' texts are formatted when asked for (StructureDiagnosticsFor), so a report that drops them never does.
        return new StructuredMessage(message, result, BuildTree(result));
    }

    private static readonly StructureValidator Validator = new();

    internal static int SyntaxVersionOf(EdifactMessage message) =>
        int.TryParse(message.Interchange?.SyntaxVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version is >= 1 and <= 4 ? version : 3;

    internal static EdifactDiagnostic ToDiagnostic(StructureFinding finding, EdifactMessage message, bool withText = true)
    {
        // A missing segment is reported at the segment read in its place, or just past the last one.
        var index = Math.Clamp(finding.SegmentPosition, 1, message.Segments.Count) - 1;
        var segment = message.Segments[index];
        var position = MappingContext.PositionOf(segment, finding.Element, finding.Component);
        if (finding.SegmentPosition > message.Segments.Count)
        {
            position = position with { Segment = segment.Position.Segment + (finding.SegmentPosition - message.Segments.Count) };
        }
        var text = string.Empty;
        if (withText)
        {
            var where = finding.GroupPath.Length == 0 ? string.Empty : $" in {finding.GroupPath}";
            text = $"{Describe(finding.Code)}: {finding.SegmentTag}{where} ({message.MessageType} {message.MessageVersion}{message.MessageRelease}).";
        }
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
        // From the validator's layout (indexes, no placement object per segment): the occurrences in the order they
        // open, then one exact array of segment positions each. This runs for every message of a batch file.
        var layout = result.Layout;
        var groupCount = layout.GroupCount;
        var segmentCount = layout.SegmentCount;
        var owners = System.Buffers.ArrayPool<GroupInstance>.Shared.Rent(groupCount + 1);
        var children = System.Buffers.ArrayPool<int>.Shared.Rent(groupCount + 1);
        Array.Clear(children, 0, groupCount + 1);
        for (var g = 1; g <= groupCount; g++)
        {
            children[layout.ParentOf(g)]++;
        }
        owners[0] = root;
        root.ReserveGroups(children[0]);
        for (var g = 1; g <= groupCount; g++)
        {
            var parent = owners[layout.ParentOf(g)];
            var group = new GroupInstance(layout.NameOf(g), layout.TriggerOf(g), layout.OccurrenceOf(g), parent);
            group.ReserveGroups(children[g]);
            parent.AddGroup(group);
            owners[g] = group;
        }
        for (var s = 0; s < segmentCount; s++)
        {
            var g = layout.GroupOf(s);
            if (g >= 0)
            {
                owners[g].SegmentCount++;
            }
        }
        for (var s = 0; s < segmentCount; s++)
        {
            var g = layout.GroupOf(s);
            if (g < 0)
            {
                // Found no place in the table: in no group.
                continue;
            }
            var owner = owners[g];
            if (owner.Filled == 0)
            {
                owner.SegmentsList = new int[owner.SegmentCount];
            }
            owner.SegmentsList[owner.Filled++] = layout.PositionOf(s);
        }
        Array.Clear(owners, 0, groupCount + 1);
        System.Buffers.ArrayPool<GroupInstance>.Shared.Return(owners);
        System.Buffers.ArrayPool<int>.Shared.Return(children);
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

    /// <summary>Filled by BuildTree (an exact array); empty while none is placed in it.</summary>
    internal int[] SegmentsList { get; set; } = [];

    internal int SegmentCount { get; set; }

    internal int Filled { get; set; }

    /// <summary>The nested groups; null until the first (most occurrences nest none, and a list each would be garbage).</summary>
    internal List<GroupInstance>? GroupsList { get; private set; }

    internal void AddGroup(GroupInstance group) => (GroupsList ??= []).Add(group);

    /// <summary>Sizes the nested groups' list exactly when there will be any (none: no list).</summary>
    internal void ReserveGroups(int count)
    {
        if (count > 0)
        {
            GroupsList = new List<GroupInstance>(count);
        }
    }

    /// <summary>1-based positions in the message of the segments directly in this occurrence, in order.</summary>
    public IReadOnlyList<int> SegmentPositions => SegmentsList;

    public IReadOnlyList<GroupInstance> Groups => (IReadOnlyList<GroupInstance>?)GroupsList ?? [];

    /// <summary>The nested group occurrences (direct children) whose trigger is <paramref name="trigger"/>.</summary>
    public IEnumerable<GroupInstance> GroupsOf(string trigger) => Groups.Where(g => g.Trigger == trigger);

    /// <summary>The first nested group occurrence (direct child) whose trigger is <paramref name="trigger"/>; no enumerator.</summary>
    public GroupInstance? FirstGroupOf(string trigger)
    {
        if (GroupsList is { } groups)
        {
            foreach (var group in groups)
            {
                if (group.Trigger == trigger)
                {
                    return group;
                }
            }
        }
        return null;
    }

    /// <summary>How many nested group occurrences (direct children) have the trigger <paramref name="trigger"/>.</summary>
    public int CountGroupsOf(string trigger)
    {
        var count = 0;
        if (GroupsList is { } groups)
        {
            foreach (var group in groups)
            {
                if (group.Trigger == trigger)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /// <summary>Group occurrences at any depth below this one whose trigger is <paramref name="trigger"/>.</summary>
    public IEnumerable<GroupInstance> DescendantGroupsOf(string trigger)
    {
        foreach (var group in Groups)
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
