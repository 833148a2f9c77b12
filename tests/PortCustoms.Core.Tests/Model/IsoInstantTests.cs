using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Model;

public sealed class IsoInstantTests
{
    [Theory]
    [InlineData("2026-11-26T08:15:00Z", "2026-11-26T08:15:00+00:00")]
    [InlineData("2026-11-26T08:15:00+01:00", "2026-11-26T07:15:00+00:00")]
    [InlineData(" 2026-11-26T03:15:00.5-05:00 ", "2026-11-26T08:15:00.5+00:00")]
    public void A_time_with_its_offset_parses_to_the_instant(string text, string utc)
    {
        Assert.True(IsoInstant.TryParse(text, out var instant));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("2026-11-26T08:15:00")]
    [InlineData("2026-11-26")]
    [InlineData("2026-11-26 08:15")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData(null)]
    public void A_time_without_an_offset_or_no_time_is_refused(string? text) =>
        Assert.False(IsoInstant.TryParse(text, out _));
}
