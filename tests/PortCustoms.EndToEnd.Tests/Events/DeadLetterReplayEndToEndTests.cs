using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cli;
using PortCustoms.Cloud.Messaging;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.Functions.Tests.Events.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Events;

/// <summary>
/// The app on LocalHost dead-letters an event customs refused; after the fix, <c>portcustoms replay dead-letters</c>
/// against the same Azurite puts it back and the running app delivers it, with the event id as idempotency key.
/// </summary>
public sealed class DeadLetterReplayEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly CustomsStatusEventsDouble _customs = new();
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        await _customs.StartAsync(CustomsDoubleMode.Reject422);
        _app = await AppHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = _customs.BaseAddress.ToString(),
            ["ContainerEvents:TimelineStore:TableName"] = "dlq" + Guid.NewGuid().ToString("N")[..10],
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _customs.DisposeAsync();
    }

    private async Task<JsonElement[]> WaitingAsync(string container)
    {
        using var view = await _app.Client.GetAsync($"api/v1/containers/{container}");
        return view.IsSuccessStatusCode ? (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waitingForCustoms").EnumerateArray().ToArray() : [];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_event_customs_refused_is_replayed_with_the_CLI_after_the_fix_and_delivered_once()
    {
        const string Container = "MSCU1234566";
        using (var content = new StringContent(
            $$"""{ "eventId": "DLQ-1", "containerNumber": "{{Container}}", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:00:00+00:00", "vesselImo": "9811000", "sizeType": "2210" }""",
            Encoding.UTF8, "application/json"))
        using (var posted = await _app.Client.PostAsync("api/v1/events", content))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        await WaitUntilAsync(async () => (await WaitingAsync(Container)).Any(w => w.GetProperty("deadLettered").GetBoolean()), "DLQ-1 dead-lettered");
        Assert.Empty(_customs.Arrivals);

        _customs.Mode = CustomsDoubleMode.Accept;
        var queue = new ReplayCommand.DeadLetterConnection(
            azurite.ConnectionString, null, _app.Host.Services.GetRequiredService<IOptions<TableSessionQueueOptions>>().Value.TableName);
        var stderr = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.ReplayDeadLettersAsync(queue, Container, "ops.jansen", "customs accepts 2210 again", json: true, new StringWriter(), stderr));

        await WaitUntilAsync(() => Task.FromResult(_customs.Arrivals.Any(a => a.EventId == "DLQ-1")), "DLQ-1 at customs");
        var arrival = Assert.Single(_customs.Arrivals);
        Assert.Equal(("DLQ-1", "DLQ-1"), (arrival.EventId, arrival.IdempotencyKey));
        await WaitUntilAsync(async () => (await WaitingAsync(Container)).Length == 0, "the container view to show nothing waiting");
        Assert.Equal(PortCustomsCli.Findings, await ReplayCommand.ReplayDeadLetterAsync(queue, Container, "DLQ-1", "ops", null, json: false, new StringWriter(), stderr));
    }
}
