using System.Text;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
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
}
