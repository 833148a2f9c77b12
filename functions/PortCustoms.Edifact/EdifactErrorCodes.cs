namespace PortCustoms.Edifact;

/// <summary>The stable codes of <see cref="EdifactException"/> and <see cref="EdifactDiagnostic"/>. Never rename one.</summary>
public static class EdifactErrorCodes
{
    // Syntax the tokenizer cannot continue past (thrown).
    public const string SyntaxError = "EDI-SYN-ERROR";
    public const string SegmentTooLong = "EDI-SYN-SEGMENT-TOO-LONG";
    public const string UnterminatedSegment = "EDI-SYN-UNTERMINATED-SEGMENT";
    public const string ServiceStringAdviceTruncated = "EDI-SYN-UNA-TRUNCATED";
    public const string ServiceStringAdviceInvalid = "EDI-SYN-UNA-INVALID";

    // Syntax findings (collected).
    public const string InvalidSegmentTag = "EDI-SYN-SEGMENT-TAG";
    public const string InvalidCharacter = "EDI-SYN-CHARSET";

    // ISO 9735 rules a tolerant tokenizer reads past (collected; strict: error, lenient: warning).
    public const string ReleaseBeforeOrdinaryCharacter = "EDI-SYN-RELEASE";
    public const string TrailingSeparator = "EDI-SYN-TRAILING-SEPARATOR";
    public const string DecimalMarkInvalid = "EDI-SYN-UNA-DECIMAL-MARK";
    public const string ByteOrderMarkInside = "EDI-SYN-BOM";

    // Envelope findings (collected).
    public const string SyntaxIdentifierUnsupported = "EDI-ENV-UNB-SYNTAX";
    public const string InterchangeHeaderMissing = "EDI-ENV-UNB-MISSING";
    public const string TextAfterInterchange = "EDI-ENV-TEXT-AFTER-UNZ";
    public const string SegmentOutsideMessage = "EDI-ENV-SEGMENT-OUTSIDE-MESSAGE";
    public const string InterchangeTrailerMissing = "EDI-ENV-UNZ-MISSING";
    public const string InterchangeTrailerUnexpected = "EDI-ENV-UNZ-UNEXPECTED";
    public const string InterchangeReferenceMismatch = "EDI-ENV-UNZ-REF";
    public const string InterchangeCountMismatch = "EDI-ENV-UNZ-COUNT";
    public const string GroupHeaderUnexpected = "EDI-ENV-UNG-UNEXPECTED";
    public const string GroupsAndMessagesMixed = "EDI-ENV-GROUP-MIXED";
    public const string GroupTrailerMissing = "EDI-ENV-UNE-MISSING";
    public const string GroupTrailerUnexpected = "EDI-ENV-UNE-UNEXPECTED";
    public const string GroupReferenceMismatch = "EDI-ENV-UNE-REF";
    public const string GroupCountMismatch = "EDI-ENV-UNE-COUNT";
    public const string MessageTrailerMissing = "EDI-ENV-UNT-MISSING";
    public const string MessageTrailerUnexpected = "EDI-ENV-UNT-UNEXPECTED";
    public const string MessageReferenceMismatch = "EDI-ENV-UNT-REF";
    public const string MessageCountMismatch = "EDI-ENV-UNT-COUNT";

    // Limits (EdifactValidationOptions): an error in any mode.
    public const string MessageTooLarge = "EDI-MSG-TOO-LARGE";
}

/// <summary>ISO 9735 syntax error codes (data element 0085) that this layer reports.</summary>
public static class EdifactSyntaxErrorCodes
{
    public const int SyntaxVersionOrLevelNotSupported = 2;
    public const int InvalidValue = 12;
    public const int Missing = 13;
    public const int NotSupportedInThisPosition = 15;
    public const int InvalidCharacters = 21;
    public const int InvalidServiceCharacters = 22;
    public const int ReferencesDoNotMatch = 28;
    public const int ControlCountDoesNotMatch = 29;
    public const int GroupsAndMessagesMixed = 30;
    public const int InvalidOccurrenceOutsideMessage = 33;
    public const int DataElementTooLong = 39;
}
