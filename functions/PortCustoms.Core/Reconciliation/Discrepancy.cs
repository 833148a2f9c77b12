using PortCustoms.Core.Manifests;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// One discrepancy with the evidence from both sides: the manifest entries and the discharge-list rows that show it,
/// and a plain sentence for a customs officer or planner. <see cref="Number"/> is given when the report is assembled
/// (1-based, stable for a report), and is what an operator resolves.
/// </summary>
public sealed record Discrepancy
{
    public int Number { get; init; }

    public required DiscrepancyKind Kind { get; init; }

    public string Code => Kind.Code();

    /// <summary>The container number as written (normalised to upper case), or the document for <see cref="DiscrepancyKind.OtherVesselCall"/>.</summary>
    public required string ContainerNumber { get; init; }

    public required string Description { get; init; }

    public bool Critical { get; init; }

    public IReadOnlyList<ManifestEvidence> Manifest { get; init; } = [];

    public IReadOnlyList<DischargeEvidence> Discharge { get; init; } = [];

    /// <summary>For <see cref="DiscrepancyKind.InvalidDischargeRow"/>: the reader's code (<c>DISCHARGE-*</c>).</summary>
    public string? FindingCode { get; init; }

    public DiscrepancyResolution? Resolution { get; init; }
}

/// <summary>What a manifest says about a container, and which manifest says it.</summary>
public sealed record ManifestEvidence
{
    /// <summary>Where: the document's source and message (e.g. <c>broker-a/cuscar.edi CUSCAR M1</c>).</summary>
    public required string Source { get; init; }

    public string? BillOfLading { get; init; }

    public string? SizeType { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public decimal? GrossMassKg { get; init; }

    public FullEmpty FullEmpty { get; init; }
}

/// <summary>What one discharge-list row says about a container.</summary>
public sealed record DischargeEvidence
{
    public required int Row { get; init; }

    public DateTimeOffset? DischargedAt { get; init; }

    public string? SizeType { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public decimal? GrossMassKg { get; init; }

    public FullEmpty FullEmpty { get; init; }

    public string? BillOfLading { get; init; }

    public static DischargeEvidence From(DischargedContainer row) => new()
    {
        Row = row.Row,
        DischargedAt = row.DischargedAt,
        SizeType = row.SizeType,
        SealNumbers = row.SealNumbers,
        GrossMassKg = row.GrossMassKg,
        FullEmpty = row.FullEmpty,
        BillOfLading = row.BillOfLading,
    };
}

/// <summary>An operator marked the discrepancy resolved: who, when and why.</summary>
public sealed record DiscrepancyResolution(string ResolvedBy, DateTimeOffset ResolvedAt, string Note);
