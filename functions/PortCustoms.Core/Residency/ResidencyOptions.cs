using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PortCustoms.Core.Residency;

/// <summary>
/// Where the app may process customs data (section <c>Residency</c>). The infrastructure sets <c>Region</c> to the
/// deployment's pinned region and <c>AllowedRegions</c> to the approved list; with no list (a developer's machine)
/// nothing is enforced.
/// </summary>
public sealed class ResidencyOptions : IValidatableObject
{
    public const string SectionName = "Residency";

    /// <summary>The region this deployment was made for, e.g. <c>westeurope</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The approved regions; empty means residency is not enforced (local runs only).</summary>
    public IList<string> AllowedRegions { get; } = [];

    /// <summary>
    /// Shape only: whether the settings must be there at all depends on where the app runs (the run mode's requirements,
    /// in PortCustoms.Cloud, refuse an Azure start without them).
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Region is { } region && !IsRegionName(region))
        {
            yield return new ValidationResult($"Residency:Region '{region}' is not an Azure region name (e.g. westeurope).", [nameof(Region)]);
        }
        foreach (var allowed in AllowedRegions.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!IsRegionName(allowed))
            {
                yield return new ValidationResult($"Residency:AllowedRegions has '{allowed}', which is not an Azure region name (e.g. westeurope).", [nameof(AllowedRegions)]);
            }
        }
    }

    private static bool IsRegionName(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_');
}

/// <summary>Validates <see cref="ResidencyOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class ResidencyOptionsValidator : IValidateOptions<ResidencyOptions>
{
}
