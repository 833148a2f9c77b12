using System.ComponentModel.DataAnnotations;

namespace PortCustoms.Core.Reconciliation;

/// <summary>How manifests are matched against discharge lists (section <c>Reconciliation</c>).</summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>Gross mass differences up to this many kilograms are weighing noise, not a discrepancy.</summary>
    [Range(typeof(decimal), "0", "100000")]
    public decimal GrossMassToleranceKg { get; set; } = 500m;

    /// <summary>... or up to this percentage of the declared mass, whichever is larger.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal GrossMassTolerancePercent { get; set; } = 5m;

    /// <summary>Kinds that raise the alert metric when found (by code or enum name).</summary>
    public IList<DiscrepancyKind> CriticalKinds { get; set; } = [];

    /// <summary>The default critical kinds when none are configured: what customs acts on first.</summary>
    public static IReadOnlyList<DiscrepancyKind> DefaultCriticalKinds { get; } =
        [DiscrepancyKind.ShortLanded, DiscrepancyKind.OverLanded, DiscrepancyKind.SealMismatch];

    public bool IsCritical(DiscrepancyKind kind) =>
        CriticalKinds.Count == 0 ? DefaultCriticalKinds.Contains(kind) : CriticalKinds.Contains(kind);
}
