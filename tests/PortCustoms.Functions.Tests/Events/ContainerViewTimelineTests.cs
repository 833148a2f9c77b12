using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Functions.Tests.Events;

/// <summary>The container view with the status-event timeline, and the release rule answered by the gate path's store.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ContainerViewTimelineTests(AzuriteFixture azurite) : IDisposable
{
    // MSCU1234566, the container of the notification fixture.
    private const int Serial = 123456;

    private readonly RecordingCustomsSink _sink = new();
    private FunctionApp? _app;

    private FunctionApp App => _app ??= FunctionApp.Create(azurite, overrides: services =>
    {
        services.AddSingleton<CustomsEventSink>(_sink);
        services.AddSingleton<ContainerTimelineStore>(new InMemoryContainerTimelineStore());
    });

    public void Dispose() => _app?.Dispose();

    [Fact]
    public async Task Gate_out_under_customs_hold_shows_in_the_view_as_an_alarm_with_the_ordered_timeline()
    {
        await App.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(FunctionApp.Notification("CN-1", "HOLD", "2026-11-26T02:00:00Z")), CancellationToken.None);
        var handler = App.Services.GetRequiredService<ContainerEventMessageHandler>();
        // The gate-out arrives before the discharge that happened earlier.
        var gateOut = FakeSessionMessage.For(Event("G-1", ContainerEventType.GatedOut, 60, Serial));
        var discharge = FakeSessionMessage.For(Event("D-1", ContainerEventType.Discharged, 0, Serial));
        await handler.HandleAsync(gateOut);
        await handler.HandleAsync(discharge);
        Assert.Equal(("Complete", "Complete"), (gateOut.Settlement, discharge.Settlement));

        var view = await FunctionApp.ExecuteAsync(await App.Function<ContainerViewFunction>().RunAsync(FunctionApp.Get("containerNumber", "MSCU1234566"), null, CancellationToken.None));

        Assert.Equal(200, view.Status);
        var timeline = view.Json.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["D-1", "G-1"], timeline.Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal(("DISCHARGED", true, true), (timeline[0].GetProperty("type").GetString(), timeline[0].GetProperty("outOfOrder").GetBoolean(), timeline[0].GetProperty("deliveredToCustoms").GetBoolean()));
        var anomalies = view.Json.GetProperty("anomalies").EnumerateArray().Select(a => (a.GetProperty("kind").GetString(), a.GetProperty("severity").GetString(), a.GetProperty("eventId").GetString())).ToList();
        Assert.Contains(("GATED_OUT_WITHOUT_RELEASE", "ALARM", "G-1"), anomalies);
        Assert.Contains(("OUT_OF_ORDER", "WARNING", "D-1"), anomalies);
        Assert.DoesNotContain(anomalies, a => a.Item1 == "IMPOSSIBLE_TRANSITION");
        Assert.Equal("HOLD", view.Json.GetProperty("customsStatus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Gate_out_after_customs_release_raises_no_alarm()
    {
        await App.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(FunctionApp.Notification("CN-1", "RELEASED", "2026-11-26T02:00:00Z")), CancellationToken.None);
        var handler = App.Services.GetRequiredService<ContainerEventMessageHandler>();
        await handler.HandleAsync(FakeSessionMessage.For(Event("D-1", ContainerEventType.Discharged, 0, Serial)));
        await handler.HandleAsync(FakeSessionMessage.For(Event("G-1", ContainerEventType.GatedOut, 60, Serial)));

        var view = await FunctionApp.ExecuteAsync(await App.Function<ContainerViewFunction>().RunAsync(FunctionApp.Get("containerNumber", "MSCU1234566"), null, CancellationToken.None));
        Assert.Empty(view.Json.GetProperty("anomalies").EnumerateArray());
        Assert.Equal(2, view.Json.GetProperty("timeline").GetArrayLength());
    }
}
