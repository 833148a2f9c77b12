using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>
/// Issue 15 point 4: the status-event sinks (JSON, EDIFACT, XML) and the event intake read the deployment's code lists:
/// a size-type alias only an override file knows goes to customs as its ISO 6346 (1995) code.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeploymentCodeListSinkTests(AzuriteFixture azurite) : IDisposable
{
    private const string AliasOverride = """{ "list": "size-types", "version": "port 2026-12", "mode": "extend", "aliases": { "40SD": "42G1" } }""";

    private static readonly CodeListService WithAlias = new(CodeListSet.Load([("port-aliases.json", AliasOverride)]));

    private static readonly Uri Customs = new("https://customs.example/api/");

    private readonly string _overrideFile = WriteOverride();

    public void Dispose() => File.Delete(_overrideFile);

    private static string WriteOverride()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codelist-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, AliasOverride);
        return path;
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(Encoding.UTF8.GetString(await request.Content!.ReadAsByteArrayAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static CustomsStatusNotice Notice(string sizeType) => new(
        new ContainerStatusEvent("E-778899", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Discharged, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero))
        {
            SizeType = SizeTypeCode.Parse(sizeType),
        },
        1,
        false);

    private static async Task<string> DeliverAsync(Func<IHttpClientFactory, CustomsEventSink> sink)
    {
        var recorder = new Recorder();
        var result = await sink(new Factory(recorder)).DeliverAsync(Notice("40SD"));
        Assert.Equal(CustomsDeliveryOutcome.Delivered, result.Outcome);
        return Assert.Single(recorder.Bodies);
    }

    private static IOptions<CustomsEventSinkOptions> SinkOptions => Options.Create(new CustomsEventSinkOptions { BaseAddress = Customs });

    [Fact]
    public async Task The_JSON_sink_sends_the_overridden_mapping()
    {
        var body = await DeliverAsync(f => new HttpCustomsEventSink(f, SinkOptions, codeLists: WithAlias));
        var shipped = await DeliverAsync(f => new HttpCustomsEventSink(f, SinkOptions));

        Assert.Contains("\"sizeType\":\"42G1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"sizeTypeAsSent\":\"40SD\"", body, StringComparison.Ordinal);
        Assert.Contains("\"sizeType\":\"40SD\"", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_EDIFACT_sink_sends_the_overridden_mapping()
    {
        var format = new EdifactCustomsMessageFormat(new EdifactFormatOptions { Sender = "NLRTMECT" });

        var body = await DeliverAsync(f => new EdifactCustomsEventSink(f, SinkOptions, format, codeLists: WithAlias));
        var shipped = await DeliverAsync(f => new EdifactCustomsEventSink(f, SinkOptions, format));

        Assert.Contains("EQD+CN+MSCU1234566+42G1:102:5", body, StringComparison.Ordinal);
        Assert.Contains("EQD+CN+MSCU1234566+40SD:102:5", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_XML_sink_sends_the_overridden_mapping()
    {
        var body = await DeliverAsync(f => new XmlCustomsEventSink(f, SinkOptions, new XmlCustomsMessageFormat(), codeLists: WithAlias));
        var shipped = await DeliverAsync(f => new XmlCustomsEventSink(f, SinkOptions, new XmlCustomsMessageFormat()));

        Assert.Contains("<CharacteristicCode>42G1</CharacteristicCode>", body, StringComparison.Ordinal);
        Assert.Contains("<CharacteristicCode>40SD</CharacteristicCode>", shipped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", "\"sizeType\":\"42G1\"")]
    [InlineData("edifact", "EQD+CN+MSCU1234566+42G1:102:5")]
    [InlineData("xml", "<CharacteristicCode>42G1</CharacteristicCode>")]
    public async Task The_app_sink_reads_the_override_files_in_its_settings(string format, string expected)
    {
        var recorder = new Recorder();
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["CodeLists:Overrides:0"] = _overrideFile,
            ["CustomsPlatform:Format"] = format,
            ["CustomsPlatform:BaseAddress"] = Customs.ToString(),
        }, services => services.AddSingleton<IHttpClientFactory>(new Factory(recorder)));

        var result = await app.Services.GetRequiredService<CustomsEventSink>().DeliverAsync(Notice("40SD"));

        Assert.Equal(CustomsDeliveryOutcome.Delivered, result.Outcome);
        Assert.Contains(expected, Assert.Single(recorder.Bodies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_event_intake_reads_the_override_files_and_the_unmapped_setting()
    {
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["CodeLists:Overrides:0"] = _overrideFile,
            ["CodeLists:Unmapped"] = "Reject",
        });
        var intake = app.Services.GetRequiredService<ContainerEventIntake>();
        static byte[] Event(string id, string sizeType) => Encoding.UTF8.GetBytes(
            $$"""{ "eventId": "{{id}}", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z", "sizeType": "{{sizeType}}" }""");

        var alias = await intake.AcceptAsync(Event("E-ALIAS", "40SD"));
        var unknown = await intake.AcceptAsync(Event("E-UNKNOWN", "99X9"));

        Assert.Equal(EventIntakeStatus.Accepted, alias.Status);
        Assert.Empty(alias.Batch.Warnings);
        Assert.Equal(EventIntakeStatus.Rejected, unknown.Status);
        Assert.Equal("sizeType", Assert.Single(Assert.Single(unknown.Batch.Failures).Errors).Field);
    }
}
