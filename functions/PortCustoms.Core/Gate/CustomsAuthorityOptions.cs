using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
namespace PortCustoms.Core.Gate;

/// <summary>
/// How this port's customs authority's status codes map to gate decisions (configuration section <c>CustomsAuthority</c>).
/// The defaults are UN/EDIFACT code list 7365 (processing indicator): 4 released, 5 examination, 7 detained. A code the
/// mapping does not name is always HOLD.
/// </summary>
public sealed class CustomsAuthorityOptions : IValidatableObject
{
    public const string SectionName = "CustomsAuthority";

    /// <summary>Which authority and code list the mapping is for; recorded with every live decision.</summary>
    public string Name { get; set; } = DefaultName;

    public const string DefaultName = "UN/EDIFACT 7365";

    /// <summary>
    /// Status code to decision: the shipped list's map for this authority (<c>CodeLists/customs-status.json</c>, UN/EDIFACT
    /// 7365 by default). Configuration adds codes or overrides these; it cannot make an unknown code clear.
    /// </summary>
    public Dictionary<string, CustomsStatusCodeRule> StatusCodes { get; } = ShippedCodes(DefaultName);

    /// <summary>The shipped map of <paramref name="authority"/> (a copy; empty when the shipped list has none).</summary>
    public static Dictionary<string, CustomsStatusCodeRule> ShippedCodes(string authority, CodeLists.CodeListSet? lists = null)
    {
        var codes = new Dictionary<string, CustomsStatusCodeRule>(StringComparer.Ordinal);
        if ((lists ?? CodeLists.CodeListSet.Shipped).StatusMaps.TryGetValue(authority, out var map))
        {
            foreach (var (code, rule) in map.Codes)
            {
                codes[code] = new CustomsStatusCodeRule { Decision = rule.Decision, Reason = rule.Reason };
            }
        }
        return codes;
    }

    /// <summary>The reason given for a status code the mapping does not name.</summary>
    public string UnknownCodeReason { get; set; } = "Customs gave no release for this container";

    /// <summary>Problems with the mapping, for ValidateOnStart; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("CustomsAuthority:Name is required.");
        }
        if (string.IsNullOrWhiteSpace(UnknownCodeReason))
        {
            problems.Add("CustomsAuthority:UnknownCodeReason is required.");
        }
        foreach (var (code, rule) in StatusCodes)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                problems.Add("CustomsAuthority:StatusCodes has an empty code.");
            }
            if (rule is null || !Enum.IsDefined(rule.Decision))
            {
                problems.Add($"CustomsAuthority:StatusCodes:{code}:Decision must be CLEAR, HOLD or INSPECT.");
            }
            else if (string.IsNullOrWhiteSpace(rule.Reason))
            {
                problems.Add($"CustomsAuthority:StatusCodes:{code}:Reason is required (the gate clerk reads it).");
            }
        }
        return problems;
    }

    /// <summary>For the source-generated validator: the problems above as validation results.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(p => new ValidationResult(p));
}

/// <summary>One status code's decision and the reason shown at the gate.</summary>
public sealed class CustomsStatusCodeRule
{
    public GateDecision Decision { get; set; }

    public string Reason { get; set; } = string.Empty;
}

/// <summary>Validates <see cref="CustomsAuthorityOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class CustomsAuthorityOptionsValidator : IValidateOptions<CustomsAuthorityOptions>
{
}
