using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PortCustoms.Cli.Simulator;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Gate;

[Collection(GateEndToEndCollection.Name)]
public sealed class GateEndToEndTests(GateEndToEndFixture fixture)
{
    private static int s_serial;

    private HttpClient Client => fixture.Client;

    /// <summary>A container number no other test uses, with the owner code that selects the simulator's rule.</summary>
    private static string NewContainer(string owner = "MSCU")
    {
        var firstTen = owner + (Interlocked.Increment(ref s_serial) + 500_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private async Task<JsonElement> AskGateAsync(string container, string? transaction = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container,
            direction = "OUT",
            gateTransactionId = transaction ?? "G-" + Guid.NewGuid().ToString("N"),
            terminal = "NLRTM-ECT",
            requestedAt = "2026-11-26T08:15:00+01:00",
        });
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task NotifyAsync(string container, string id, string status, string issuedAt, object? intelligence = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["notificationId"] = id,
            ["containerNumber"] = container,
            ["status"] = status,
            ["customsReference"] = "24NL0000000000001",
            ["issuedAt"] = issuedAt,
        };
        if (intelligence is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(intelligence).EnumerateObject())
            {
                body[p.Name] = p.Value;
            }
        }
        using var response = await Client.PostAsJsonAsync("api/v1/customs/notifications", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Gate_out_of_a_released_container_answers_CLEAR_from_the_store()
    {
        var container = NewContainer();
        await NotifyAsync(container, "CN-" + container, "RELEASED", "2026-11-26T07:10:00Z");

        var answer = await AskGateAsync(container);

        Assert.Equal(("CLEAR", "STORE", "Released by customs"), (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("reason").GetString()));
        Assert.EndsWith("Z", answer.GetProperty("decidedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_out_of_a_container_under_hold_answers_HOLD_and_never_shows_customs_intelligence()
    {
        var container = NewContainer();
        await NotifyAsync(container, "CN-1-" + container, "RELEASED", "2026-11-26T07:00:00Z");
        await NotifyAsync(container, "CN-2-" + container, "HOLD", "2026-11-26T07:05:00Z",
            // Ten decimals: a time in the answer carries at most seven, so the score can never be found there by chance.
            new { riskScore = 0.9731246813, targetingReason = "SECRET-targeting", officerNotes = "SECRET-notes", reason = "SECRET-reason" });

        using var gate = await Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = container, direction = "OUT", gateTransactionId = "G-" + container, terminal = "NLRTM-ECT" });
        var gateBody = await gate.Content.ReadAsStringAsync();
        var view = await Client.GetStringAsync($"api/v1/containers/{container}");

        Assert.Contains("\"decision\":\"HOLD\"", gateBody, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"HOLD\"", view, StringComparison.Ordinal);
        foreach (var secret in new[] { "SECRET", "9731246813", "riskScore", "targetingReason", "officerNotes" })
        {
            Assert.DoesNotContain(secret, gateBody, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, view, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invalid_container_number_is_a_400_problem_over_HTTP()
    {
        using var response = await Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = "MSCU1234567", direction = "OUT", gateTransactionId = "G-x", terminal = "NLRTM-ECT" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("check digit", problem.GetProperty("errors").GetProperty("containerNumber")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_unknown_to_the_store_is_asked_live_and_customs_answers()
    {
        var released = await AskGateAsync(NewContainer("TSTU"));
        Assert.Equal(("CLEAR", "CUSTOMS", "24NL-LIVE-1"), (released.GetProperty("decision").GetString(), released.GetProperty("source").GetString(), released.GetProperty("customsReference").GetString()));

        var examined = await AskGateAsync(NewContainer("EXMU"));
        Assert.Equal(("INSPECT", "CUSTOMS"), (examined.GetProperty("decision").GetString(), examined.GetProperty("source").GetString()));

        var detained = await AskGateAsync(NewContainer("DTNU"));
        Assert.Equal(("HOLD", "CUSTOMS", "Detained by customs"), (detained.GetProperty("decision").GetString(), detained.GetProperty("source").GetString(), detained.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Customs_slower_than_the_budget_answers_HOLD_from_DEFAULT_over_HTTP()
    {
        await using var slowCustoms = await Cli.Simulator.CustomsSimulator.StartAsync(new Cli.Simulator.CustomsSimulatorOptions { Latency = TimeSpan.FromSeconds(3) });
        await using var app = await Fixtures.AppHost.StartAsync(fixture.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = slowCustoms.BaseAddress.ToString(),
            ["Gate:LiveQueryBudget"] = "00:00:00.300",
        });

        using var response = await app.Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = NewContainer("TSTU"), direction = "OUT", gateTransactionId = "G-slow", terminal = "NLRTM-ECT" });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("HOLD", "DEFAULT", "Customs did not answer in time; no release known"),
            (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Repeated_gate_transaction_gets_the_first_answer_again()
    {
        var container = NewContainer();
        var transaction = "G-" + Guid.NewGuid().ToString("N");
        var first = await AskGateAsync(container, transaction);
        await NotifyAsync(container, "CN-" + container, "RELEASED", "2026-11-26T07:10:00Z");

        var again = await AskGateAsync(container, transaction);

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal("HOLD", again.GetProperty("decision").GetString());
        Assert.Equal("CLEAR", (await AskGateAsync(container)).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Container_view_shows_status_and_history_in_issue_order()
    {
        var container = NewContainer();
        await NotifyAsync(container, "B-" + container, "INSPECTION_REQUIRED", "2026-11-26T07:10:00Z");
        await NotifyAsync(container, "A-" + container, "HOLD", "2026-11-26T07:00:00Z");

        var view = await Client.GetFromJsonAsync<JsonElement>($"api/v1/containers/{container}");

        Assert.Equal(("INSPECTION_REQUIRED", "INSPECT"), (view.GetProperty("customsStatus").GetProperty("status").GetString(), view.GetProperty("customsStatus").GetProperty("decision").GetString()));
        Assert.Equal(["A-" + container, "B-" + container], view.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("notificationId").GetString()));
    }

    [Theory]
    [InlineData("down", "Customs platform unreachable; no release known")]
    [InlineData("500", "Customs platform error; no release known")]
    [InlineData("malformed", "Customs answer could not be read; no release known")]
    public async Task A_failing_customs_platform_answers_HOLD_from_DEFAULT_with_the_reason_over_HTTP(string fault, string reason)
    {
        // TSTU containers are released by the simulator's rules: only the fault can make the answer HOLD.
        await using var customs = fault switch
        {
            "500" => await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { FailRate = 1, Rules = ReleasedRules }),
            "malformed" => await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { MalformedRate = 1, Seed = 7, Rules = ReleasedRules }),
            _ => null,
        };
        var address = customs?.BaseAddress ?? new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}/");
        await using var app = await AppHost.StartAsync(fixture.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = address.ToString(),
            ["Gate:LiveQueryBudget"] = "00:00:02",
        });

        // Several queries, so the malformed simulator goes through its kinds of bad answer.
        for (var i = 0; i < 4; i++)
        {
            var container = NewContainer("TSTU");
            using var response = await app.Client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = container, direction = "OUT", gateTransactionId = $"G-{fault}-{container}", terminal = "NLRTM-ECT" });
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("HOLD", "DEFAULT", reason), (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("reason").GetString()));
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("customsReference").ValueKind);
        }
        if (customs is not null)
        {
            Assert.True(customs.QueryCount >= 4, $"the simulator was asked {customs.QueryCount} times");
        }
    }

    [Fact]
    public async Task Concurrent_notifications_for_one_container_are_all_kept_and_the_latest_issued_decides()
    {
        var container = NewContainer();
        // Twenty-four notifications posted at once in a shuffled order; by issue time the last is a release after holds and
        // inspection orders. A lost update shows as a missing history entry or a stale current status.
        var statuses = new[] { "HOLD", "INSPECTION_REQUIRED", "INSPECTION_COMPLETED" };
        var notifications = Enumerable.Range(0, 24)
            .Select(i => (Id: $"C{i:D2}-{container}", Status: i == 23 ? "RELEASED" : statuses[i % 3], IssuedAt: $"2026-11-26T07:{i:D2}:00Z"))
            .ToList();

        await Task.WhenAll(notifications.OrderBy(_ => Random.Shared.Next()).Select(n => NotifyAsync(container, n.Id, n.Status, n.IssuedAt)));

        var view = await Client.GetFromJsonAsync<JsonElement>($"api/v1/containers/{container}");
        Assert.Equal(notifications.Select(n => n.Id), view.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("notificationId").GetString()));
        Assert.Equal(("RELEASED", "CLEAR"), (view.GetProperty("customsStatus").GetProperty("status").GetString(), view.GetProperty("customsStatus").GetProperty("decision").GetString()));
        Assert.Equal(("CLEAR", "STORE"), ((await AskGateAsync(container)).GetProperty("decision").GetString(), (await AskGateAsync(container)).GetProperty("source").GetString()));
    }

    [Fact]
    public async Task A_notification_sent_again_at_once_and_later_is_accepted_each_time_and_has_one_effect_and_other_content_is_a_conflict()
    {
        var container = NewContainer();
        var id = "DUP-" + container;

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => NotifyAsync(container, id, "HOLD", "2026-11-26T07:00:00Z")));
        await NotifyAsync(container, id, "HOLD", "2026-11-26T07:00:00Z");
        // The same id with another body is a conflict (issue 10): refused with 409, no second effect, so no release.
        using (var conflict = await Client.PostAsJsonAsync("api/v1/customs/notifications", new
        {
            notificationId = id, containerNumber = container, status = "RELEASED", customsReference = "24NL0000000000001", issuedAt = "2026-11-26T07:05:00Z",
        }))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }

        var view = await Client.GetFromJsonAsync<JsonElement>($"api/v1/containers/{container}");
        Assert.Equal([id], view.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("notificationId").GetString()));
        Assert.Equal("HOLD", view.GetProperty("customsStatus").GetProperty("status").GetString());
        Assert.Equal(("HOLD", "Held by customs"), ((await AskGateAsync(container)).GetProperty("decision").GetString(), (await AskGateAsync(container)).GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Table_storage_refusing_or_hanging_is_a_quick_503_telling_the_gate_to_hold_never_a_wait(bool hanging)
    {
        // Blobs and queues stay on Azurite; only Table Storage, where the gate reads and records, is refused or hangs.
        await using var blackHole = new BlackHoleEndpoint();
        var tablePort = hanging ? blackHole.Port : FreePorts.Take(1)[0];
        var storage = AzuriteFixture.ConnectionStringFor(fixture.Azurite.BlobPort, fixture.Azurite.QueuePort, tablePort);
        await using var app = await AppHost.StartAsync(storage, new Dictionary<string, string?> { ["Gate:LiveQueryEnabled"] = "false" });
        // The gate answers within Gate:AnswerBudget (3 s). The client waits 8 s: a gate that waits for the storage
        // client's own retries and timeouts instead (about 11 s refused, minutes hanging) fails here as a client
        // timeout, not a 503.
        using var client = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(8) };

        using var response = await client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = NewContainer(), direction = "OUT", gateTransactionId = "G-store-" + hanging, terminal = "NLRTM-ECT" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("treat the container as HOLD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (hanging)
        {
            Assert.True(blackHole.Accepted > 0, "the app never reached the hanging storage");
        }
    }

    private static SimulatorRules ReleasedRules => SimulatorRules.Parse("""{ "default": { "statusCode": "4", "customsReference": "24NL-LIVE-2" } }""");
}
