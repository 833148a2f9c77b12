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
/// anything else), and the simulator's <c>CustomsResponse</c> release decides the gate from the store.
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
}
