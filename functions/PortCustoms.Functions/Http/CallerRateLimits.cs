using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Per-caller rates (section <c>RateLimits</c>): <c>RateLimits:Groups:{group}:PermitLimit</c> requests per
/// <c>RateLimits:Groups:{group}:Window</c> (default one minute) for each caller identity, or client address when anonymous.
/// A group is a function's name unless its <see cref="CallerRolesAttribute.RateGroup"/> says otherwise; a group without a
/// configured rate is not limited.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string SectionName = "RateLimits";

    public IDictionary<string, RateLimitRule> Groups { get; } = new Dictionary<string, RateLimitRule>(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (group, rule) in Groups)
        {
            if (rule.PermitLimit <= 0)
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:Groups:{group}:PermitLimit must be positive."));
            }
            if (rule.Window <= TimeSpan.Zero)
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:Groups:{group}:Window must be positive."));
            }
        }
    }
}

public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
}

/// <summary>
/// One partitioned limiter for the app: a partition per (group, caller), fixed window, no queue. A caller over its rate
/// is answered 429 at once; nobody waits, so one caller's limit never slows another's requests.
/// </summary>
public sealed class CallerRateLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<(string Group, string Caller)> _limiter;

    public CallerRateLimiter(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _limiter = PartitionedRateLimiter.Create<(string Group, string Caller), (string, string)>(key =>
            _options.Groups.TryGetValue(key.Group, out var rule)
                ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = rule.PermitLimit,
                    Window = rule.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(key));
    }

    /// <summary>Null when the caller may go on; else how long it should wait (at least one second).</summary>
    public TimeSpan? TryAcquire(string group, string caller)
    {
        using var lease = _limiter.AttemptAcquire((group, caller));
        if (lease.IsAcquired)
        {
            return null;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _options.Groups.TryGetValue(group, out var rule) ? rule.Window : TimeSpan.FromSeconds(1);
        return retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;
    }

    public void Dispose() => _limiter.Dispose();
}
