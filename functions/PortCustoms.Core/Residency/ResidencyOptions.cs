namespace PortCustoms.Core.Residency;

/// <summary>
/// Where the app may process customs data (section <c>Residency</c>). The infrastructure sets <c>Region</c> to the
/// deployment's pinned region and <c>AllowedRegions</c> to the approved list; with no list (a developer's machine)
/// nothing is enforced.
/// </summary>
public sealed class ResidencyOptions
{
    public const string SectionName = "Residency";

    /// <summary>The region this deployment was made for, e.g. <c>westeurope</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The approved regions; empty means residency is not enforced (local runs only).</summary>
    public IList<string> AllowedRegions { get; } = [];
}
