using System.Globalization;

namespace PortCustoms.Core.Model;

/// <summary>
/// An ISO 8601 time that names its offset (<c>2026-11-26T08:15:00+01:00</c>, <c>...Z</c>). A time without one parses as
/// local time in .NET; the files and exports PortCustoms reads refuse it rather than guess the sender's zone.
/// </summary>
public static class IsoInstant
{
    /// <summary>Parses a date and time with an explicit offset; false for anything else, a date or a zone-less time included.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var trimmed = text.AsSpan().Trim();
        var t = trimmed.IndexOf('T');
        if (t < 0 || !HasOffset(trimmed[(t + 1)..]))
        {
            return false;
        }
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    private static bool HasOffset(ReadOnlySpan<char> time) =>
        time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.IndexOfAny('+', '-') >= 0;
}
