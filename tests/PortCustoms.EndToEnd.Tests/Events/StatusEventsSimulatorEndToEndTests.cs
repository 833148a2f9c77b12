using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Cli.Simulator;
using PortCustoms.Core.Events;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Events;

/// <summary>Status events from the app on LocalHost to the team's customs simulator, failing half of the deliveries.</summary>
public sealed class StatusEventsSimulatorEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_event_reaches_the_customs_simulator_once_in_order_per_container_through_its_failures()
    {
        await using var customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { FailRate = 0.5, Seed = 7 });
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = customs.BaseAddress.ToString(),
            ["ContainerEvents:InitialBackoff"] = "00:00:00.010",
            ["ContainerEvents:MaxBackoff"] = "00:00:00.050",
            ["ContainerEvents:TimelineStore:TableName"] = "sim" + Guid.NewGuid().ToString("N")[..10],
        });

        var metrics = app.Host.Services.GetRequiredService<ContainerEventMetrics>();
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This app's meter only: other tests run their own apps in parallel.
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "portcustoms.events.delivery_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();

        string[] containers = ["MSCU1234566", "CSQU3054383", "TGHU0000013"];
        string[] types = ["DISCHARGED", "INSPECTED", "STRIPPED", "GATED_OUT"];
        var events = new List<string>();
        for (var i = 0; i < types.Length; i++)
        {
            foreach (var container in containers)
            {
                events.Add($$"""{ "eventId": "{{container}}-{{i}}", "containerNumber": "{{container}}", "type": "{{types[i]}}", "occurredAt": "2026-11-26T03:{{i:D2}}:00Z" }""");
            }
        }
        using var content = new StringContent("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync("api/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (customs.ReceivedStatusEvents.Count < events.Count)
        {
            await Task.Delay(20, guard.Token);
        }

        var received = customs.ReceivedStatusEvents.Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(events.Count, received.Count);
        Assert.True(Interlocked.Read(ref failures) > 0, "the simulator failed no delivery: the retry path was not exercised");
        Assert.Equal(received.Count, received.Distinct().Count());
        foreach (var container in containers)
        {
            Assert.Equal(Enumerable.Range(0, types.Length).Select(i => $"{container}-{i}"), received.Where(id => id!.StartsWith(container, StringComparison.Ordinal)));
        }
    }
}
