using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Security;

/// <summary>
/// The app on LocalHost with roles on (<c>LocalHost:Roles=on</c>, a development identity per request) and a gate rate
/// of 3 requests a minute per caller: who may call which route, over real HTTP, and that a refused request stores nothing.
/// </summary>
public sealed class CallerRolesFixture : IAsyncLifetime
{
    public const int GatePermits = 3;

    public AzuriteFixture Azurite { get; } = new();

    public AppHost App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        App = await AppHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["LocalHost:Roles"] = "on",
            ["RateLimits:Groups:gate:PermitLimit"] = GatePermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Groups:gate:Window"] = "00:10:00",
        });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}

public sealed class CallerRolesEndToEndTests(CallerRolesFixture fixture) : IClassFixture<CallerRolesFixture>
{
    private static int s_serial;

    private HttpClient Client => fixture.App.Client;

    private static string NewContainer()
    {
        var firstTen = "MSCU" + (Interlocked.Increment(ref s_serial) + 700_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static HttpRequestMessage As(HttpMethod method, string path, string? roles, string? caller = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (roles is not null)
        {
            request.Headers.Add("X-PortCustoms-Dev-Roles", roles);
        }
        if (caller is not null)
        {
            request.Headers.Add("X-PortCustoms-Dev-Caller", caller);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    private static object Release(string container) => new
    {
        notificationId = "CN-" + container,
        containerNumber = container,
        status = "RELEASED",
        customsReference = "24NL0000000000001",
        issuedAt = "2026-11-26T07:10:00Z",
    };

    private static object GateQuery(string container) => new
    {
        containerNumber = container,
        direction = "OUT",
        gateTransactionId = "G-" + Guid.NewGuid().ToString("N"),
        terminal = "NLRTM-ECT",
        requestedAt = "2026-11-26T08:15:00+01:00",
    };

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<JsonElement>(text) : default;
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, json, response);
        }
    }

    [Fact]
    public async Task Forged_release_a_terminal_identity_posting_a_RELEASED_notification_is_refused_403_and_nothing_is_stored()
    {
        var container = NewContainer();

        var forged = await SendAsync(As(HttpMethod.Post, "api/v1/customs/notifications", "terminal", "ect-tos", Release(container)));

        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal("application/problem+json", forged.ContentType);
        Assert.Equal(403, forged.Body.GetProperty("status").GetInt32());
        // Nothing stored: the gate does not clear the container, and the view shows no customs status.
        var gate = await SendAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", "ect-tos-forged-check", GateQuery(container)));
        Assert.Equal(HttpStatusCode.OK, gate.Status);
        Assert.NotEqual("CLEAR", gate.Body.GetProperty("decision").GetString());
        var view = await SendAsync(As(HttpMethod.Get, "api/v1/containers/" + container, "terminal", "ect-tos-forged-check"));
        Assert.False(view.Status == HttpStatusCode.OK
            && view.Body.TryGetProperty("customsStatus", out var status) && status.ValueKind == JsonValueKind.Object
            && status.GetProperty("status").GetString() == "RELEASED");

        // The same notification from customs is taken, and then the gate clears: the refusal above was the role alone.
        var real = await SendAsync(As(HttpMethod.Post, "api/v1/customs/notifications", "customs", "nl-customs", Release(container)));
        Assert.Equal(HttpStatusCode.Accepted, real.Status);
        var cleared = await SendAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", "ect-tos-forged-check", GateQuery(container)));
        Assert.Equal("CLEAR", cleared.Body.GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData("POST", "api/v1/customs/notifications")]
    [InlineData("POST", "api/v1/gate/queries")]
    [InlineData("GET", "api/v1/kpis")]
    [InlineData("GET", "api/v1/ops")]
    [InlineData("POST", "api/v1/reconciliations")]
    public async Task A_request_without_an_identity_is_401(string method, string path)
    {
        var response = await SendAsync(As(new HttpMethod(method), path, roles: null, body: method == "POST" ? new { } : null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(401, response.Body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("GET", "api/v1/kpis")]
    [InlineData("GET", "api/v1/ops")]
    [InlineData("POST", "api/v1/reconciliations")]
    [InlineData("GET", "api/v1/reconciliations/R-1")]
    public async Task Operator_routes_refuse_a_terminal(string method, string path)
    {
        var response = await SendAsync(As(new HttpMethod(method), path, "terminal", "ect-tos", method == "POST" ? new { } : null));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task Operator_routes_take_an_operator_and_health_and_openapi_need_no_identity()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(As(HttpMethod.Get, "api/v1/kpis", "operator", "ops"))).Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await SendAsync(As(HttpMethod.Get, "api/v1/health", null))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(As(HttpMethod.Get, "api/v1/openapi.json", null))).Status);
    }

    [Fact]
    public async Task A_terminal_over_its_gate_rate_gets_429_with_Retry_After_and_another_terminal_is_answered_at_once()
    {
        var container = NewContainer();
        for (var i = 0; i < CallerRolesFixture.GatePermits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", "busy-tos", GateQuery(container)))).Status);
        }

        var limited = await SendAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", "busy-tos", GateQuery(container)));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("application/problem+json", limited.ContentType);
        Assert.True(limited.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var other = await SendAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", "quiet-tos", GateQuery(container)));
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"the other terminal waited {started.Elapsed}");
    }
}
