using System.Runtime.InteropServices;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Xml;

/// <summary>
/// One finding in an XML document, in the shape of the EDIFACT findings (stable code, severity, text for people),
/// positioned by line and column (1-based; 0 when unknown, e.g. in a document being written) and an XPath of local
/// names with positions (<c>/CargoReport/Declaration[1]/Consignment[3]/TransportContractDocument[1]/ID[1]</c>).
/// </summary>
public sealed record XmlFinding(string Code, EdifactSeverity Severity, string Message, long Line, long Column, string XPath)
{
    /// <summary>
    /// Where the parser stopped: a refused DOCTYPE or a document that is not well-formed. DtdProcessing.Prohibit stops at
    /// the DOCTYPE itself, before any entity is declared or expanded; the runtime gives no code for it, and its (English,
    /// resource-invariant) message names the DTD.
    /// </summary>
    public static XmlFinding FromParser(System.Xml.XmlException exception, long line, long column, string xPath)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var dtd = exception.Message.Contains("DTD", StringComparison.Ordinal);
        return new XmlFinding(
            dtd ? XmlErrorCodes.DtdRefused : XmlErrorCodes.WellFormed,
            EdifactSeverity.Error,
            dtd ? "The document has a DOCTYPE: DTDs are refused (no external entities, no entity expansion)." : exception.Message,
            line,
            column,
            xPath);
    }
}

/// <summary>The stable codes of XML findings. Tests and tools use these, never the text.</summary>
public static class XmlErrorCodes
{
    /// <summary>Not well-formed XML (the parser stopped here).</summary>
    public const string WellFormed = "XML-WELLFORMED";

    /// <summary>The document has a DOCTYPE: refused before any entity is declared (no XXE, no entity expansion).</summary>
    public const string DtdRefused = "XML-DTD-REFUSED";

    /// <summary>The root element is none of ours (name or namespace): nothing to validate against.</summary>
    public const string UnknownRoot = "XML-SCHEMA-ROOT";

    /// <summary>An element where the schema allows none, or not this one (out of order, unknown, too many).</summary>
    public const string UnexpectedElement = "XML-SCHEMA-ELEMENT";

    /// <summary>An element ends before the schema's mandatory content (a missing child).</summary>
    public const string IncompleteContent = "XML-SCHEMA-CONTENT";

    /// <summary>A value its simple type refuses (pattern, length, enumeration, number, date).</summary>
    public const string InvalidValue = "XML-SCHEMA-VALUE";

    /// <summary>An attribute missing, not allowed, or with a value its type refuses.</summary>
    public const string InvalidAttribute = "XML-SCHEMA-ATTRIBUTE";

    /// <summary>Any other schema finding.</summary>
    public const string Schema = "XML-SCHEMA";

    /// <summary>A container number with a wrong ISO 6346 check digit (the schema checks only its shape).</summary>
    public const string ContainerNumber = "XML-VALUE-CONTAINER-NUMBER";

    /// <summary>
    /// (warning) A customs status code none of ours (RELEASED, HOLD, INSPECTION_REQUIRED, INSPECTION_COMPLETED): read as
    /// HOLD, counted and reported so it can be mapped; never dropped and never a release.
    /// </summary>
    public const string StatusUnmapped = "XML-VALUE-STATUS-UNMAPPED";

    /// <summary>(notifications) A response issued further in the future than the allowed clock skew: refused, a future release would outrank every real hold.</summary>
    public const string IssuedInFuture = "XML-RULE-ISSUED-IN-FUTURE";

    /// <summary>(notifications) A response id that cannot be stored, or that takes the prefix reserved for ids derived from EDIFACT.</summary>
    public const string NotificationId = "XML-RULE-NOTIFICATION-ID";

    /// <summary>
    /// A UN/LOCODE (loading, unloading, arrival or event location) not in the <c>un-locodes</c> list or not of its form:
    /// counted; a warning with the code kept as sent (<c>CodeLists:Unmapped = Hold</c>) or an error that rejects the message (Reject).
    /// </summary>
    public const string LocodeUnknown = "XML-VALUE-LOCODE-UNKNOWN";

    /// <summary>A package type (<c>Packaging/TypeCode</c>) not in the <c>package-types</c> list (UN/ECE Rec. 21): held or rejected as <see cref="LocodeUnknown"/>.</summary>
    public const string PackageTypeUnknown = "XML-VALUE-PACKAGE-TYPE-UNKNOWN";

    /// <summary>An ISO 6346 size-type no list of the deployment knows (held as a warning, or rejected, and counted).</summary>
    public const string SizeTypeUnknown = "XML-VALUE-SIZE-TYPE-UNKNOWN";

