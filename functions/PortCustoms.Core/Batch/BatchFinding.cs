using PortCustoms.Edifact;

namespace PortCustoms.Core.Batch;

/// <summary>Where a finding is in a dropped file: what <c>.error.json</c> reports, as <c>validate --format json</c> does.</summary>
/// <param name="Line">1-based line in the file, or 0 when unknown.</param>
/// <param name="Segment">EDIFACT: 1-based segment in the interchange; 0 otherwise.</param>
/// <param name="Element">EDIFACT: element; CSV: 1-based column; JSON: 0.</param>
/// <param name="Component">EDIFACT: component; 0 otherwise.</param>
/// <param name="Item">CSV: 1-based data row; JSON: 1-based array item; EDIFACT: 1-based message in the file; 0 for the file.</param>
/// <param name="Field">CSV column or JSON property at fault, when one is.</param>
public readonly record struct BatchPosition(long Line, int Segment, int Element, int Component, long Item = 0, string? Field = null)
{
    public static BatchPosition File => default;

    public static BatchPosition Of(EdifactPosition position, long message = 0) =>
        new(position.Line, position.Segment, position.Element, position.Component, message);
}

/// <summary>One finding: a stable code, error or warning, a plain message and its position.</summary>
public sealed record BatchFinding(string Code, bool IsError, string Message, BatchPosition Position)
{
    public static BatchFinding Error(string code, string message, BatchPosition position = default) => new(code, true, message, position);

    public static BatchFinding Warning(string code, string message, BatchPosition position = default) => new(code, false, message, position);

    public static BatchFinding From(EdifactDiagnostic diagnostic, long message = 0)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new BatchFinding(diagnostic.Code, diagnostic.Severity == EdifactSeverity.Error, diagnostic.Message, BatchPosition.Of(diagnostic.Position, message));
    }
}

/// <summary>
/// Stable codes of the batch flow's own findings. EDIFACT findings keep the engine's codes (<c>EDI-*</c>), event
/// fields the HTTP contract's checks; these cover the file as a whole, CSV and routing.
/// </summary>
public static class BatchErrorCodes
{
    public const string Empty = "BATCH-FILE-EMPTY";
    public const string TooLarge = "BATCH-FILE-TOO-LARGE";
    public const string UploaderNotBroker = "BATCH-UPLOADER-NOT-BROKER";
    public const string UnknownFormat = "BATCH-FORMAT-UNKNOWN";
    public const string FormatNotAllowed = "BATCH-FORMAT-NOT-ALLOWED";
    public const string MessageTypeNotAllowed = "BATCH-MESSAGE-TYPE-NOT-ALLOWED";
    public const string DuplicateInterchange = "BATCH-DUPLICATE-INTERCHANGE";
    public const string DuplicateMessageReference = "BATCH-DUPLICATE-MESSAGE-REF";
    public const string NoMessages = "BATCH-NO-MESSAGES";
    public const string ManifestWithoutVesselCall = "BATCH-MANIFEST-NO-VESSEL-CALL";

    /// <summary>A message whose declared version (UNH 0052/0054) the configured transition does not accept now (<c>MessageVersions</c>).</summary>
    public const string MessageVersionNotAccepted = "BATCH-MESSAGE-VERSION-NOT-ACCEPTED";

    public const string CsvMalformed = "BATCH-CSV-MALFORMED";
    public const string CsvColumnMissing = "BATCH-CSV-COLUMN-MISSING";
    public const string CsvColumnDuplicate = "BATCH-CSV-COLUMN-DUPLICATE";
    public const string CsvFieldCount = "BATCH-CSV-FIELD-COUNT";
    public const string CsvValueMissing = "BATCH-CSV-VALUE-MISSING";
    public const string CsvNotUtf8 = "BATCH-CSV-NOT-UTF8";
    public const string ContainerNumber = "BATCH-CONTAINER-NUMBER";
    public const string VesselImo = "BATCH-VESSEL-IMO";
    public const string DateTime = "BATCH-DATETIME";
    public const string SizeType = "BATCH-SIZE-TYPE";
    public const string Number = "BATCH-NUMBER";
    public const string FullEmpty = "BATCH-FULL-EMPTY";

    /// <summary>Times without an offset from a broker with no zone configured (PartnerTimeZones): once per file, with the count.</summary>
    public const string TimeZoneAssumed = "BATCH-TIME-ZONE-ASSUMED";

    /// <summary>Times without an offset that fell in a daylight-saving gap or overlap: resolved by rule, once per file with the count.</summary>
    public const string TimeDaylightSaving = "BATCH-TIME-DST";

    public const string JsonMalformed = "BATCH-JSON-MALFORMED";
    public const string JsonTooLarge = "BATCH-JSON-TOO-LARGE";
    public const string EventInvalid = "BATCH-EVENT-INVALID";

    /// <summary>A JSON event's size-type not in the deployment's <c>size-types</c> list (CodeLists:Unmapped = Hold): kept as sent; under Reject it is a <see cref="EventInvalid"/> error.</summary>
    public const string EventSizeTypeUnknown = "BATCH-EVENT-SIZE-TYPE-UNKNOWN";
}
