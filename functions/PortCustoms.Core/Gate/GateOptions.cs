using System.ComponentModel.DataAnnotations;

namespace PortCustoms.Core.Gate;

/// <summary>The real-time gate path (configuration section <c>Gate</c>).</summary>
public sealed class GateOptions
{
    public const string SectionName = "Gate";

    /// <summary>
    /// How long a live query to the customs platform may take, retries included. The gate must answer within 3 s, and the
    /// store read comes first, so the default leaves half a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan LiveQueryBudget { get; set; } = TimeSpan.FromMilliseconds(2500);

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
}
