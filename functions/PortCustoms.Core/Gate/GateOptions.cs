using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Gate;

/// <summary>The real-time gate path (configuration section <c>Gate</c>).</summary>
public sealed class GateOptions
{
    public const string SectionName = "Gate";

    /// <summary>
    /// How long a live query to the customs platform may take, retries included; never more than what
    /// <see cref="AnswerBudget"/> leaves after the store read and before the audit insert.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan LiveQueryBudget { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>
    /// How long the gate's Table Storage reads may take, the storage client's retries included: past it the state read
    /// is "customs status unavailable" (then the live query, or HOLD). Also the least time the live query leaves for the
    /// audit insert, which otherwise has whatever is left of <see cref="AnswerBudget"/> (past that: 503, and the
    /// terminal retries with the same gateTransactionId). Without these a storage outage held the gate for the storage
    /// client's own retries and timeouts: seconds when refused, minutes when unanswered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:00:10")]
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest a gate answer may take from the start of the decision: the gate answers within 3 s
    /// (ARCHITECTURE.md). The live query gets at most what is left of it less one <see cref="StoreTimeout"/> for the
    /// audit insert (with the defaults, the whole <see cref="LiveQueryBudget"/> even after a state read that timed
    /// out); the insert gets the rest.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan AnswerBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Ask customs live when the store holds nothing for the container. Effective only when a customs platform endpoint is
    /// configured (<c>CustomsPlatform:BaseAddress</c>).
    /// </summary>
    public bool LiveQueryEnabled { get; set; } = true;

    /// <summary>
    /// How far in the future a notification's <c>issuedAt</c> may lie (clock skew) before it is refused: a notification
    /// dated later than now would make every real hold until then look older than it, and be ignored.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxNotificationClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far in the future a gate query's <c>requestedAt</c> may lie before the query is refused (400). It is only
    /// audited, but a date like 9999-12-31 in the audit trail is garbage, not drift.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRequestClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Validates <see cref="GateOptions"/> at start (source-generated from its data annotations).</summary>
[OptionsValidator]
public sealed partial class GateOptionsValidator : IValidateOptions<GateOptions>
{
}
