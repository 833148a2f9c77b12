using PortCustoms.Core.Model;

namespace PortCustoms.Core.Manifests;

/// <summary>
/// What the terminal really discharged from one vessel call (the terminal's export: CSV or terminal JSON, see
/// contracts/files.md). Rows are kept as received, invalid ones included, so that reconciliation can report them
/// rather than skip them.
/// </summary>
public sealed record DischargeList
{
    public required VesselCall VesselCall { get; init; }

    public IReadOnlyList<DischargedContainer> Containers { get; init; } = [];

    /// <summary>Rows that could not be read as a discharged container (or only partly): reported, never skipped.</summary>
    public IReadOnlyList<DischargeListFinding> Findings { get; init; } = [];
}

/// <summary>
/// A row of a discharge list the reader could not take as it is: a stable <see cref="Code"/>
/// (<c>DISCHARGE-*</c>), the 1-based row and the column or JSON path at fault, and a plain sentence.
/// </summary>
public sealed record DischargeListFinding(string Code, int Row, string? Column, string Message)
{
    /// <summary>The container number of the row as written, when it had one.</summary>
    public string? ContainerNumber { get; init; }
}

/// <summary>One discharged container: one row of the discharge list.</summary>
public sealed record DischargedContainer
{
    /// <summary>1-based row (CSV: data row after the header; JSON: array index + 1), for evidence in reports.</summary>
    public int Row { get; init; }

    /// <summary>The container number as written; it may fail its check digit (a discrepancy, not a skip).</summary>
    public required string ContainerNumber { get; init; }

    public DateTimeOffset? DischargedAt { get; init; }

    /// <summary>The size-type as written (22G1, 2210, 20GP, ...); normalised when matched.</summary>
    public string? SizeType { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public decimal? GrossMassKg { get; init; }

    public FullEmpty FullEmpty { get; init; }

    public string? BillOfLading { get; init; }
}
