using System.Globalization;

namespace PortCustoms.Core.Translation;

/// <summary>DTM C507 values by format qualifier 2379: 102, 203, 204, 303, 304 (ZZZ is <c>UTC</c>, <c>Z</c> or a signed hour offset).</summary>
internal static class EdifactDates
{
    public static bool TryParse(string value, string format, out DateTimeOffset instant, out bool hasOffset)
    {
        instant = default;
        hasOffset = false;
        string local;
        string? zone = null;
        switch (format)
        {
            case "102" when value.Length == 8:
                local = value + "0000";
                break;
            case "203" when value.Length == 12:
                local = value;
                break;
            case "204" when value.Length == 14:
                local = value;
                break;
            case "303" when value.Length > 12:
                local = value[..12];
                zone = value[12..];
                break;
            case "304" when value.Length > 14:
                local = value[..14];
                zone = value[14..];
                break;
            default:
                return false;
        }
        if (format == "102")
        {
            // A date alone: the day in UTC; nothing better is known.
            hasOffset = true;
        }
        var pattern = local.Length == 14 ? "yyyyMMddHHmmss" : "yyyyMMddHHmm";
        if (!DateTime.TryParseExact(local, pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime))
        {
            return false;
        }
        var offset = TimeSpan.Zero;
        if (zone is not null)
        {
            if (!TryParseZone(zone, out offset))
            {
                return false;
            }
            hasOffset = true;
        }
        // 0001-01-01 00:00+01 or 9999-12-31 23:59-01 names no representable instant: unreadable, never a crash.
        var utcTicks = dateTime.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        instant = new DateTimeOffset(dateTime, offset);
        return true;
    }

    private static bool TryParseZone(string zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "UTC" or "GMT" or "Z")
        {
            return true;
        }
        if (zone.Length is not (3 or 5) || zone[0] is not ('+' or '-'))
        {
            return false;
        }
        if (!int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > 14)
        {
            return false;
        }
        var minutes = 0;
        if (zone.Length == 5 && (!int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes > 59))
        {
            return false;
        }
        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }
        return true;
    }

    /// <summary>
    /// Formats an instant as 303 (or 304 with seconds) in its own offset when that is whole hours (ZZZ is three
    /// characters: <c>+01</c>), else in UTC: the instant is always kept exactly.
    /// </summary>
    public static (string Value, string Format) Format(DateTimeOffset instant)
    {
        if (instant.Offset.Minutes != 0 || instant.Offset.Seconds != 0)
        {
            instant = instant.ToUniversalTime();
        }
        var hours = (int)instant.Offset.TotalHours;
        var zone = (hours < 0 ? "-" : "+") + Math.Abs(hours).ToString("00", CultureInfo.InvariantCulture);
        return instant.Second == 0 && instant.Millisecond == 0
            ? (instant.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture) + zone, "303")
            : (instant.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + zone, "304");
    }
}
