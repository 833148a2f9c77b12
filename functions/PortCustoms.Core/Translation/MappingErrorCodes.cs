namespace PortCustoms.Core.Translation;

/// <summary>
/// Stable codes of mapping findings (EDIFACT to the canonical model and back). Tools and tests match on these, never on
/// message text. Never rename one.
/// </summary>
public static class MappingErrorCodes
{
    /// <summary>A message type or directory the mapping does not translate (e.g. CONTRL, or IFTMCS into events).</summary>
    public const string UnsupportedMessage = "EDI-MAP-UNSUPPORTED-MESSAGE";

    /// <summary>The message breaks its published structure: mapped as far as resolved, and rejected.</summary>
    public const string StructureInvalid = "EDI-MAP-STRUCTURE";

    /// <summary>EQD/SGP container number is not ISO 6346 (owner, category, serial, length).</summary>
    public const string ContainerNumberInvalid = "EDI-MAP-CONTAINER-NUMBER";

    /// <summary>EQD/SGP container number with a wrong ISO 6346 check digit.</summary>
    public const string ContainerCheckDigit = "EDI-MAP-CONTAINER-CHECK-DIGIT";

    /// <summary>A message that needs a container (status event, customs response) names none.</summary>
    public const string ContainerMissing = "EDI-MAP-CONTAINER-MISSING";

    /// <summary>EQD equipment that is not a container (8053 other than CN): not mapped, reported.</summary>
    public const string EquipmentNotContainer = "EDI-MAP-EQUIPMENT-NOT-CONTAINER";

    /// <summary>TDT C222 identifies the vessel by an IMO number that fails its check digit or format.</summary>
    public const string ImoInvalid = "EDI-MAP-IMO";

    /// <summary>EQD C224 size-type is not even syntactically a size-type code (4 capital letters or digits).</summary>
    public const string SizeTypeInvalid = "EDI-MAP-SIZE-TYPE";

    /// <summary>EQD C224 size-type is in no ISO 6346 code list known here: kept as sent, reported.</summary>
    public const string SizeTypeUnknown = "EDI-MAP-SIZE-TYPE-UNKNOWN";

    /// <summary>BGM 1001 is not a code the message type maps to an event (CODECO 34/36, COARRI 44/46).</summary>
    public const string EventTypeUnknown = "EDI-MAP-EVENT-TYPE";

    /// <summary>
    /// BGM 1225 says cancellation (1): the canonical events have no way to withdraw an event, so none is produced rather
    /// than a cancelled gate-out being read as a gate-out.
    /// </summary>
    public const string CancellationNotMapped = "EDI-MAP-CANCELLATION";

    /// <summary>An event of a type no EDIFACT status message carries (ANNOUNCED, STRIPPED, ...): not written.</summary>
    public const string EventTypeNotMappable = "EDI-MAP-EVENT-TYPE-NOT-MAPPABLE";

    /// <summary>A DTM value that does not match its format qualifier (2379), or a format not supported here.</summary>
    public const string DateInvalid = "EDI-MAP-DATE";

    /// <summary>A required date/time (event time, customs issue time) is absent.</summary>
    public const string DateMissing = "EDI-MAP-DATE-MISSING";

    /// <summary>
    /// A customs issue time later than now plus <c>Gate:MaxNotificationClockSkew</c>: it would make every real hold until
    /// then look older, so the notification is refused (as for JSON notifications).
    /// </summary>
    public const string DateInFuture = "EDI-MAP-DATE-FUTURE";

    /// <summary>
    /// DTMs without a time zone (2379 203/204) from a sender with no zone configured (PartnerTimeZones): read in the
    /// port's zone, else UTC; one finding per message (or file) with the count, at the first.
    /// </summary>
    public const string DateWithoutOffset = "EDI-MAP-DATE-NO-OFFSET";

    /// <summary>A LOC UN/LOCODE (1131 = 139) not in the <c>un-locodes</c> list, or not of its form: held or rejected by <c>CodeLists:Unmapped</c>.</summary>
    public const string LocodeUnknown = "EDI-MAP-LOCODE-UNKNOWN";

    /// <summary>A GID package type (7065) not in the <c>package-types</c> list (UN/ECE Rec. 21).</summary>
    public const string PackageTypeUnknown = "EDI-MAP-PACKAGE-TYPE-UNKNOWN";

    /// <summary>A CST HS code (1131 = 169) not of the <c>hs-codes</c> format (6, 8 or 10 digits).</summary>
    public const string HsCodeInvalid = "EDI-MAP-HS-CODE-INVALID";

    /// <summary>DTMs without a zone that fell in a daylight-saving gap or overlap of the sender's zone: resolved by rule, once per message with the count.</summary>
    public const string DateDaylightSaving = "EDI-MAP-DATE-DST";

    /// <summary>MEA gross mass that is not a number, or in a unit other than KGM/TNE.</summary>
    public const string MassInvalid = "EDI-MAP-MASS";

    /// <summary>CUSRES without a GIS processing indicator (7365).</summary>
    public const string CustomsStatusMissing = "EDI-MAP-CUSRES-STATUS-MISSING";

    /// <summary>CUSRES 7365 code that the authority's mapping (CustomsAuthority:StatusCodes) does not name: read as HOLD.</summary>
    public const string CustomsStatusUnmapped = "EDI-MAP-CUSRES-STATUS-UNMAPPED";

    /// <summary>CUSRES ERP/ERC: customs reports an error in what it received.</summary>
    public const string CustomsError = "EDI-MAP-CUSRES-ERROR";

    /// <summary>A value has characters the interchange's character set cannot carry (UNOC is ISO 8859-1): the item is not written.</summary>
    public const string CharacterSet = "EDI-MAP-CHARACTER-SET";

    /// <summary>A mandatory canonical field is absent (e.g. a manifest without vessel or consignment).</summary>
    public const string FieldMissing = "EDI-MAP-FIELD-MISSING";
}
