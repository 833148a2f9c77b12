using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Residency;

/// <summary>The residency verdict: whether customs data may be processed here, and why.</summary>
public sealed record ResidencyStatus(bool IsAllowed, bool IsEnforced, string? Region, string Reason);

/// <summary>
/// Refuses customs data processing outside the approved regions. It trusts what the platform says about where the app
/// runs (App Service sets <c>REGION_NAME</c>, e.g. "West Europe") over the configured region, so a copy of the app
/// deployed elsewhere with the same settings still refuses.
/// </summary>
public sealed class ResidencyGuard
{
    public const string PlatformRegionVariable = "REGION_NAME";

    private readonly ResidencyStatus _status;

    public ResidencyGuard(IOptions<ResidencyOptions> options, string? platformRegion)
    {
        ArgumentNullException.ThrowIfNull(options);
        _status = Evaluate(options.Value, platformRegion);
    }

    public ResidencyStatus Status => _status;

    /// <summary>Throws <see cref="ResidencyViolationException"/> when customs data must not be processed here.</summary>
    public void EnsureAllowed()
    {
        if (!_status.IsAllowed)
        {
            throw new ResidencyViolationException(_status.Reason);
        }
    }

    /// <summary>
    /// Start-up check, failing closed: where the platform says which region the app runs in (it is in Azure), an empty
    /// list of approved regions would allow every region, so the app must refuse to start instead. Only a machine
    /// without a platform region (a developer's, the tests) runs unenforced.
    /// </summary>
    public static IReadOnlyList<string> ValidateAtStart(ResidencyOptions options, string? platformRegion)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.AllowedRegions.Any(r => !string.IsNullOrWhiteSpace(r));
        return !string.IsNullOrWhiteSpace(platformRegion) && !configured
            ? [$"Residency:AllowedRegions is not set, but the app runs on the platform in '{platformRegion}': it refuses to start rather than process customs data in any region. Set Residency:Region and Residency:AllowedRegions (the infrastructure writes both)."]
            : [];
    }

    internal static ResidencyStatus Evaluate(ResidencyOptions options, string? platformRegion)
    {
        var allowed = options.AllowedRegions
            .SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Normalize)
            .ToHashSet(StringComparer.Ordinal);
        var configured = string.IsNullOrWhiteSpace(options.Region) ? null : Normalize(options.Region);
        var actual = string.IsNullOrWhiteSpace(platformRegion) ? null : Normalize(platformRegion);
        var region = actual ?? configured;

        if (allowed.Count == 0)
        {
            return new ResidencyStatus(true, false, region, "No approved regions configured: residency is not enforced (local run).");
        }
        if (region is null)
        {
            return new ResidencyStatus(false, true, null, "The app cannot tell which region it runs in (Residency:Region is not set).");
        }
        if (actual is not null && configured is not null && actual != configured)
        {
            return new ResidencyStatus(false, true, actual, $"The app runs in '{actual}' but was deployed for '{configured}'.");
        }
        return allowed.Contains(region)
            ? new ResidencyStatus(true, true, region, $"Running in approved region '{region}'.")
            : new ResidencyStatus(false, true, region, $"Region '{region}' is not an approved region for customs data.");
    }

    /// <summary>"West Europe" and "westeurope" name the same region.</summary>
    internal static string Normalize(string region) =>
        string.Concat(region.Where(c => !char.IsWhiteSpace(c) && c != '-' && c != '_')).ToLowerInvariant();
}

/// <summary>Customs data was about to be processed outside the approved regions; nothing was processed.</summary>
public sealed class ResidencyViolationException(string message) : InvalidOperationException(message);
