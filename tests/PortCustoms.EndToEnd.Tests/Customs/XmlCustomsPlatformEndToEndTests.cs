using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PortCustoms.Cli.Simulator;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Customs;

/// <summary>
/// Issue 15 point 2, end to end: the app on LocalHost with <c>CustomsPlatform:Format = xml</c> and the customs simulator
/// speaking XML. Status events reach the simulator as schema-valid <c>ContainerStatusReport</c> documents (it refuses
/// anything else), the simulator's <c>CustomsResponse</c> release decides the gate from the store, and a container
/// with no pushed notification is decided by the live XML query (<c>StatusQuery</c> / <c>StatusAnswer</c>).
/// </summary>
public sealed class XmlCustomsPlatformEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Status_events_go_out_as_XML_and_an_XML_release_from_customs_clears_the_gate()
    {
        await using var customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Format = "xml", Seed = 15 });
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = customs.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "xml",
            ["ContainerEvents:InitialBackoff"] = "00:00:00.010",
            ["ContainerEvents:MaxBackoff"] = "00:00:00.050",
            ["ContainerEvents:TimelineStore:TableName"] = "xml" + Guid.NewGuid().ToString("N")[..10],
        });
        const string container = "TGHU0000013";

        var events = """
            [{ "eventId": "X15-1", "containerNumber": "TGHU0000013", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:00:00Z", "sizeType": "45G1" },
             { "eventId": "X15-2", "containerNumber": "TGHU0000013", "type": "STRIPPED", "occurredAt": "2026-11-26T04:00:00Z" }]
            """;
        using var posted = await app.Client.PostAsync("api/v1/events", new StringContent(events, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (customs.ReceivedStatusEvents.Count < 2)
        {
            await Task.Delay(20, guard.Token);
        }
        var format = new XmlCustomsMessageFormat();
        var received = customs.ReceivedStatusEvents.Select(e =>
        {
            Assert.Equal("application/xml", e.ContentType);
            Assert.True(format.TryDecode<ContainerStatusEvent>(Encoding.UTF8.GetBytes(e.Body), out var read), e.Body);
            return (read.EventId, read.Type);
        }).ToList();
        Assert.Equal([("X15-1", ContainerEventType.Discharged), ("X15-2", ContainerEventType.Stripped)], received);

        using var notified = await customs.SendNotificationAsync(app.Client, new CustomsNotification
        {
            NotificationId = "X15-RELEASE",
            ContainerNumber = ContainerNumber.Parse(container),
            Status = CustomsStatus.Released,
            CustomsReference = "24NL0000000000015",
            IssuedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        Assert.Equal(HttpStatusCode.Accepted, notified.StatusCode);
        var receipt = await notified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("APPLIED", receipt.GetProperty("notifications")[0].GetProperty("outcome").GetString());

        using var gate = await app.Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT", requestedAt = DateTimeOffset.UtcNow,
        });
        var answer = await gate.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("CLEAR", "STORE", "24NL0000000000015"),
            (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("customsReference").GetString()));
        Assert.Equal(0, customs.QueryCount);
    }

    [Fact]
    public async Task A_container_with_no_pushed_notification_is_decided_by_the_live_XML_query()
    {
        await using var customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "xml",
            Rules = SimulatorRules.Parse("""
                { "default": { "statusCode": "4", "customsReference": "24NL-XML-LIVE" },
                  "rules": [ { "match": "DTNU*", "statusCode": "7" }, { "match": "UNKU*", "statusCode": "UNKNOWN" } ] }
                """),
        });
        await using var app = await StartAsync(customs);

        var released = await AskGateAsync(app, NewContainer("XMLU"));
        Assert.Equal(("CLEAR", "CUSTOMS", "24NL-XML-LIVE"),
            (released.GetProperty("decision").GetString(), released.GetProperty("source").GetString(), released.GetProperty("customsReference").GetString()));
        var detained = await AskGateAsync(app, NewContainer("DTNU"));
        Assert.Equal(("HOLD", "CUSTOMS", "Detained by customs"),
            (detained.GetProperty("decision").GetString(), detained.GetProperty("source").GetString(), detained.GetProperty("reason").GetString()));
        // Customs does not know the container: a code the authority's map does not name is HOLD, never a release.
        var unknown = await AskGateAsync(app, NewContainer("UNKU"));
        Assert.Equal(("HOLD", "CUSTOMS"), (unknown.GetProperty("decision").GetString(), unknown.GetProperty("source").GetString()));
        Assert.Equal(3, customs.QueryCount);
    }

    [Fact]
    public async Task A_malformed_XML_answer_from_customs_is_HOLD_from_DEFAULT_never_a_release()
    {
        // The rules would release every container: only the malformed answers can make the gate hold.
        await using var customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "xml",
            MalformedRate = 1,
            Seed = 15,
            Rules = SimulatorRules.Parse("""{ "default": { "statusCode": "4", "customsReference": "24NL-XML-LIVE" } }"""),
        });
        await using var app = await StartAsync(customs);

        // Several queries, so the simulator goes through its kinds of bad answer (cut off, schema-invalid).
        for (var i = 0; i < 4; i++)
        {
            var answer = await AskGateAsync(app, NewContainer("XMLU"));
            Assert.Equal(("HOLD", "DEFAULT", "Customs answer could not be read; no release known"),
                (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("reason").GetString()));
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("customsReference").ValueKind);
        }
        Assert.True(customs.QueryCount >= 4, $"the simulator was asked {customs.QueryCount} times");
    }

    private static int s_serial;

    private static string NewContainer(string owner)
    {
        var firstTen = owner + (Interlocked.Increment(ref s_serial) + 700_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private Task<AppHost> StartAsync(CustomsSimulator customs) =>
        AppHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = customs.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "xml",
            ["Gate:LiveQueryBudget"] = "00:00:02",
        });

    private static async Task<JsonElement> AskGateAsync(AppHost app, string container)
    {
        using var gate = await app.Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT", requestedAt = DateTimeOffset.UtcNow,
        });
        Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
        return await gate.Content.ReadFromJsonAsync<JsonElement>();
    }
}