    /// <summary>An IMO number with a wrong check digit.</summary>
    public const string ImoNumber = "XML-VALUE-IMO-NUMBER";

    /// <summary>A value with characters XML cannot carry (control characters); written without them.</summary>
    public const string InvalidCharacter = "XML-VALUE-CHARACTER";

    /// <summary>One XML document carries one message kind; messages of another kind were not written.</summary>
    public const string MixedMessages = "XML-MIXED-MESSAGES";

    /// <summary>Nothing in the input could be written as this XML document.</summary>
    public const string NothingToWrite = "XML-NOTHING-TO-WRITE";
}

/// <summary>The first findings of each code with their positions, and an exact count of all (the EDIFACT engine's bound).</summary>
public sealed class XmlFindings
{
    private readonly List<XmlFinding> _listed = [];
    private readonly Dictionary<(string Code, EdifactSeverity Severity), (long Count, int Listed)> _tallies = [];
    private readonly int _maxPerCode;

    public XmlFindings(int maxPerCode = FindingCollection.DefaultMaxPerCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerCode, 1);
        _maxPerCode = maxPerCode;
    }

    public IReadOnlyList<XmlFinding> Listed => _listed;

    public long ErrorCount { get; private set; }

    public long Total { get; private set; }

    public IReadOnlyList<FindingCount> Counts =>
        [.. _tallies.OrderBy(t => t.Key.Code, StringComparer.Ordinal).ThenByDescending(t => t.Key.Severity).Select(t => new FindingCount(t.Key.Code, t.Key.Severity, t.Value.Count, t.Value.Listed))];

    public void Add(XmlFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, (finding.Code, finding.Severity), out _);
        tally.Count++;
        Total++;
        if (finding.Severity == EdifactSeverity.Error)
        {
            ErrorCount++;
        }
        if (tally.Listed < _maxPerCode)
        {
            tally.Listed++;
            _listed.Add(finding);
        }
    }
}

/// <summary>
/// The element path of a streamed document as XPath steps with positions, kept per depth so that positions cost no
/// allocation per element (names are the reader's atomised strings) and a path is built only for a finding.
/// </summary>
internal sealed class XPathTracker
{
    private readonly List<(string Name, int Index)> _frames = [];

    // Per depth: how many children of each name the element at that depth has had so far.
    private readonly List<List<(string Name, int Count)>> _childCounts = [[]];

    /// <summary>The position the next element of this name at <paramref name="depth"/> will get.</summary>
    public int NextIndex(int depth, string name)
    {
        if (depth >= _childCounts.Count)
        {
            return 1;
        }
        foreach (var (n, count) in _childCounts[depth])
        {
            if (ReferenceEquals(n, name) || n == name)
            {
                return count + 1;
            }
        }
        return 1;
    }

    /// <summary>An element starts at <paramref name="depth"/> (0 for the root).</summary>
    public void Start(int depth, string name)
    {
        if (_frames.Count > depth)
        {
            _frames.RemoveRange(depth, _frames.Count - depth);
        }
        while (_childCounts.Count <= depth + 1)
        {
            _childCounts.Add([]);
        }
        var counts = _childCounts[depth];
        var index = 1;
        var found = false;
        for (var i = 0; i < counts.Count; i++)
        {
            if (ReferenceEquals(counts[i].Name, name) || counts[i].Name == name)
            {
                index = counts[i].Count + 1;
                counts[i] = (counts[i].Name, index);
                found = true;
                break;
            }
        }
        if (!found)
        {
            counts.Add((name, 1));
        }
        _childCounts[depth + 1].Clear();
        _frames.Add((name, index));
    }

    public void Pop()
    {
        _frames.RemoveAt(_frames.Count - 1);
    }

    /// <summary>The path of the first <paramref name="depth"/> frames, plus an element about to start when named.</summary>
    public string PathTo(int depth, string? pendingName = null)
    {
        var builder = new System.Text.StringBuilder();
        var count = Math.Min(depth, _frames.Count);
        for (var i = 0; i < count; i++)
        {
            Append(builder, i, _frames[i].Name, _frames[i].Index);
        }
        if (pendingName is not null)
        {
            Append(builder, count, pendingName, NextIndex(count, pendingName));
        }
        return builder.Length == 0 ? "/" : builder.ToString();
    }

    private static void Append(System.Text.StringBuilder builder, int depth, string name, int index)
    {
        builder.Append('/').Append(name);
        // The root has no siblings: /CargoReport, then /CargoReport/Declaration[1].
        if (depth > 0)
        {
            builder.Append('[').Append(index).Append(']');
        }
    }
}
