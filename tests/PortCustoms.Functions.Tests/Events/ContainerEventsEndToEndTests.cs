using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.Functions.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.LocalHost.Events;
using PortCustoms.Functions.Tests.Events.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Events;

/// <summary>
/// The whole flow in one process, wired by the app's own registration (<see cref="PortCustomsApp.AddPortCustomsApp"/>):
/// the PostEvents function class, the embedded session queue (no Service Bus configured), the hosted consumer,
/// the Table timeline store on Azurite, and the HTTP sink posting to a Kestrel customs double.
/// </summary>
[Collection(EventsAzuriteCollection.Name)]
public sealed class ContainerEventsEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly CustomsStatusEventsDouble _customs = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["CustomsPlatform:BaseAddress"] = _customs.BaseAddress.ToString(),
            ["ContainerEvents:TimelineStore:ConnectionString"] = azurite.ConnectionString,
            ["ContainerEvents:TimelineStore:TableName"] = "e2etimelines" + Guid.NewGuid().ToString("N")[..8],
            ["ContainerEvents:InitialBackoff"] = "00:00:00.020",
            ["ContainerEvents:MaxBackoff"] = "00:00:00.100",
            ["ContainerEvents:ReleaseUnknownIsAlarm"] = "false",
            ["ServiceBus:MaxConcurrentSessions"] = "4",
            ["LocalHost:EventQueue:TableName"] = "e2equeue" + Guid.NewGuid().ToString("N")[..8],
            ["LocalHost:EventQueue:PollInterval"] = "00:00:00.050",
        });
        builder.Environment.EnvironmentName = Environments.Development;
        builder.Services.AddPortCustomsApp(builder.Configuration, builder.Environment, Cloud.RunMode.LocalHost);
        builder.Services.AddLocalEventQueue();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _customs.DisposeAsync();
    }

    private async Task<IActionResult> PostAsync(string json)
    {
        var function = ActivatorUtilities.CreateInstance<PostEventsFunction>(_host.Services);
        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await function.RunAsync(context.Request, CancellationToken.None);
    }

    private static string Json(string eventId, string container, string type, int minute) =>
        $$"""{ "eventId": "{{eventId}}", "containerNumber": "{{container}}", "type": "{{type}}", "occurredAt": "2026-11-26T03:{{minute:D2}}:00Z", "sizeType": "40HC" }""";

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
    public async Task Events_posted_while_customs_is_down_then_failing_reach_it_once_each_in_order_when_it_is_back()
    {
        const string A = "MSCU1234566", B = "CSQU3054383";
        var failures = 0L;
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

        // Customs is down (nothing listening). Two requests, interleaving two containers, one resent whole.
        var first = $"[{Json("A-1", A, "DISCHARGED", 0)}, {Json("B-1", B, "GATED_IN", 1)}, {Json("A-2", A, "STRIPPED", 5)}]";
        var second = $"[{Json("B-2", B, "LOADED", 9)}, {Json("A-3", A, "GATED_OUT", 10)}]";
        Assert.Equal(202, ((ObjectResult)await PostAsync(first)).StatusCode);
        Assert.Equal(202, ((ObjectResult)await PostAsync(second)).StatusCode);
        Assert.Equal(202, ((ObjectResult)await PostAsync(first)).StatusCode);
        // An event that happened before A-3 but arrives after it.
        Assert.Equal(202, ((ObjectResult)await PostAsync($"[{Json("A-LATE", A, "INSPECTED", 7)}]")).StatusCode);

        await WaitUntilAsync(() => Interlocked.Read(ref failures) >= 4);
        await _customs.StartAsync(CustomsDoubleMode.Fail500);
        await WaitUntilAsync(() => _customs.Refused >= 2);
        _customs.Mode = CustomsDoubleMode.Accept;
        await WaitUntilAsync(() => _customs.Arrivals.Count >= 6);

        var queue = _host.Services.GetRequiredService<TableSessionQueue>();
        await WaitUntilAsync(async () => await queue.CountActiveMessagesAsync() == 0);
        var arrivals = _customs.Arrivals.ToArray();
        Assert.Equal(6, arrivals.Length);
        Assert.Equal(["A-1", "A-2", "A-3", "A-LATE"], arrivals.Where(a => a.ContainerNumber == A).Select(a => a.EventId));
        Assert.Equal(["B-1", "B-2"], arrivals.Where(a => a.ContainerNumber == B).Select(a => a.EventId));
        Assert.All(arrivals, a => Assert.Equal(a.EventId, a.IdempotencyKey));
        Assert.True(arrivals.Single(a => a.EventId == "A-LATE").OutOfOrder);
        Assert.Empty(await queue.GetDeadLettersAsync());

        var view = await _host.Services.GetRequiredService<ContainerTimelineService>().GetAsync(ContainerNumber.Parse(A));
        Assert.Equal(["A-1", "A-2", "A-LATE", "A-3"], view.Events.Select(e => e.Event.EventId));
        Assert.All(view.Events, e => Assert.True(e.DeliveredToCustoms));
        Assert.Contains(view.Anomalies, a => a.Kind == ContainerAnomalyKind.OutOfOrder && a.EventId == "A-LATE");
    }

    [Fact]
    public async Task An_invalid_request_queues_nothing()
    {
        await _customs.StartAsync();
        var result = (ObjectResult)await PostAsync($"[{Json("OK-1", "MSCU1234566", "DISCHARGED", 0)}, {Json("BAD-1", "MSCU1234567", "DISCHARGED", 1)}]");
        Assert.Equal(400, result.StatusCode);
        var queue = _host.Services.GetRequiredService<TableSessionQueue>();
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
        Assert.Empty(_customs.Arrivals);
    }
}
