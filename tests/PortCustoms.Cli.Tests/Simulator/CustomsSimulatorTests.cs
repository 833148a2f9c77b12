using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PortCustoms.Cli.Simulator;

namespace PortCustoms.Cli.Tests.Simulator;

public sealed class CustomsSimulatorTests
{
    private static readonly SimulatorRules Rules = SimulatorRules.Parse("""
        // comments and trailing commas are fine in a hand-written rules file
        { "default": { "statusCode": "7" },
          "rules": [ { "match": "MSCU*", "statusCode": "5" },
                     { "match": "MSCU12*", "statusCode": "4", "customsReference": "REF-12" },
                     { "match": "MSCU1234566", "statusCode": "1" }, ] }
        """);

    [Theory]
    [InlineData("MSCU1234566", "1")]
    [InlineData("MSCU1299990", "4")]
    [InlineData("MSCU9999990", "5")]
    [InlineData("CSQU3054383", "7")]
    public void Resolve_ExactThenLongestPrefixThenDefault(string container, string code) =>
        Assert.Equal(code, Rules.Resolve(container).StatusCode);

    [Fact]
    public async Task Status_query_is_answered_from_the_rules()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Rules = Rules });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };

        var answer = await (await client.PostAsJsonAsync("v1/status-queries", new { queryId = "q1", containerNumber = "MSCU1299990" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("MSCU1299990", "4", "REF-12"), (answer.GetProperty("containerNumber").GetString(), answer.GetProperty("statusCode").GetString(), answer.GetProperty("customsReference").GetString()));
        Assert.Equal(1, simulator.QueryCount);
    }

    [Fact]
    public async Task Status_events_are_recorded_and_listed_in_arrival_order()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions());
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };

        for (var i = 1; i <= 3; i++)
        {
            using var content = new StringContent($$"""{"eventId":"E-{{i}}"}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("v1/status-events", content)).StatusCode);
        }
        var listed = await client.GetFromJsonAsync<JsonElement>("v1/status-events");

        Assert.Equal(["E-1", "E-2", "E-3"], listed.EnumerateArray().Select(e => e.GetProperty("body").GetProperty("eventId").GetString()));
        Assert.Equal([1L, 2L, 3L], simulator.ReceivedStatusEvents.Select(e => e.Sequence));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("v1/status-events")).StatusCode);
        Assert.Empty(simulator.ReceivedStatusEvents);
    }

    [Fact]
    public async Task Fail_rate_one_fails_queries_and_deliveries_and_records_nothing()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { FailRate = 1 });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsJsonAsync("v1/status-queries", new { queryId = "q", containerNumber = "MSCU1234566" })).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsJsonAsync("v1/status-events", new { eventId = "E-1" })).StatusCode);
        Assert.Empty(simulator.ReceivedStatusEvents);
    }

    [Fact]
    public async Task Malformed_rate_one_never_answers_a_valid_status()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { MalformedRate = 1, Seed = 3 });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        for (var i = 0; i < 12; i++)
        {
            var body = await (await client.PostAsJsonAsync("v1/status-queries", new { queryId = "q", containerNumber = "MSCU1234566" })).Content.ReadAsStringAsync();
            var valid = false;
            try
            {
                using var document = JsonDocument.Parse(body);
                valid = document.RootElement.TryGetProperty("statusCode", out _)
                    && document.RootElement.GetProperty("containerNumber").GetString() == "MSCU1234566";
            }
            catch (JsonException)
            {
            }
            Assert.False(valid, body);
        }
    }

    [Theory]
    [InlineData("--format", "csv")]
    [InlineData("--fail-rate", "1.5")]
    [InlineData("--malformed-rate", "-0.1")]
    [InlineData("--latency", "-5")]
    public async Task Invalid_option_exits_with_2(string option, string value) =>
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["simulate-customs", "--port", "0", option, value]));

    [Fact]
    public async Task Client_CA_without_a_server_certificate_exits_with_2()
    {
        using var ca = new PortCustoms.TestSupport.TestCertificates();
        var pem = Path.Combine(Path.GetTempPath(), $"client-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, ca.AuthorityPem);
        try
        {
            Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["simulate-customs", "--port", "0", "--client-ca", pem]));
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public async Task Missing_rules_file_exits_with_2() =>
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["simulate-customs", "--port", "0", "--rules", "/nonexistent/rules.json"]));

    [Fact]
    public async Task Speaking_XML_it_accepts_a_valid_ContainerStatusReport_and_refuses_anything_else()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Format = "xml" });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        var report = new PortCustoms.Core.CustomsPlatform.XmlCustomsMessageFormat().Encode(new PortCustoms.Core.Events.ContainerStatusEvent(
            "E-1", PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566"), PortCustoms.Core.Events.ContainerEventType.GatedOut, new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero)));

        using var valid = await client.PostAsync("v1/status-events", new StringContent(Encoding.UTF8.GetString(report.Span), Encoding.UTF8, "application/xml"));
        using var json = await client.PostAsync("v1/status-events", new StringContent("{\"eventId\":\"E-2\"}", Encoding.UTF8, "application/json"));
        using var xxe = await client.PostAsync("v1/status-events", new StringContent("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", Encoding.UTF8, "application/xml"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (valid.StatusCode, json.StatusCode, xxe.StatusCode));
        Assert.Single(simulator.ReceivedStatusEvents);
    }

    [Fact]
    public async Task An_XML_status_query_is_answered_with_a_valid_StatusAnswer_and_an_invalid_one_is_400()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Format = "xml", Rules = Rules });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        var query = PortCustoms.Core.Xml.WcoStatusQueryXml.WriteQuery(
            new PortCustoms.Core.CustomsPlatform.CustomsStatusQueryMessage("Q-7", "MSCU1234566"), DateTimeOffset.UtcNow, "NLRTM");

        using var answered = await client.PostAsync("v1/status-queries", new ByteArrayContent(query) { Headers = { ContentType = new("application/xml") } });
        var body = await answered.Content.ReadAsByteArrayAsync();
        using var invalid = await client.PostAsync("v1/status-queries", new StringContent(
            "<StatusQuery xmlns=\"urn:portcustoms:wco:status-query:1\"><ID>Q-8</ID></StatusQuery>", Encoding.UTF8, "application/xml"));

        Assert.Equal(("application/xml", HttpStatusCode.BadRequest), (answered.Content.Headers.ContentType?.MediaType, invalid.StatusCode));
        var read = PortCustoms.Core.Xml.WcoStatusQueryXml.ReadAnswer(body);
        Assert.True(read.IsValid, Encoding.UTF8.GetString(body));
        Assert.Equal(("MSCU1234566", "1", "SIM-MSCU1234566"), (read.Message!.ContainerNumber, read.Message.StatusCode, read.Message.CustomsReference));
        Assert.Contains("<ResponseToID>Q-7</ResponseToID>", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speaking_XML_with_malformed_rate_one_it_never_answers_a_readable_StatusAnswer()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Format = "xml", MalformedRate = 1, Seed = 3, Rules = Rules });
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        var format = new PortCustoms.Core.CustomsPlatform.XmlCustomsMessageFormat();

        for (var i = 0; i < 8; i++)
        {
            using var response = await client.PostAsync("v1/status-queries", new ReadOnlyMemoryContent(
                format.Encode(new PortCustoms.Core.CustomsPlatform.CustomsStatusQueryMessage("Q-" + i, "MSCU1234566"))) { Headers = { ContentType = new("application/xml") } });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(format.TryDecode<PortCustoms.Core.CustomsPlatform.CustomsStatusAnswerMessage>(await response.Content.ReadAsByteArrayAsync(), out _));
        }
    }
}
