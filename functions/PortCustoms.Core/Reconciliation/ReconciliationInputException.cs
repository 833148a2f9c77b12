namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// Input a run cannot reconcile at all (no manifest, an empty discharge list, a discharge list for another call): a
/// stable <see cref="Code"/> (<c>RECON-*</c>) and a sentence. Anything less is a discrepancy in the report instead.
/// </summary>
public sealed class ReconciliationInputException : Exception
{
    public ReconciliationInputException(string code, string message)
        : base(message) => Code = code;

    public ReconciliationInputException()
        : this(ReconciliationErrorCodes.InputInvalid, "The reconciliation input is invalid.")
    {
    }

    public ReconciliationInputException(string message)
        : this(ReconciliationErrorCodes.InputInvalid, message)
    {
    }

    public ReconciliationInputException(string message, Exception innerException)
        : base(message, innerException) => Code = ReconciliationErrorCodes.InputInvalid;

    public string Code { get; }
}

/// <summary>Stable codes for reconciliation input that cannot be used, and for discharge-list reading.</summary>
public static class ReconciliationErrorCodes
{
    public const string InputInvalid = "RECON-INPUT-INVALID";
    public const string NoManifest = "RECON-NO-MANIFEST";
    public const string NoDischargeList = "RECON-NO-DISCHARGE-LIST";
    public const string DischargeListEmpty = "RECON-DISCHARGE-LIST-EMPTY";
    public const string DischargeListOtherCall = "RECON-DISCHARGE-LIST-OTHER-CALL";

    // Discharge-list reading: file level (the list cannot be read) ...
    public const string FileEmpty = "DISCHARGE-EMPTY";
    public const string ColumnMissing = "DISCHARGE-COLUMN-MISSING";
    public const string ColumnDuplicate = "DISCHARGE-COLUMN-DUPLICATE";
    public const string CsvSyntax = "DISCHARGE-CSV-SYNTAX";
    public const string JsonSyntax = "DISCHARGE-JSON-SYNTAX";
    public const string JsonShape = "DISCHARGE-JSON-SHAPE";
    public const string NoVesselCall = "DISCHARGE-NO-VESSEL-CALL";

    // ... and row level (a finding in the list, a discrepancy in the report).
    public const string RowFieldCount = "DISCHARGE-ROW-FIELD-COUNT";
    public const string NotDischarged = "DISCHARGE-NOT-A-DISCHARGE";
    public const string ContainerMissing = "DISCHARGE-CONTAINER-MISSING";
    public const string VesselImoInvalid = "DISCHARGE-VESSEL-IMO-INVALID";
    public const string VoyageMissing = "DISCHARGE-VOYAGE-MISSING";
    public const string OtherVesselCall = "DISCHARGE-OTHER-VESSEL-CALL";
    public const string DischargedAtInvalid = "DISCHARGE-DISCHARGED-AT-INVALID";
    public const string SizeTypeInvalid = "DISCHARGE-SIZE-TYPE-INVALID";
    public const string GrossMassInvalid = "DISCHARGE-GROSS-MASS-INVALID";
    public const string FullEmptyInvalid = "DISCHARGE-FULL-EMPTY-INVALID";
}
