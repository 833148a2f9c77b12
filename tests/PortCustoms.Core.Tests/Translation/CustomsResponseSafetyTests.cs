using PortCustoms.Core.Customs;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Translation.TranslationFixtures;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>Issue 10: CUSRES content that must never release (unmapped codes, times without a zone) and dates that must not crash.</summary>
public sealed class CustomsResponseSafetyTests
{
    private static async Task<TranslatedMessage> CusresAsync(params string[] body) =>
        Assert.Single((await TranslateAsync(Interchange("CUSRES", "D96B", body))).Messages);

    [Fact]
    public async Task Cusres_release_beside_an_unmapped_code_is_HOLD_naming_the_code()
    {
        var message = await CusresAsync("BGM+962+REF1+9", "DTM+182:202611260710?+00:303", "GIS+4", "GIS+99", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");

        Assert.Equal(CustomsStatus.Hold, Assert.Single(message.Notifications!).Status);
        var warning = Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.CustomsStatusUnmapped);
        Assert.Equal((EdifactSeverity.Warning, 6), (warning.Severity, warning.Segment));
        Assert.Contains("'99'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DTM+182:202611261340:203", false)]
    [InlineData("DTM+182:20261126134000:204", false)]
    [InlineData("DTM+182:202611261240?+00:303", true)]
    [InlineData("DTM+182:20261126:102", true)]
    public async Task Cusres_issue_time_carries_whether_it_had_a_zone(string dtm, bool zoned)
    {
        var message = await CusresAsync("BGM+962+REF1+9", dtm, "GIS+4", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");
        Assert.Equal(zoned, Assert.Single(message.Notifications!).IssuedAtZoned);
    }

    [Theory]
    [InlineData("000101010000+01", "303")]
    [InlineData("999912312359-01", "303")]
    [InlineData("00010101000000+14", "304")]
    [InlineData("99991231235959-14", "304")]
    public void EdifactDates_instant_outside_the_representable_range_is_unreadable_not_a_crash(string value, string format) =>
        Assert.False(EdifactDates.TryParse(value, format, out _, out _));

    [Fact]
    public async Task Cusres_date_outside_the_representable_range_is_a_positioned_error()
    {
        var message = await CusresAsync("BGM+962+REF1+9", "DTM+182:000101010000?+01:303", "GIS+4", "EQD+CN+MSCU1234566", "RFF+ABT:REF1");

        var error = Assert.Single(message.Diagnostics, d => d.Code == MappingErrorCodes.DateInvalid);
        Assert.Equal((4, 1, 2), (error.Segment, error.Element, error.Component));
        Assert.Empty(message.Notifications!);
    }
}
