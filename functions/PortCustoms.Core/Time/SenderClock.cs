using NodaTime;
using NodaTime.TimeZones;

namespace PortCustoms.Core.Time;

/// <summary>Where a sender's zone came from.</summary>
public enum SenderZoneSource
{
    /// <summary>Configured for this sender.</summary>
    Sender,

    /// <summary>None for this sender: the port's zone (<c>PartnerTimeZones:Port</c>).</summary>
    Port,

    /// <summary>None at all: read as UTC.</summary>
    None,
}

/// <summary>How a local time met its zone's daylight-saving changes.</summary>
public enum LocalTimeMapping
{
    Unambiguous,

    /// <summary>The local time does not exist (clocks went forward over it): shifted forward by the gap's length.</summary>
    Gap,

    /// <summary>The local time happened twice (clocks went back): one of the two instants chosen by rule.</summary>
    Overlap,
}

/// <summary>Which of the two instants of a local time that happened twice.</summary>
public enum OverlapChoice
{
    /// <summary>The earlier instant (the offset before the change, as NodaTime's lenient resolver).</summary>
    Earlier,

    /// <summary>The later instant (the offset after the change).</summary>
    Later,
}

/// <summary>
/// One sender's clock for one file or message: reads its zoneless local times as instants in the sender's zone and
/// counts what had to be assumed, so a missing zone or a daylight-saving guess is reported once with a count, not once
/// per time. Rule (docs/partner-time-zones.md): a time in a gap is shifted forward by the gap's length (02:30 on the
/// spring-forward night is 03:30 of the new offset, the same instant as 02:30 in the old one); a time in an overlap is
/// the earlier instant unless the caller asks for the later one. Not thread-safe: one per file or message.
/// </summary>
public sealed class SenderClock
{
    private readonly DateTimeZone _zone;

    // The one offset of a zone that has no transitions (UTC, Etc/GMT-1): read without mapping through NodaTime.
    private readonly TimeSpan? _fixedOffset;

    internal SenderClock(string sender, DateTimeZone zone, SenderZoneSource source, bool forCustomsAuthority)
    {
        Sender = sender;
        _zone = zone;
        _fixedOffset = zone.MinOffset == zone.MaxOffset ? zone.MaxOffset.ToTimeSpan() : null;
        Source = source;
        ForCustomsAuthority = forCustomsAuthority;
    }

    /// <summary>UTC with no configuration (what offline tools without settings use).</summary>
    public static SenderClock Unconfigured(string sender = "sender") => new(sender, DateTimeZone.Utc, SenderZoneSource.None, forCustomsAuthority: false);

    /// <summary>A clock in <paramref name="zoneId"/> configured for <paramref name="sender"/> (tests, tools).</summary>
    public static SenderClock InZone(string sender, string zoneId, bool forCustomsAuthority = false) =>
        new(sender, DateTimeZoneProviders.Tzdb[zoneId], SenderZoneSource.Sender, forCustomsAuthority);

    /// <summary>e.g. <c>broker 'acme'</c>.</summary>
    public string Sender { get; }

    /// <summary>The IANA id the times are read in.</summary>
    public string ZoneId => _zone.Id;

    public SenderZoneSource Source { get; }

    /// <summary>
    /// True when this zone was configured for the customs authority itself: only then is a zoneless customs time
    /// ordered like a zoned one (and a zoneless release able to clear).
    /// </summary>
    public bool IsAuthoritative => ForCustomsAuthority && Source == SenderZoneSource.Sender;

    public bool ForCustomsAuthority { get; }

    /// <summary>Zoneless times read with this clock while no zone was configured for the sender.</summary>
    public long AssumedCount { get; private set; }

    /// <summary>Zoneless times that fell in a daylight-saving gap.</summary>
    public long GapCount { get; private set; }

    /// <summary>Zoneless times that fell in a daylight-saving overlap.</summary>
    public long OverlapCount { get; private set; }

    /// <summary>Every zoneless time read with this clock.</summary>
    public long ZonelessCount { get; private set; }

    private static readonly Instant Earliest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
    private static readonly Instant Latest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    /// <summary>The local time in the sender's zone, by the documented gap and overlap rule; counted. Null: no representable instant.</summary>
    public DateTimeOffset? Read(DateTime local, OverlapChoice overlap = OverlapChoice.Earlier) => Read(local, overlap, out _);

    public DateTimeOffset? Read(DateTime local, OverlapChoice overlap, out LocalTimeMapping mapping)
    {
        ZonelessCount++;
        if (Source != SenderZoneSource.Sender)
        {
            AssumedCount++;
        }
        if (_fixedOffset is { } fixedOffset)
        {
            // No gap or overlap can exist; the same instant and offset as the mapping below, without its cost per time.
            mapping = LocalTimeMapping.Unambiguous;
            var utcTicks = local.Ticks - fixedOffset.Ticks;
            if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
            {
                return null;
            }
            var fixedMinutes = TimeSpan.FromMinutes(Math.Truncate(fixedOffset.TotalMinutes));
            var atUtc = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            var wallTicks = utcTicks + fixedMinutes.Ticks;
            return wallTicks >= DateTime.MinValue.Ticks && wallTicks <= DateTime.MaxValue.Ticks ? atUtc.ToOffset(fixedMinutes) : atUtc;
        }
        var localDateTime = LocalDateTime.FromDateTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        var map = _zone.MapLocal(localDateTime);
        ZonedDateTime zoned;
        switch (map.Count)
        {
            case 0:
                GapCount++;
                mapping = LocalTimeMapping.Gap;
                zoned = Resolvers.ReturnForwardShifted(localDateTime, _zone, map.EarlyInterval, map.LateInterval);
                break;
            case 2:
                OverlapCount++;
                mapping = LocalTimeMapping.Overlap;
                zoned = overlap == OverlapChoice.Earlier ? map.First() : map.Last();
                break;
            default:
                mapping = LocalTimeMapping.Unambiguous;
                zoned = map.Single();
                break;
        }
        // The instant is kept exactly; DateTimeOffset offsets are whole minutes (local mean time had seconds).
        var instant = zoned.ToInstant();
        if (instant < Earliest || instant > Latest)
        {
            return null;
        }
        var offset = TimeSpan.FromMinutes(Math.Truncate(zoned.Offset.ToTimeSpan().TotalMinutes));
        var utc = new DateTimeOffset(instant.ToDateTimeUtc());
        var localTicks = utc.UtcTicks + offset.Ticks;
        // At the very ends of DateTime the local wall time may not fit: the same instant in UTC then.
        return localTicks >= DateTime.MinValue.Ticks && localTicks <= DateTime.MaxValue.Ticks ? utc.ToOffset(offset) : utc;
    }

    /// <summary>What was assumed, in one sentence for the file's report; null when nothing was.</summary>
    public string? DescribeAssumed() => AssumedCount == 0 ? null : Source switch
    {
        SenderZoneSource.Port => $"{AssumedCount} time(s) from {Sender} had no time zone and were read in the port's zone {ZoneId}: no zone is configured for this sender (PartnerTimeZones).",
        _ => $"{AssumedCount} time(s) from {Sender} had no time zone and were read as UTC: no zone is configured for this sender or the port (PartnerTimeZones).",
    };

    /// <summary>The daylight-saving guesses, in one sentence; null when there were none.</summary>
    public string? DescribeDaylightSaving() => GapCount + OverlapCount == 0 ? null :
        $"{GapCount} time(s) from {Sender} fell in a daylight-saving gap of {ZoneId} (shifted forward by the gap) and {OverlapCount} in an overlap (the earlier instant; a customs hold or inspection the later).";
}
