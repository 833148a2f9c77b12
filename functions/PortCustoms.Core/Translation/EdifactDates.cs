using System.Globalization;

namespace PortCustoms.Core.Translation;

/// <summary>DTM C507 values by format qualifier 2379: 102, 203, 204, 303, 304 (ZZZ is <c>UTC</c>, <c>Z</c> or a signed hour offset).</summary>
internal static class EdifactDates
{
    public static bool TryParse(ReadOnlySpan<char> value, ReadOnlySpan<char> format, out DateTimeOffset instant, out bool hasOffset)
    {
        instant = default;
        hasOffset = false;
        // Read in place (no substrings, no format-string parse): every DTM of every message of a batch file comes here.
        int length;
        var zone = ReadOnlySpan<char>.Empty;
        var zoned = false;
        switch (format)
        {
            case "102" when value.Length == 8:
                length = 8;
                break;
            case "203" when value.Length == 12:
                length = 12;
                break;
            case "204" when value.Length == 14:
                length = 14;
                break;
            case "303" when value.Length > 12:
                length = 12;
                zone = value[12..];
                zoned = true;
                break;
            case "304" when value.Length > 14:
                length = 14;
                zone = value[14..];
                zoned = true;
                break;
            default:
                return false;
        }
        if (format is "102")
        {
            // A date alone: the day in UTC; nothing better is known.
            hasOffset = true;
        }
        if (!TryReadLocal(value[..length], out var dateTime))
        {
            return false;
        }
        var offset = TimeSpan.Zero;
        if (zoned)
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

    /// <summary>
    /// CCYYMMDD, then HHMM and SS when there: ASCII digits only, a real calendar date (year 1 to 9999), hours 00-23,
    /// minutes and seconds 00-59; what <c>DateTime.TryParseExact</c> with <c>yyyyMMdd[HHmm[ss]]</c> accepts, and no more.
    /// </summary>
    private static bool TryReadLocal(ReadOnlySpan<char> digits, out DateTime dateTime)
    {
        dateTime = default;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        static int Two(ReadOnlySpan<char> s, int at) => ((s[at] - '0') * 10) + (s[at + 1] - '0');
        var year = (Two(digits, 0) * 100) + Two(digits, 2);
        var month = Two(digits, 4);
        var day = Two(digits, 6);
        var hour = digits.Length >= 12 ? Two(digits, 8) : 0;
        var minute = digits.Length >= 12 ? Two(digits, 10) : 0;
        var second = digits.Length == 14 ? Two(digits, 12) : 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        dateTime = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    private static bool TryParseZone(ReadOnlySpan<char> zone, out TimeSpan offset)
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
        if (!int.TryParse(zone.Slice(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > 14)
        {
            return false;
        }
        var minutes = 0;
        if (zone.Length == 5 && (!int.TryParse(zone.Slice(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes > 59))
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
