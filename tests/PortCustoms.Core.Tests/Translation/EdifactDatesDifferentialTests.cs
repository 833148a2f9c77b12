using System.Globalization;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>
/// The DTM reader reads digits in place (no substrings, no format-string parse); it must accept and return exactly what
/// the earlier reader built on <c>DateTime.TryParseExact</c> did, kept here as the reference.
/// </summary>
public sealed class EdifactDatesDifferentialTests
{
    private static readonly string[] Formats = ["102", "203", "204", "303", "304", "999", ""];

    [Theory]
    [InlineData("20240229", "102")]
    [InlineData("20230229", "102")]
    [InlineData("00000101", "102")]
    [InlineData("00010101", "102")]
    [InlineData("99991231", "102")]
    [InlineData("202611260302", "203")]
    [InlineData("202611262400", "203")]
    [InlineData("202611262360", "203")]
    [InlineData("20261126030260", "204")]
    [InlineData("20261126030259", "204")]
    [InlineData("2026112603 259", "204")]
    [InlineData("２０２６11260302", "203")]
    [InlineData("202611260310+00", "303")]
    [InlineData("202611260310-0530", "303")]
    [InlineData("202611260310+15", "303")]
    [InlineData("202611260310+0160", "303")]
    [InlineData("202611260310UTC", "303")]
    [InlineData("202611260310Z", "303")]
    [InlineData("202611260310GMT", "303")]
    [InlineData("202611260310utc", "303")]
    [InlineData("20261126031000+01", "304")]
    [InlineData("99991231235959-14", "304")]
    [InlineData("00010101000000+14", "304")]
    [InlineData("202611260310+1", "303")]
    [InlineData("202611260310++1", "303")]
    public void Reads_what_the_TryParseExact_reader_read(string value, string format) => AssertSame(value, format);

    [Fact]
    public void Reads_what_the_TryParseExact_reader_read_over_a_hundred_thousand_generated_values()
    {
        var random = new Random(20261204);
        const string alphabet = "0123456789012345678901234567890123456789+-UTCZGM :";
        for (var i = 0; i < 100_000; i++)
        {
            var format = Formats[random.Next(Formats.Length)];
            var chars = new char[random.Next(6, 19)];
            // Mostly a plausible date so the calendar checks are reached, then noise.
            var plausible = $"{random.Next(0, 10000):D4}{random.Next(0, 14):D2}{random.Next(0, 33):D2}{random.Next(0, 25):D2}{random.Next(0, 61):D2}{random.Next(0, 61):D2}";
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = c < plausible.Length && random.Next(8) > 0 ? plausible[c] : alphabet[random.Next(alphabet.Length)];
            }
            AssertSame(new string(chars), format);
        }
    }

    private static void AssertSame(string value, string format)
    {
        var expected = Reference(value, format, out var expectedInstant, out var expectedOffset);
        var actual = EdifactDates.TryParse(value, format, out var instant, out var hasOffset);
        Assert.True(expected == actual, $"'{value}' ({format}): expected {expected}, got {actual}");
        if (expected)
        {
            Assert.Equal((expectedInstant, expectedInstant.Offset, expectedInstant.DateTime.Kind, expectedOffset), (instant, instant.Offset, instant.DateTime.Kind, hasOffset));
        }
    }

    /// <summary>The reader as it was before it read digits in place.</summary>
    private static bool Reference(string value, string format, out DateTimeOffset instant, out bool hasOffset)
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
}
