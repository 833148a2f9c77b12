using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Reconciliation;

/// <summary>How manifests are matched against discharge lists (section <c>Reconciliation</c>).</summary>
public sealed class ReconciliationOptions : IValidatableObject
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

    /// <summary>The port's time zone (IANA, e.g. <c>Europe/Amsterdam</c>): the batch window and the deadline are local times there.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The nightly batch window in which the timer starts the calls that have a discharge list but no run yet.</summary>
    public TimeOnly BatchWindowStart { get; set; } = new(2, 0);

    public TimeOnly BatchWindowEnd { get; set; } = new(5, 0);

    /// <summary>A run not complete by the next occurrence of this local time escalates.</summary>
    public TimeOnly DeadlineTime { get; set; } = new(6, 0);

    /// <summary>How long after a report operators can still mark discrepancies resolved through the API.</summary>
    public TimeSpan ResolutionWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Manifest entries plus discharge rows per chunk (the fan-out width follows the call's size).</summary>
    [Range(100, 1_000_000)]
    public int ChunkSize { get; set; } = 5_000;

    public bool IsCritical(DiscrepancyKind kind) =>
        CriticalKinds.Count == 0 ? DefaultCriticalKinds.Contains(kind) : CriticalKinds.Contains(kind);

    /// <summary>The rules data annotations cannot say, for the source-generated validator.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"{SectionName}:TimeZone must be an IANA time zone (e.g. Europe/Amsterdam).", [nameof(TimeZone)]);
        }
        if (ResolutionWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:ResolutionWindow must be positive.", [nameof(ResolutionWindow)]);
        }
    }
}

/// <summary>Validates <see cref="ReconciliationOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
}
