using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>The envelope of interchanges the mappings write: parties, reference, time, directory and syntax.</summary>
public sealed class EdifactInterchangeOptions
{
    /// <summary>UNB S002 0004.</summary>
    public string Sender { get; set; } = "PORTCUSTOMS";

    /// <summary>UNB S003 0010.</summary>
    public string Recipient { get; set; } = "CUSTOMS";

    /// <summary>UNB 0020; unique per sender so a resend is recognised.</summary>
    public string ControlReference { get; set; } = "1";

    /// <summary>UNB S004; null writes the current time.</summary>
    public DateTimeOffset? PreparedAt { get; set; }

    /// <summary>UNB S001 0002: 3 (dates YYMMDD) by default, or 4 (CCYYMMDD).</summary>
    public int SyntaxVersion { get; set; } = 3;

    public EdifactDirectory Directory { get; set; } = EdifactDirectory.D95B;

    /// <summary>UNOC (ISO 8859-1) by default: consignee names keep their accents.</summary>
    public EdifactCharacterSet CharacterSet { get; set; } = EdifactCharacterSet.Unoc;

    /// <summary>A line feed after each segment, for people reading the file.</summary>
    public bool NewLineAfterSegment { get; set; } = true;

    public EdifactInterchangeOptions Clone() => (EdifactInterchangeOptions)MemberwiseClone();
}
