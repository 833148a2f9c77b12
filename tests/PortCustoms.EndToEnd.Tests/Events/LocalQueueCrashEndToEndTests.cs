using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PortCustoms.Cli.Simulator;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.Cloud.Messaging;
using PortCustoms.LocalHost.Events;
using PortCustoms.TestSupport;
using Xunit.Abstractions;

namespace PortCustoms.EndToEnd.Tests.Events;

/// <summary>
/// Issue 10, "nothing accepted is lost": LocalHost is killed (SIGKILL) while the events it answered 202 for are still
/// being delivered to a slow customs; restarted on the same storage, it delivers every one of them, in order per
/// container, and a resend of what was accepted before the crash is dropped as a duplicate.
/// </summary>
public sealed class LocalQueueCrashEndToEndTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] Containers = ["MSCU1234566", "CSQU3054383", "TGHU0000013"];
    private static readonly string[] Types = ["DISCHARGED", "INSPECTED", "STRIPPED", "STUFFED", "LOADED", "GATED_OUT"];

    [Fact]
    public async Task Events_accepted_before_a_kill_9_are_all_delivered_after_the_restart_in_order_per_container()
    {
        await using var customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Latency = TimeSpan.FromMilliseconds(250) });
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["CustomsPlatform:BaseAddress"] = customs.BaseAddress.ToString(),
            ["ContainerEvents:InitialBackoff"] = "00:00:00.050",
            ["ContainerEvents:MaxBackoff"] = "00:00:00.200",
            ["ContainerEvents:TimelineStore:TableName"] = "crashtimelines" + suffix,
            ["LocalHost:EventQueue:TableName"] = "crashqueue" + suffix,
            // A crashed holder's session is taken over this long after its last renewal.
            ["LocalHost:EventQueue:LockDuration"] = "00:00:02",
            ["LocalHost:EventQueue:PollInterval"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        var requests = Types.Select((type, i) => "[" + string.Join(",", Containers.Select(c => Event(c, i, type))) + "]").ToList();
        var accepted = new List<string>();
        var first = await LocalHostProcess.StartAsync(settings, Patience);
        int deliveredAtKill;
        try
        {
            foreach (var request in requests)
            {
                using var response = await PostAsync(first.Client, request);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(body.RootElement.GetProperty("durable").GetBoolean(), "LocalHost's queue must say it is durable");
                accepted.AddRange(body.RootElement.GetProperty("acceptedEventIds").EnumerateArray().Select(e => e.GetString()!));
            }

            // Kill it while customs is still being served: some delivered, most not.
            await WaitUntilAsync(() => customs.ReceivedStatusEvents.Count >= 2, first);
            await first.KillAsync();
            deliveredAtKill = customs.ReceivedStatusEvents.Count;
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.Equal(Containers.Length * Types.Length, accepted.Count);
        Assert.True(deliveredAtKill < accepted.Count, $"all {accepted.Count} events were delivered before the kill: the test proves nothing");

        await using var second = await LocalHostProcess.StartAsync(settings, Patience);
        await WaitUntilAsync(() => Delivered(customs).Distinct().Count() >= accepted.Count, second);

        // A resend of a request accepted before the crash: duplicate detection survived it too.
        using (var resend = await PostAsync(second.Client, requests[0]))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }
        var queue = new TableSessionQueue(new TableClient(azurite.ConnectionString, settings["LocalHost:EventQueue:TableName"]), TimeSpan.FromSeconds(2));
        await WaitUntilAsync(async () => await queue.CountActiveMessagesAsync() == 0, second);

        var delivered = Delivered(customs);
        output.WriteLine($"{accepted.Count} accepted, {deliveredAtKill} delivered before the kill, {delivered.Count} deliveries in all.");
        Assert.Equal(accepted.Order(StringComparer.Ordinal), delivered.Distinct().Order(StringComparer.Ordinal));
        foreach (var container in Containers)
        {
            var expected = Enumerable.Range(0, Types.Length).Select(i => $"{container}-{i}");
            Assert.Equal(expected, delivered.Where(id => id.StartsWith(container, StringComparison.Ordinal)).Distinct());
        }
        // At most the one event per container that was with customs at the kill can arrive twice, with its idempotency
        // key (customs applies it once); nothing else is repeated, the resend included.
        var repeats = delivered.GroupBy(id => id).Where(g => g.Count() > 1).ToList();
        Assert.True(repeats.Count <= Containers.Length && repeats.All(g => g.Count() == 2), $"repeated: {string.Join(", ", repeats.Select(g => $"{g.Key} x{g.Count()}"))}");
        Assert.Empty(await queue.GetDeadLettersAsync());
    }

    private static string Event(string container, int index, string type) =>
        $$"""{ "eventId": "{{container}}-{{index}}", "containerNumber": "{{container}}", "type": "{{type}}", "occurredAt": "2026-11-26T03:{{index:D2}}:00Z" }""";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync("api/v1/events", content);
    }

    private static List<string> Delivered(CustomsSimulator customs) =>
        customs.ReceivedStatusEvents.Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("eventId").GetString()!).ToList();

    private static Task WaitUntilAsync(Func<bool> condition, LocalHostProcess host) =>
        WaitUntilAsync(() => Task.FromResult(condition()), host);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, LocalHostProcess host)
    {
        using var guard = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, guard.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out; LocalHost said:{Environment.NewLine}{host.Output}");
            }
        }
    }
}
