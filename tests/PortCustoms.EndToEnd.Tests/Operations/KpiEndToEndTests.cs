using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;

namespace PortCustoms.EndToEnd.Tests.Operations;

/// <summary>
/// <c>GET /api/v1/kpis</c> from durable rows: two app instances (two LocalHost processes) on one Azurite answer the
/// same, and so does a third process started after one of them was killed.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class KpiEndToEndTests(AppHostFixture fixture)
{
    private static int s_serial;

    private static string NewContainer()
    {
        var firstTen = "KPIU" + (Interlocked.Increment(ref s_serial) + 700_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private Task<LocalHostProcess> StartInstanceAsync(string table, string instance) =>
        LocalHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["Operations:Kpis:TableName"] = table,
            ["Operations:Kpis:InstanceId"] = instance,
            ["Operations:Kpis:FlushInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        }, TimeSpan.FromSeconds(90));

    private static async Task AskGateAsync(HttpClient client)
    {
        var container = NewContainer();
        using var response = await client.PostAsJsonAsync("api/v1/gate/queries", new { containerNumber = container, direction = "OUT", gateTransactionId = "G-" + container, terminal = "NLRTM-ECT" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> KpisAsync(HttpClient client, string window = "PT1H")
    {
        using var response = await client.GetAsync($"api/v1/kpis?window={window}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        JsonElement kpis;
        do
        {
            kpis = await KpisAsync(client);
            if (done(kpis))
            {
                return kpis;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"The KPIs did not reach the expected figures: {kpis}");
        return kpis;
    }

    // Instances are listed as they write rows (every instance writes its gauges), so they are compared apart.
    private static string Figures(JsonElement kpis) => JsonSerializer.Serialize(new
    {
        gate = kpis.GetProperty("gate"),
        delivery = kpis.GetProperty("delivery"),
    });

    [Fact]
    public async Task Every_instance_and_a_restarted_one_answer_the_same_figures_from_storage()
    {
        var table = "Kpis" + Guid.NewGuid().ToString("N")[..10];
        var a = await StartInstanceAsync(table, "instance-a");
        await using var b = await StartInstanceAsync(table, "instance-b");

        for (var i = 0; i < 3; i++)
        {
            await AskGateAsync(a.Client);
        }
        for (var i = 0; i < 2; i++)
        {
            await AskGateAsync(b.Client);
        }
        using (var invalid = await b.Client.PostAsync("api/v1/events", new StringContent("""{"eventId":"E-1","containerNumber":"NOT A NUMBER","type":"LANDED"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        var fromA = await WaitForAsync(a.Client, k => k.GetProperty("gate").GetProperty("answers").GetInt64() == 5 && k.GetProperty("delivery").GetProperty("rejected").GetInt64() == 1);
        Assert.Equal(5, fromA.GetProperty("gate").GetProperty("byDecision").GetProperty("HOLD").GetInt64());
        Assert.Equal(5, fromA.GetProperty("gate").GetProperty("bySource").GetProperty("DEFAULT").GetInt64());
        Assert.True(fromA.GetProperty("gate").GetProperty("p95Ms").GetDouble() > 0);
        Assert.Equal(["instance-a", "instance-b"], fromA.GetProperty("instances").EnumerateArray().Select(i => i.GetString()).Where(i => i is "instance-a" or "instance-b"));
        Assert.Equal(JsonValueKind.Null, fromA.GetProperty("delivery").GetProperty("successRate").ValueKind);

        var fromB = await KpisAsync(b.Client);
        Assert.Equal(Figures(fromA), Figures(fromB));

        // Process a is killed (its rows were written as it went); a new process reads the same rows.
        await a.DisposeAsync();
        await using var c = await StartInstanceAsync(table, "instance-c");
        var fromC = await KpisAsync(c.Client);
        Assert.Equal(Figures(fromA), Figures(fromC));
        Assert.Contains("instance-a", fromC.GetProperty("instances").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task A_window_that_is_not_an_iso_duration_is_a_problem_naming_the_window()
    {
        using var response = await fixture.Client.GetAsync("api/v1/kpis?window=1h");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("1h", body.RootElement.GetProperty("errors").GetProperty("window")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operations_page_is_served_by_the_app_with_no_external_resource()
    {
        using var response = await fixture.Client.GetAsync("api/v1/ops");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("chart-delivery", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
