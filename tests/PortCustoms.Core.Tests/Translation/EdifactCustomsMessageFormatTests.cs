using System.Text;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Time;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Translation;

public sealed class EdifactCustomsMessageFormatTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 26, 7, 15, 0, TimeSpan.Zero));

    private static readonly EdifactCustomsMessageFormat Format = new(new EdifactFormatOptions { Sender = "NLRTMECT", Recipient = "NLCUSTOMS" }, Time);

    /// <summary>A customs platform that reads the EDIFACT query and answers with a CUSRES.</summary>
    private sealed class EdifactCustoms(string statusCode) : CustomsPlatformTransport
    {
        public string? LastRequest { get; private set; }

        public override Task<CustomsTransportResponse> SendAsync(CustomsTransportRequest request, CancellationToken cancellationToken = default)
        {
            LastRequest = Encoding.Latin1.GetString(request.Body.Span);
            Assert.Equal("application/EDIFACT", request.MediaType);
            Assert.True(Format.TryDecode<CustomsStatusQueryMessage>(request.Body, out var query));
            var answer = new CustomsStatusAnswerMessage(query.ContainerNumber, statusCode, "24NL0000000000001", Time.GetUtcNow());
            return Task.FromResult(new CustomsTransportResponse(200, Format.Encode(answer), Format.MediaType));
        }
    }

    [Fact]
    public async Task Live_query_over_EDIFACT_sends_a_CUSCAR_query_and_reads_the_CUSRES_answer()
    {
        var customs = new EdifactCustoms("4");
        var client = new CustomsPlatformLiveQueryClient(customs, Format, Time);

        var result = await client.QueryStatusAsync(ContainerNumber.Parse("MSCU1234566"));

        Assert.Equal((CustomsLiveQueryOutcome.Answered, "4", "24NL0000000000001"), (result.Outcome, result.StatusCode, result.CustomsReference));
        Assert.Contains("UNH+1+CUSCAR:D:95B:UN'BGM+21+", customs.LastRequest, StringComparison.Ordinal);
        Assert.Contains("EQD+CN+MSCU1234566'", customs.LastRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_event_is_encoded_as_COARRI_and_decoded_back()
    {
        var e = new ContainerStatusEvent("E-778899", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Discharged, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero))
        {
            VesselImo = ImoNumber.Parse("9811000"), Voyage = "124E", Location = "NLRTM", SealNumbers = ["ML-12345"], GrossMassKg = 23150, SizeType = SizeTypeCode.Iso45G1,
        };

        var body = Format.Encode(e);

        Assert.Contains("UNH+1+COARRI:D:95B:UN'BGM+44+E-778899+9'", Encoding.Latin1.GetString(body.Span), StringComparison.Ordinal);
        Assert.True(Format.TryDecode<ContainerStatusEvent>(body, out var back));
        Assert.Equal(ContainerStatusEventWriter.ToUtf8Bytes(e), ContainerStatusEventWriter.ToUtf8Bytes(back));
    }

    [Theory]
    [InlineData("not edifact")]
    [InlineData("UNB+UNOC:3+S+R+261126:0800+1'UNH+1+CUSRES:D:95B:UN'BGM+962+R+9'UNT+3+1'UNZ+1+1'")]
    [InlineData("UNB+UNOC:3+S+R+261126:0800+1'UNH+1+CUSRES:D:95B:UN'BGM+962+R+9'DTM+182:202611260710:203'GIS+4'EQD+CN+MSCU1234567'RFF+ABT:R'UNT+7+1'UNZ+1+1'")]
    public void Malformed_or_incomplete_answers_decode_to_false(string body) =>
        Assert.False(Format.TryDecode<CustomsStatusAnswerMessage>(Encoding.Latin1.GetBytes(body), out _));

    [Fact]
    public void Event_type_without_a_status_message_is_not_supported()
    {
        var e = new ContainerStatusEvent("E1", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Stripped, DateTimeOffset.UnixEpoch);
        Assert.Throws<NotSupportedException>(() => Format.Encode(e));
    }

    private static string Answer(string dtm, string gis = "4") =>
        $"UNA:+.? 'UNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0715+A1'UNH+1+CUSRES:D:96B:UN'BGM+962+REF1+9'{dtm}'GIS+{gis}'EQD+CN+MSCU1234566'RFF+ABT:REF1'UNT+7+1'UNZ+1+A1'";

    private static EdifactCustomsMessageFormat Zoned(Action<PartnerTimeZoneOptions> configure, CustomsAuthorityOptions? authority = null)
    {
        var options = new PartnerTimeZoneOptions();
        configure(options);
        return new EdifactCustomsMessageFormat(time: Time, clocks: new PartnerClocks(Microsoft.Extensions.Options.Options.Create(options)), authority: authority);
    }

    // 2026: Europe/Amsterdam springs forward on 29 March (02:00 -> 03:00) and falls back on 25 October (03:00 -> 02:00).
    [Theory]
    [InlineData("DTM+182:202601151000:203", "4", "2026-01-15T09:00:00Z")] // winter: CET
    [InlineData("DTM+182:202607151000:203", "4", "2026-07-15T08:00:00Z")] // summer: CEST
    [InlineData("DTM+182:202603290230:203", "4", "2026-03-29T01:30:00Z")] // the spring gap: shifted forward
    [InlineData("DTM+182:202610250230:203", "4", "2026-10-25T00:30:00Z")] // the autumn overlap, a release: the earlier instant
    [InlineData("DTM+182:202610250230:203", "7", "2026-10-25T01:30:00Z")] // the autumn overlap, a hold: the later instant
    [InlineData("DTM+182:202601151000?+00:303", "4", "2026-01-15T10:00:00Z")] // a zoned time is what it says
    public void A_zoneless_time_in_the_live_answer_is_read_in_the_authoritys_zone(string dtm, string gis, string utc)
    {
        var format = Zoned(o => o.CustomsAuthorities[CustomsAuthorityOptions.DefaultName] = "Europe/Amsterdam");

        Assert.True(format.TryDecode<CustomsStatusAnswerMessage>(Encoding.Latin1.GetBytes(Answer(dtm, gis)), out var answer));

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), answer.IssuedAt);
    }

    [Fact]
    public void Without_the_authoritys_zone_the_ports_zone_is_used_and_without_either_UTC()
    {
        var body = Encoding.Latin1.GetBytes(Answer("DTM+182:202607151000:203"));

        Assert.True(Zoned(o => o.Port = "Europe/Amsterdam").TryDecode<CustomsStatusAnswerMessage>(body, out var port));
        Assert.True(Format.TryDecode<CustomsStatusAnswerMessage>(body, out var unconfigured));
        // The authority's own zone wins over the port's, named by CustomsAuthority:Name.
        Assert.True(Zoned(o =>
        {
            o.Port = "Europe/Amsterdam";
            o.CustomsAuthorities["Douane"] = "Europe/London";
        }, new CustomsAuthorityOptions { Name = "Douane" }).TryDecode<CustomsStatusAnswerMessage>(body, out var authority));

        Assert.Equal(new DateTimeOffset(2026, 7, 15, 8, 0, 0, TimeSpan.Zero), port.IssuedAt);
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.Zero), unconfigured.IssuedAt);
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 9, 0, 0, TimeSpan.Zero), authority.IssuedAt);
    }
}
