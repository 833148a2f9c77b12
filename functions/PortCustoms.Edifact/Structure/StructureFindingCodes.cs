namespace PortCustoms.Edifact.Structure;

/// <summary>Stable codes of structure findings. Callers and tests match on these, never on message text.</summary>
public static class StructureFindingCodes
{
    /// <summary>The message type, version or release in UNH S009 has no table here (0085 = 14).</summary>
    public const string UnsupportedMessage = "EDI-STR-UNSUPPORTED-MESSAGE";

    /// <summary>A segment that is not allowed here, or is out of order (0085 = 15).</summary>
    public const string UnexpectedSegment = "EDI-STR-UNEXPECTED-SEGMENT";

    /// <summary>A mandatory segment or segment group is absent (0085 = 13).</summary>
    public const string MissingSegment = "EDI-STR-MISSING-SEGMENT";

    /// <summary>A segment or group repeats more often than the table allows (0085 = 35 or 36).</summary>
    public const string TooManyRepeats = "EDI-STR-TOO-MANY-REPEATS";

    /// <summary>A mandatory data element or component is absent or empty (0085 = 13).</summary>
    public const string MissingElement = "EDI-STR-MISSING-ELEMENT";

    /// <summary>A value is longer than its format allows (0085 = 39).</summary>
    public const string ElementTooLong = "EDI-STR-ELEMENT-TOO-LONG";

    /// <summary>A value is shorter than its fixed or minimum length (0085 = 40).</summary>
    public const string ElementTooShort = "EDI-STR-ELEMENT-TOO-SHORT";

    /// <summary>A value has characters its type forbids, or a malformed decimal (0085 = 37, 38 or 19).</summary>
    public const string ElementType = "EDI-STR-ELEMENT-TYPE";

    /// <summary>A segment has more data elements than its definition (0085 = 16).</summary>
    public const string TooManyElements = "EDI-STR-TOO-MANY-ELEMENTS";

    /// <summary>A data element has more components than its definition (0085 = 16).</summary>
    public const string TooManyComponents = "EDI-STR-TOO-MANY-COMPONENTS";
}
