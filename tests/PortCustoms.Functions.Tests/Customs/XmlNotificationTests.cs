using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>
/// WCO XML on the customs platform adapter, through the app's registrations and Azurite: <c>application/xml</c>
/// notifications on <c>POST /api/v1/customs/notifications</c>, and status events with <c>CustomsPlatform:Format = xml</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class XmlNotificationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private static string Response(string id = "CN-X1", string status = "RELEASED", string issuedAt = "2026-11-26T07:10:00Z", string container = "MSCU1234566") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CustomsResponse xmlns="urn:portcustoms:wco:customs-response:1">
          <MetaData><WCODataModelVersionCode>3.11</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName><ResponsibleCountryCode>NL</ResponsibleCountryCode><ResponsibleAgencyName>Douane</ResponsibleAgencyName></MetaData>
          <Response><ID>{id}</ID><IssueDateTime>{issuedAt}</IssueDateTime><Status><NameCode>{status}</NameCode></Status><TransportEquipment><ID>{container}</ID></TransportEquipment></Response>
        </CustomsResponse>
        """;

    private async Task<HttpResult> PostAsync(string body, string contentType = "application/xml") =>
        await FunctionApp.ExecuteAsync(await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(body, contentType), CancellationToken.None));

    private Task<ContainerCustomsState?> StateAsync(string container) =>
        _app.Services.GetRequiredService<CustomsStateStore>().GetStateAsync(FunctionApp.Container(container));

    [Fact]
    public async Task An_XML_customs_response_is_stored_before_202()
    {
        var response = await PostAsync(Response());

        Assert.Equal(202, response.Status);
        var receipt = Assert.Single(response.Json.GetProperty("notifications").EnumerateArray());
        Assert.Equal(("CN-X1", "APPLIED"), (receipt.GetProperty("notificationId").GetString(), receipt.GetProperty("outcome").GetString()));
        Assert.Equal(CustomsStatus.Released, (await StateAsync("MSCU1234566"))!.Current.Status);
    }

    [Fact]
    public async Task An_XSD_invalid_document_is_a_400_with_positioned_diagnostics_and_nothing_stored()
    {
        var response = await PostAsync(Response(issuedAt: "2026-11-26T07:10:00", status: "released"), "text/xml; charset=utf-8");

        Assert.Equal(400, response.Status);
        var diagnostics = response.Json.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Contains(diagnostics, d => d.GetProperty("code").GetString() == "XML-SCHEMA-VALUE"
            && d.GetProperty("xPath").GetString() == "/CustomsResponse/Response[1]/IssueDateTime[1]"
            && d.GetProperty("line").GetInt64() == 4 && d.GetProperty("column").GetInt64() > 0);
        Assert.Contains(diagnostics, d => d.GetProperty("xPath").GetString() == "/CustomsResponse/Response[1]/Status[1]/NameCode[1]");
        Assert.True(response.Json.GetProperty("diagnosticCount").GetInt64() >= 2);
        Assert.Null(await StateAsync("MSCU1234566"));
    }

    [Fact]
    public async Task An_XXE_document_is_refused()
    {
        var response = await PostAsync("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><CustomsResponse xmlns=\"urn:portcustoms:wco:customs-response:1\">&x;</CustomsResponse>");

        Assert.Equal(400, response.Status);
        Assert.Equal("XML-DTD-REFUSED", response.Json.GetProperty("diagnostics")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_future_issued_response_is_refused_and_an_unmapped_code_held_with_a_warning()
    {
        var future = await PostAsync(Response(issuedAt: DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
        var unmapped = await PostAsync(Response(id: "CN-X2", status: "PROVISIONAL_RELEASE"));

        Assert.Equal(400, future.Status);
        Assert.Equal("XML-RULE-ISSUED-IN-FUTURE", future.Json.GetProperty("diagnostics")[0].GetProperty("code").GetString());
        Assert.Equal(202, unmapped.Status);
        Assert.Equal("XML-VALUE-STATUS-UNMAPPED", unmapped.Json.GetProperty("warnings")[0].GetProperty("code").GetString());
        Assert.Equal(CustomsStatus.Hold, (await StateAsync("MSCU1234566"))!.Current.Status);
    }

    [Fact]
    public async Task The_same_id_with_other_content_is_a_409()
    {
        await PostAsync(Response(status: "HOLD"));

        var response = await PostAsync(Response(status: "RELEASED"));

        Assert.Equal(409, response.Status);
        Assert.Equal(CustomsStatus.Hold, (await StateAsync("MSCU1234566"))!.Current.Status);
    }

    [Fact]
    public void The_app_sends_status_events_and_the_live_query_as_XML_when_the_platform_format_is_xml()
    {
        using var xml = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:Format"] = "xml",
            ["CustomsPlatform:BaseAddress"] = "https://customs.example/",
        });

        Assert.IsType<XmlCustomsEventSink>(Assert.IsType<PendingTrackingSink>(xml.Services.GetRequiredService<CustomsEventSink>()).Inner);
        // The live query is asked (not NotConfigured), in the XML format the registration chose.
        Assert.True(Assert.IsType<CustomsPlatformLiveQueryClient>(xml.Services.GetRequiredService<CustomsLiveQueryClient>()).IsConfigured);
        Assert.True(xml.Services.GetRequiredService<XmlCustomsMessageFormat>().CarriesStatusQuery);
    }

    private sealed class Recorder(HttpStatusCode status) : HttpMessageHandler
    {
        public List<(string? ContentType, string Key, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Content!.Headers.ContentType?.MediaType, request.Headers.GetValues("Idempotency-Key").Single(), Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken))));
            return new HttpResponseMessage(status);
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static XmlCustomsEventSink Sink(Recorder recorder) => new(
        new Factory(recorder),
        Options.Create(new CustomsEventSinkOptions { BaseAddress = new Uri("https://customs.example/api/") }),
        new XmlCustomsMessageFormat());

    [Fact]
    public async Task The_XML_sink_posts_a_valid_ContainerStatusReport_with_the_event_id_as_idempotency_key()
    {
        var recorder = new Recorder(HttpStatusCode.Accepted);
        var e = new ContainerStatusEvent("E-778899", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Stripped, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero)) { SizeType = SizeTypeCode.Parse("40HC") };

        var result = await Sink(recorder).DeliverAsync(new CustomsStatusNotice(e, 1, false));

        Assert.Equal(CustomsDeliveryOutcome.Delivered, result.Outcome);
        var (contentType, key, body) = Assert.Single(recorder.Requests);
        Assert.Equal(("application/xml", "E-778899"), (contentType, key));
        Assert.True(new XmlCustomsMessageFormat().TryDecode<ContainerStatusEvent>(Encoding.UTF8.GetBytes(body), out var read));
        Assert.Equal((ContainerEventType.Stripped, "45G1"), (read.Type, read.SizeType.ToString()));
        Assert.Equal(CustomsDeliveryOutcome.TransientFailure, (await Sink(new Recorder(HttpStatusCode.BadGateway)).DeliverAsync(new CustomsStatusNotice(e, 1, false))).Outcome);
        Assert.Equal(CustomsDeliveryOutcome.PermanentFailure, (await Sink(new Recorder(HttpStatusCode.BadRequest)).DeliverAsync(new CustomsStatusNotice(e, 1, false))).Outcome);
    }
}
