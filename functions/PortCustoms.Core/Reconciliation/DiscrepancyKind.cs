namespace PortCustoms.Core.Reconciliation;

/// <summary>What is wrong between the manifest and what the terminal discharged. The order is the report's order.</summary>
public enum DiscrepancyKind : byte
{
    /// <summary>Manifested but not discharged.</summary>
    ShortLanded = 1,

    /// <summary>Discharged but on no manifest of the call.</summary>
    OverLanded,

    SealMismatch,

    /// <summary>Declared and weighed gross mass differ beyond the configured tolerance.</summary>
    GrossMassMismatch,

    /// <summary>Size-types differ after both are normalised to ISO 6346 (1995).</summary>
    SizeTypeMismatch,

    FullEmptyMismatch,

    DuplicateInManifest,

    DuplicateInDischargeList,

    /// <summary>A manifest names a container number that fails ISO 6346 (check digit or format).</summary>
    CheckDigitInManifest,

    /// <summary>The discharge list names a container number that fails ISO 6346 (check digit or format).</summary>
    CheckDigitInDischargeList,

    /// <summary>A discharge-list row that could not be read (or only partly): the reader's finding.</summary>
    InvalidDischargeRow,

    /// <summary>A manifest that belongs to another vessel call; its containers are not reconciled against this one.</summary>
    OtherVesselCall,
}

/// <summary>The stable codes of the discrepancy kinds (reports, metrics, CSV), and their names for people.</summary>
public static class DiscrepancyKinds
{
    public static IReadOnlyList<DiscrepancyKind> All { get; } = Enum.GetValues<DiscrepancyKind>();

    public static string Code(this DiscrepancyKind kind) => kind switch
    {
        DiscrepancyKind.ShortLanded => "SHORT-LANDED",
        DiscrepancyKind.OverLanded => "OVER-LANDED",
        DiscrepancyKind.SealMismatch => "SEAL-MISMATCH",
        DiscrepancyKind.GrossMassMismatch => "GROSS-MASS-MISMATCH",
        DiscrepancyKind.SizeTypeMismatch => "SIZE-TYPE-MISMATCH",
        DiscrepancyKind.FullEmptyMismatch => "FULL-EMPTY-MISMATCH",
        DiscrepancyKind.DuplicateInManifest => "DUPLICATE-IN-MANIFEST",
        DiscrepancyKind.DuplicateInDischargeList => "DUPLICATE-IN-DISCHARGE-LIST",
        DiscrepancyKind.CheckDigitInManifest => "CHECK-DIGIT-IN-MANIFEST",
        DiscrepancyKind.CheckDigitInDischargeList => "CHECK-DIGIT-IN-DISCHARGE-LIST",
        DiscrepancyKind.InvalidDischargeRow => "INVALID-DISCHARGE-ROW",
        DiscrepancyKind.OtherVesselCall => "OTHER-VESSEL-CALL",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParseCode(string? code, out DiscrepancyKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code(), code, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>A heading for tables: what an officer calls it.</summary>
    public static string Title(this DiscrepancyKind kind) => kind switch
    {
        DiscrepancyKind.ShortLanded => "short-landed",
        DiscrepancyKind.OverLanded => "over-landed",
        DiscrepancyKind.SealMismatch => "seal mismatch",
        DiscrepancyKind.GrossMassMismatch => "gross mass mismatch",
        DiscrepancyKind.SizeTypeMismatch => "size-type mismatch",
        DiscrepancyKind.FullEmptyMismatch => "full/empty mismatch",
        DiscrepancyKind.DuplicateInManifest => "listed twice on the manifest",
        DiscrepancyKind.DuplicateInDischargeList => "listed twice in the discharge list",
        DiscrepancyKind.CheckDigitInManifest => "invalid container number on the manifest",
        DiscrepancyKind.CheckDigitInDischargeList => "invalid container number in the discharge list",
        DiscrepancyKind.InvalidDischargeRow => "unreadable discharge-list row",
        DiscrepancyKind.OtherVesselCall => "manifest for another vessel call",
        _ => kind.ToString(),
    };
}
