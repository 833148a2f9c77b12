using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

[Collection(AzuriteCollection.Name)]
public sealed class EdifactCustomsEventSinkTests(AzuriteFixture azurite)
{
    private sealed class Recorder(HttpStatusCode status) : HttpMessageHandler
    {
        public List<(string? ContentType, string? Key, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Content!.Headers.ContentType?.MediaType, request.Headers.GetValues("Idempotency-Key").Single(), Encoding.Latin1.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken))));
            return new HttpResponseMessage(status);
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static EdifactCustomsEventSink Sink(Recorder recorder) => new(
        new Factory(recorder),
        Options.Create(new CustomsEventSinkOptions { BaseAddress = new Uri("https://customs.example/api/") }),
        new EdifactCustomsMessageFormat(new EdifactFormatOptions { Sender = "NLRTMECT" }));

    private static ContainerStatusEvent Event(ContainerEventType type) =>
        new("E-778899", ContainerNumber.Parse("MSCU1234566"), type, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero)) { SizeType = SizeTypeCode.Parse("40HC") };

    [Fact]
    public async Task A_discharge_goes_to_customs_as_a_COARRI_with_the_event_id_as_idempotency_key()
    {
        var recorder = new Recorder(HttpStatusCode.Accepted);

        var result = await Sink(recorder).DeliverAsync(new CustomsStatusNotice(Event(ContainerEventType.Discharged), 1, false));

        Assert.Equal(CustomsDeliveryOutcome.Delivered, result.Outcome);
        var (contentType, key, body) = Assert.Single(recorder.Requests);
        Assert.Equal(("application/EDIFACT", "E-778899"), (contentType, key));
        Assert.Contains("UNH+1+COARRI:D:95B:UN'BGM+44+E-778899+9'", body, StringComparison.Ordinal);
        Assert.Contains("EQD+CN+MSCU1234566+45G1:102:5'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_no_EDIFACT_status_message_carries_is_a_permanent_failure_not_a_drop()
    {
        var recorder = new Recorder(HttpStatusCode.Accepted);

        var result = await Sink(recorder).DeliverAsync(new CustomsStatusNotice(Event(ContainerEventType.Stripped), 1, false));

        Assert.Equal(CustomsDeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task Customs_5xx_is_transient()
    {
        var result = await Sink(new Recorder(HttpStatusCode.BadGateway)).DeliverAsync(new CustomsStatusNotice(Event(ContainerEventType.GatedOut), 1, false));

        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, result.Outcome);
    }

    [Fact]
    public void The_app_sends_status_events_as_EDIFACT_when_the_platform_format_is_edifact()
    {
        using var edifact = FunctionApp.Create(azurite, new Dictionary<string, string?> { ["CustomsPlatform:Format"] = "edifact" });
        using var json = FunctionApp.Create(azurite);

        Assert.IsType<EdifactCustomsEventSink>(Assert.IsType<PendingTrackingSink>(edifact.Services.GetRequiredService<CustomsEventSink>()).Inner);
        Assert.IsType<HttpCustomsEventSink>(Assert.IsType<PendingTrackingSink>(json.Services.GetRequiredService<CustomsEventSink>()).Inner);
    }
}
