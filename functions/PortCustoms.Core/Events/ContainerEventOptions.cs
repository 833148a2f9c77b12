using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Events;

/// <summary>Processing and anomaly rules for container status events (section <c>ContainerEvents</c>).</summary>
public sealed class ContainerEventOptions : IValidatableObject
{
    public const string SectionName = "ContainerEvents";

    /// <summary>Discharged and neither gated out nor loaded within this: a dwell anomaly.</summary>
    public TimeSpan MaxDwell { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where customs requires export clearance before loading: flag loads without it.</summary>
    public bool ExportClearanceRequired { get; set; }

    /// <summary>
    /// A gate-out whose release status is unknown is an alarm too: the gate answers HOLD when it does not know, so such a
    /// gate-out bypassed the gate.
    /// </summary>
    public bool ReleaseUnknownIsAlarm { get; set; } = true;

    /// <summary>Deliveries of one message before it is dead-lettered; mirror the queue's <c>maxDeliveryCount</c>.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>First pause after customs fails, doubled each time up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one delivery holds its session retrying customs before giving the message back (abandon). With the
    /// default 30 minutes and 10 deliveries, customs may be down five hours before anything is dead-lettered.
    /// </summary>
    public TimeSpan MaxHoldDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How far in the future an event's <c>occurredAt</c> may lie before it is refused (400): one dated 9999-12-31 would
    /// make every later real event of its container look out of order.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Cross-field rules, for the source-generated validator.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDwell <= TimeSpan.Zero) yield return new ValidationResult("ContainerEvents:MaxDwell must be positive.");
        if (MaxDeliveryCount is < 1 or > 2000) yield return new ValidationResult("ContainerEvents:MaxDeliveryCount must be 1..2000.");
        if (InitialBackoff <= TimeSpan.Zero) yield return new ValidationResult("ContainerEvents:InitialBackoff must be positive.");
        if (MaxBackoff < InitialBackoff) yield return new ValidationResult("ContainerEvents:MaxBackoff must be at least InitialBackoff.");
        if (MaxHoldDuration < TimeSpan.Zero) yield return new ValidationResult("ContainerEvents:MaxHoldDuration must not be negative.");
        if (MaxClockSkew < TimeSpan.Zero || MaxClockSkew > TimeSpan.FromHours(1)) yield return new ValidationResult("ContainerEvents:MaxClockSkew must be 0..01:00:00.");
    }
}

/// <summary>Validates <see cref="ContainerEventOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class ContainerEventOptionsValidator : IValidateOptions<ContainerEventOptions>
{
}
