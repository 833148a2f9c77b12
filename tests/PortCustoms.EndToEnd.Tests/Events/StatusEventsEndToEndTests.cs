using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Cloud.Messaging;
using PortCustoms.LocalHost.Events;
using PortCustoms.Core.Events;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.Functions.Tests.Events.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Events;

/// <summary>
/// Status events over real HTTP into the app on LocalHost (embedded session queue: no Service Bus configured), the
/// timeline on Azurite, and customs as a Kestrel double that is down, then failing, then up.
/// </summary>
public sealed class StatusEventsEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly CustomsStatusEventsDouble _customs = new();
    private AppHost _app = null!;

    public async Task InitializeAsync() => _app = await AppHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
    {
        ["CustomsPlatform:BaseAddress"] = _customs.BaseAddress.ToString(),
        ["ContainerEvents:InitialBackoff"] = "00:00:00.020",
        ["ContainerEvents:MaxBackoff"] = "00:00:00.100",
        ["ContainerEvents:TimelineStore:TableName"] = "e2e" + Guid.NewGuid().ToString("N")[..10],
    });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _customs.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _app.Client.PostAsync("api/v1/events", content);
    }

    private static string Json(string eventId, string container, string type, int minute) =>
        $$"""{ "eventId": "{{eventId}}", "containerNumber": "{{container}}", "type": "{{type}}", "occurredAt": "2026-11-26T03:{{minute:D2}}:00+00:00", "vesselImo": "9811000", "sizeType": "2210" }""";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var guard = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(20, guard.Token);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, guard.Token);
        }
    }

    [Fact]
    public async Task Events_reach_customs_once_each_in_order_per_container_after_customs_was_down_and_failing()
    {
        const string A = "MSCU1234566", B = "CSQU3054383";
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ContainerEventMetrics.MeterName && instrument.Name == "portcustoms.events.delivery_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();

        var first = $"[{Json("A-1", A, "DISCHARGED", 0)}, {Json("B-1", B, "GATED_IN", 1)}, {Json("A-2", A, "INSPECTED", 5)}]";
        using (var response = await PostAsync(first))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(["A-1", "B-1", "A-2"], body.RootElement.GetProperty("acceptedEventIds").EnumerateArray().Select(e => e.GetString()));
            // Issue 10, point 9: LocalHost without Service Bus queues in storage (Azurite), durable, and the 202 says so
            // (LocalQueueCrashEndToEndTests kills it to prove it).
            Assert.True(body.RootElement.GetProperty("durable").GetBoolean());
            Assert.Contains("LocalHost's queue in storage", body.RootElement.GetProperty("queue").GetString(), StringComparison.Ordinal);
        }
        using (var single = await PostAsync(Json("A-3", A, "GATED_OUT", 10)))
        {
            Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        }
        using (var resend = await PostAsync(first))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }
        using (var more = await PostAsync($"[{Json("B-2", B, "LOADED", 20)}, {Json("A-LATE", A, "STRIPPED", 7)}]"))
        {
            Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
        }

        await WaitUntilAsync(() => Interlocked.Read(ref failures) >= 4);

        // Customs is down: the container view lists everything that waits, in queue order, not only the head event.
        List<JsonElement> waiting = [];
        await WaitUntilAsync(async () =>
        {
            using var waitingView = await _app.Client.GetAsync($"api/v1/containers/{A}");
            using var body = JsonDocument.Parse(await waitingView.Content.ReadAsStringAsync());
            waiting = body.RootElement.GetProperty("waitingForCustoms").EnumerateArray().Select(w => w.Clone()).ToList();
            return waiting.Count > 0 && waiting[0].GetProperty("attempts").GetInt32() >= 1;
        });
        Assert.Equal(["A-1", "A-2", "A-3", "A-LATE"], waiting.Select(w => w.GetProperty("eventId").GetString()));
        Assert.False(string.IsNullOrEmpty(waiting[0].GetProperty("lastError").GetString()));
        Assert.Equal(0, waiting[3].GetProperty("attempts").GetInt32());

        await _customs.StartAsync(CustomsDoubleMode.Fail500);
        await WaitUntilAsync(() => _customs.Refused >= 2);
        _customs.Mode = CustomsDoubleMode.Accept;
        var queue = _app.Host.Services.GetRequiredService<TableSessionQueue>();
        await WaitUntilAsync(() => _customs.Arrivals.Count >= 6);
        await WaitUntilAsync(async () => await queue.CountActiveMessagesAsync() == 0);

        var arrivals = _customs.Arrivals.ToArray();
        Assert.Equal(6, arrivals.Length);
        Assert.Equal(["A-1", "A-2", "A-3", "A-LATE"], arrivals.Where(a => a.ContainerNumber == A).Select(a => a.EventId));
        Assert.Equal(["B-1", "B-2"], arrivals.Where(a => a.ContainerNumber == B).Select(a => a.EventId));
        Assert.True(arrivals.Single(a => a.EventId == "A-LATE").OutOfOrder);
        Assert.Empty(await queue.GetDeadLettersAsync());

        // The container view over HTTP: the timeline in the order things happened, and the anomalies. No customs
        // release was ever received for A, so its gate-out is an alarm.
        using var viewResponse = await _app.Client.GetAsync($"api/v1/containers/{A}");
        Assert.Equal(HttpStatusCode.OK, viewResponse.StatusCode);
        using var view = JsonDocument.Parse(await viewResponse.Content.ReadAsStringAsync());
        var timeline = view.RootElement.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["A-1", "A-2", "A-LATE", "A-3"], timeline.Select(e => e.GetProperty("eventId").GetString()));
        Assert.All(timeline, e => Assert.True(e.GetProperty("deliveredToCustoms").GetBoolean()));
        Assert.Empty(view.RootElement.GetProperty("waitingForCustoms").EnumerateArray());
        var anomalies = view.RootElement.GetProperty("anomalies").EnumerateArray()
            .Select(a => (a.GetProperty("kind").GetString(), a.GetProperty("eventId").GetString())).ToList();
        Assert.Contains(("OUT_OF_ORDER", "A-LATE"), anomalies);
        Assert.Contains(("GATED_OUT_WITHOUT_RELEASE", "A-3"), anomalies);
    }

    [Fact]
    public async Task A_request_with_one_bad_event_is_400_problem_details_and_queues_nothing()
    {
        var bad = Json("BAD-1", "MSCU1234567", "DISCHARGED", 1).Replace("+00:00", "", StringComparison.Ordinal);
        using var response = await PostAsync($"[{Json("OK-1", "MSCU1234566", "DISCHARGED", 0)}, {bad}]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("[1].containerNumber", out _));
        Assert.True(errors.TryGetProperty("[1].occurredAt", out _));
        Assert.Equal(0, await _app.Host.Services.GetRequiredService<TableSessionQueue>().CountActiveMessagesAsync());
    }
}
