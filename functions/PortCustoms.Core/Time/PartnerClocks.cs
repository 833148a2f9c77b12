using Microsoft.Extensions.Options;
using NodaTime;

namespace PortCustoms.Core.Time;

/// <summary>Hands out a fresh <see cref="SenderClock"/> per file or message, from <see cref="PartnerTimeZoneOptions"/>.</summary>
public sealed class PartnerClocks
{
    private readonly PartnerTimeZoneOptions _options;

    public PartnerClocks(IOptions<PartnerTimeZoneOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>No zones configured: every zoneless time is read as UTC and reported once.</summary>
    public static PartnerClocks Unconfigured { get; } = new(Options.Create(new PartnerTimeZoneOptions()));

    public SenderClock ForBroker(string broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return _options.Brokers.TryGetValue(broker, out var zone)
            ? new SenderClock($"broker '{broker}'", Zone(zone), SenderZoneSource.Sender, forCustomsAuthority: false)
            : Fallback($"broker '{broker}'", forCustomsAuthority: false);
    }

    public SenderClock ForCustomsAuthority(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return _options.CustomsAuthorities.TryGetValue(authority, out var zone)
            ? new SenderClock($"customs authority '{authority}'", Zone(zone), SenderZoneSource.Sender, forCustomsAuthority: true)
            : Fallback($"customs authority '{authority}'", forCustomsAuthority: true);
    }

    /// <summary>A sender not known by name (a single message handed over without its file): the port's zone, else UTC.</summary>
    public SenderClock ForUnknownSender() => Fallback("the sender", forCustomsAuthority: false);

    private SenderClock Fallback(string sender, bool forCustomsAuthority) =>
        string.IsNullOrWhiteSpace(_options.Port)
            ? new SenderClock(sender, DateTimeZone.Utc, SenderZoneSource.None, forCustomsAuthority)
            : new SenderClock(sender, Zone(_options.Port), SenderZoneSource.Port, forCustomsAuthority);

    // Validated at start: an unknown id here is a programming error, not input.
    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];
}
