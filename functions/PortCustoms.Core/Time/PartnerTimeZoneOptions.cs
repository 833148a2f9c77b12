using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using NodaTime;

namespace PortCustoms.Core.Time;

/// <summary>
/// The IANA time zone each sender writes its local times in (section <c>PartnerTimeZones</c>): an EDIFACT DTM 203/204 or a
/// CSV time without an offset is read in its sender's zone. <see cref="Port"/> is the default for brokers without one.
/// </summary>
public sealed class PartnerTimeZoneOptions : IValidatableObject
{
    public const string SectionName = "PartnerTimeZones";

    /// <summary>The port's zone (e.g. <c>Europe/Amsterdam</c>); empty: none configured, zoneless times are read as UTC.</summary>
    public string? Port { get; set; }

    /// <summary>Broker id (the SFTP folder, as in <c>Batch:Brokers</c>) to its zone.</summary>
    public Dictionary<string, string> Brokers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Customs authority (<c>CustomsAuthority:Name</c>) to its zone. Only a zone named here makes a zoneless customs
    /// release able to clear: the port's default never does (see docs/partner-time-zones.md).
    /// </summary>
    public Dictionary<string, string> CustomsAuthorities { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Port) && DateTimeZoneProviders.Tzdb.GetZoneOrNull(Port) is null)
        {
            yield return new ValidationResult($"{SectionName}:Port '{Port}' is not an IANA time zone (e.g. Europe/Amsterdam).", [nameof(Port)]);
        }
        foreach (var (section, zones) in new[] { (nameof(Brokers), Brokers), (nameof(CustomsAuthorities), CustomsAuthorities) })
        {
            foreach (var (sender, zone) in zones)
            {
                if (string.IsNullOrWhiteSpace(zone) || DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
                {
                    yield return new ValidationResult($"{SectionName}:{section}:{sender} '{zone}' is not an IANA time zone (e.g. Europe/Amsterdam).", [section]);
                }
            }
        }
    }
}

/// <summary>Validates <see cref="PartnerTimeZoneOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class PartnerTimeZoneOptionsValidator : IValidateOptions<PartnerTimeZoneOptions>
{
}
