namespace PortCustoms.Edifact.Contrl;

/// <summary>ISO 9735 data element 0083 "Action, coded": what a CONTRL says about an interchange or message.</summary>
public enum ContrlAction
{
    /// <summary>4: this level and all lower levels rejected.</summary>
    Rejected = 4,

    /// <summary>7: this level acknowledged, next lower level acknowledged if not explicitly rejected.</summary>
    Acknowledged = 7,

    /// <summary>8: interchange received (a technical receipt, nothing checked beyond the envelope).</summary>
    Received = 8,
}

/// <summary>An interchange party as UNB S002/S003 gave it; UCI repeats it as received.</summary>
/// <param name="Identification">0004 / 0010.</param>
/// <param name="CodeQualifier">0007, or empty.</param>
/// <param name="RoutingAddress">0008 / 0014, or empty.</param>
public sealed record ContrlParty(string Identification, string CodeQualifier = "", string RoutingAddress = "");

/// <summary>
/// One error to acknowledge: where it is (as UCS/UCD report it) and its ISO 9735 0085 code.
/// A neutral shape so both the structure layer and the syntax layer can feed CONTRL.
/// </summary>
/// <param name="SegmentPosition">1-based position in the message, UNH = 1 (UCS 0096).</param>
/// <param name="SegmentTag">The segment concerned; errors on UNH or UNT are reported in UCM (0013/0135).</param>
/// <param name="Element">1-based data element position (UCD S011 0098), or 0 for the segment as a whole.</param>
/// <param name="Component">1-based component position (S011 0104), or 0.</param>
/// <param name="SyntaxErrorCode">ISO 9735 0085 value, e.g. 13 missing, 15 not supported in this position.</param>
public readonly record struct ContrlError(int SegmentPosition, string SegmentTag, int Element, int Component, int SyntaxErrorCode);

/// <summary>What was found in one received message (UNH..UNT).</summary>
/// <param name="Reference">UNH 0062 of the received message.</param>
/// <param name="Type">S009 0065, e.g. CUSCAR.</param>
/// <param name="Version">S009 0052, e.g. D.</param>
/// <param name="Release">S009 0054, e.g. 95B.</param>
/// <param name="Errors">Errors in it; none means the message is acknowledged.</param>
public sealed record ContrlMessageReport(string Reference, string Type, string Version, string Release, IReadOnlyList<ContrlError> Errors)
{
    /// <summary>S009 0051.</summary>
    public string ControllingAgency { get; init; } = "UN";
}

/// <summary>What was received: the interchange to acknowledge and its messages.</summary>
/// <param name="ControlReference">UNB 0020.</param>
/// <param name="Sender">UNB S002, repeated as received.</param>
/// <param name="Recipient">UNB S003, repeated as received.</param>
/// <param name="Messages">Reports of the messages, in interchange order.</param>
public sealed record ContrlInterchange(string ControlReference, ContrlParty Sender, ContrlParty Recipient, IReadOnlyList<ContrlMessageReport> Messages)
{
    /// <summary>An error in the interchange envelope itself (UNB/UNZ); rejects the whole interchange.</summary>
    public ContrlError? InterchangeError { get; init; }
}

/// <summary>One segment of a CONTRL message: the tag and its elements as component strings, trailing empties removed.</summary>
public sealed class ContrlSegment
{
    internal ContrlSegment(string tag, IReadOnlyList<IReadOnlyList<string>> elements)
    {
        Tag = tag;
        Elements = elements;
    }

    /// <summary>The segment tag.</summary>
    public string Tag { get; }

    /// <summary>Data elements in order, each a list of component values (unescaped).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Elements { get; }
}

/// <summary>A CONTRL message (UNH..UNT), ready for a writer to put in an interchange addressed back to the sender.</summary>
public sealed class ContrlMessage
{
    internal ContrlMessage(string reference, IReadOnlyList<ContrlSegment> segments)
    {
        Reference = reference;
        Segments = segments;
    }

    /// <summary>UNH 0062 of the CONTRL itself.</summary>
    public string Reference { get; }

    /// <summary>UNH to UNT; UNT already counts them.</summary>
    public IReadOnlyList<ContrlSegment> Segments { get; }
}
