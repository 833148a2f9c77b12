namespace PortCustoms.Edifact;

/// <summary>The interchange header (UNB) a message arrived in, plus the syntax it was read with.</summary>
public sealed class EdifactInterchangeHeader
{
    internal EdifactInterchangeHeader(EdifactSegment unb, EdifactDelimiters delimiters, EdifactCharacterSet characterSet)
    {
        Segment = unb;
        Delimiters = delimiters;
        CharacterSet = characterSet;
    }

    /// <summary>The UNB segment itself.</summary>
    public EdifactSegment Segment { get; }

    public EdifactDelimiters Delimiters { get; }

    public EdifactCharacterSet CharacterSet { get; }

    /// <summary>S001/0001, e.g. <c>UNOC</c>.</summary>
    public string SyntaxIdentifier => Segment.GetValue(1, 1);

    /// <summary>S001/0002, e.g. <c>3</c>.</summary>
    public string SyntaxVersion => Segment.GetValue(1, 2);

    /// <summary>S002/0004 and its code qualifier 0007.</summary>
    public string SenderIdentification => Segment.GetValue(2, 1);

    public string SenderQualifier => Segment.GetValue(2, 2);

    /// <summary>S003/0010 and its code qualifier 0007.</summary>
    public string RecipientIdentification => Segment.GetValue(3, 1);

    public string RecipientQualifier => Segment.GetValue(3, 2);

    /// <summary>S004/0017 (YYMMDD or CCYYMMDD) and 0019 (HHMM).</summary>
    public string Date => Segment.GetValue(4, 1);

    public string Time => Segment.GetValue(4, 2);

    /// <summary>0020, repeated by UNZ.</summary>
    public string ControlReference => Segment.GetValue(5);

    /// <summary>0026 application reference.</summary>
    public string ApplicationReference => Segment.GetValue(7);

    /// <summary>0035 test indicator (<c>1</c> for a test interchange).</summary>
    public string TestIndicator => Segment.GetValue(11);
}

/// <summary>The functional group header (UNG) a message arrived in.</summary>
public sealed class EdifactGroupHeader
{
    internal EdifactGroupHeader(EdifactSegment ung) => Segment = ung;

    public EdifactSegment Segment { get; }

    /// <summary>0038 message group identification.</summary>
    public string GroupIdentification => Segment.GetValue(1);

    /// <summary>0048, repeated by UNE.</summary>
    public string GroupReference => Segment.GetValue(5);
}

/// <summary>One message, UNH to UNT, with its envelope context: what the structure and mapping layers consume.</summary>
/// <remarks>
/// A message read from a stream holds its tables in arrays rented from a pool. A consumer that is done with it (and
/// kept nothing that reads it: no segment, element list or <c>StructuredMessage</c>; strings, positions and findings
/// are copies and stay valid) calls <see cref="Dispose"/> to give them back, so the next message reuses them instead
/// of allocating. After that every read of its segments throws <see cref="ObjectDisposedException"/>. A message never
/// disposed stays valid and is collected as usual. Dispose may be called from any thread, once the message is no
/// longer read.
/// </remarks>
public sealed class EdifactMessage : IDisposable
{
    internal EdifactMessage(
        EdifactInterchangeHeader? interchange,
        EdifactGroupHeader? group,
        EdifactSegment[] segments,
        bool hasTrailer,
        EdifactDiagnostic[] diagnostics,
        int index)
    {
        Interchange = interchange;
        Group = group;
        SegmentArray = segments;
        HasTrailer = hasTrailer;
        Diagnostics = diagnostics;
        Index = index;
    }

    /// <summary>Gives the message's tables back to the pool; its segments cannot be read afterwards. Idempotent.</summary>
    public void Dispose()
    {
        if (SegmentArray.Length > 0)
        {
            SegmentArray[0].Data.Release();
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called (its segments can no longer be read).</summary>
    public bool IsDisposed => SegmentArray.Length > 0 && SegmentArray[0].Data.IsReleased;

    /// <summary>The UNB the message belongs to; null only for a message found outside any interchange.</summary>
    public EdifactInterchangeHeader? Interchange { get; }

    /// <summary>The UNG the message belongs to, if any.</summary>
    public EdifactGroupHeader? Group { get; }

    /// <summary>The segments in order, UNH first and (when <see cref="HasTrailer"/>) UNT last.</summary>
    public IReadOnlyList<EdifactSegment> Segments => SegmentArray;

    internal EdifactSegment[] SegmentArray { get; }

    /// <summary>Whether the message ended with its UNT, rather than being cut off by another header or the end of data.</summary>
    public bool HasTrailer { get; }

    /// <summary>Envelope findings raised while this message was open (e.g. <c>EDI-ENV-UNT-COUNT</c>).</summary>
    public IReadOnlyList<EdifactDiagnostic> Diagnostics { get; }

    /// <summary>1-based position of the message in the file.</summary>
    public int Index { get; }

    /// <summary>The UNH segment.</summary>
    public EdifactSegment Header => Segments[0];

    /// <summary>UNH 0062, repeated by UNT (read once).</summary>
    public string Reference => _reference ??= Header.GetValue(1);

    /// <summary>UNH S009/0065, e.g. <c>CUSCAR</c> (read once; one shared string for the types the catalog knows).</summary>
    public string MessageType => _messageType ??= Header.GetSpan(2, 1) switch
    {
        "CODECO" => "CODECO",
        "COARRI" => "COARRI",
        "CUSRES" => "CUSRES",
        "CUSCAR" => "CUSCAR",
        "IFTMCS" => "IFTMCS",
        "IFTMAN" => "IFTMAN",
        "AUTACK" => "AUTACK",
        "CONTRL" => "CONTRL",
        _ => Header.GetValue(2, 1),
    };

    /// <summary>UNH S009/0052, e.g. <c>D</c>.</summary>
    public string MessageVersion => Header.GetValue(2, 2);

    /// <summary>UNH S009/0054, e.g. <c>01B</c>.</summary>
    public string MessageRelease => Header.GetValue(2, 3);

    /// <summary>UNH S009/0051, e.g. <c>UN</c>.</summary>
    public string ControllingAgency => Header.GetValue(2, 4);

    /// <summary>UNH S009/0057, e.g. <c>EAN003</c>.</summary>
    public string AssociationAssignedCode => Header.GetValue(2, 5);

    /// <summary>The directory, e.g. <c>D01B</c> from version <c>D</c> and release <c>01B</c> (read once).</summary>
    public string Directory => _directory ??= DirectoryOf(Header);

    private string? _reference;
    private string? _messageType;
    private string? _directory;

    // Every message of a batch file names the same directory: the last one answered is the next one asked, so a string
    // is made only for a new directory, not one per message.
    [ThreadStatic]
    private static (string? Version, string? Release, string Directory) t_lastDirectory;

    private static string DirectoryOf(EdifactSegment header)
    {
        ReadOnlySpan<char> version = header.GetSpan(2, 2);
        ReadOnlySpan<char> release = header.GetSpan(2, 3);
        (string? Version, string? Release, string Directory) last = t_lastDirectory;
        if (last.Version is not null && version.SequenceEqual(last.Version) && release.SequenceEqual(last.Release))
        {
            return last.Directory;
        }

        string versionText = version.ToString();
        string releaseText = release.ToString();
        string directory = versionText + releaseText;
        t_lastDirectory = (versionText, releaseText, directory);
        return directory;
    }
}
