using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Customs;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Gate;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Gate;

[Collection(AzuriteCollection.Name)]
public sealed class GateQueryFunctionTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private async Task<HttpResult> QueryAsync(string json, FunctionApp? app = null) =>
        await FunctionApp.ExecuteAsync(await (app ?? _app).Function<GateQueryFunction>().RunAsync(FunctionApp.Post(json), CancellationToken.None));

    private async Task NotifyAsync(string id, string status, string issuedAt)
    {
        var result = await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(FunctionApp.Notification(id, status, issuedAt)), CancellationToken.None);
        Assert.Equal(202, (await FunctionApp.ExecuteAsync(result)).Status);
    }

    [Fact]
    public async Task Released_container_answers_CLEAR_from_STORE_with_exactly_the_contract_fields()
    {
        await NotifyAsync("CN-0001", "RELEASED", "2026-11-26T07:10:00Z");

        var response = await QueryAsync(FunctionApp.GateQuery());

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        var body = response.Json;
        Assert.Equal(
            ["containerNumber", "customsReference", "decidedAt", "decision", "decisionId", "reason", "source"],
            body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("MSCU1234566", body.GetProperty("containerNumber").GetString());
        Assert.Equal("CLEAR", body.GetProperty("decision").GetString());
        Assert.Equal("Released by customs", body.GetProperty("reason").GetString());
        Assert.Equal("24NL0000000000001", body.GetProperty("customsReference").GetString());
        Assert.Equal("STORE", body.GetProperty("source").GetString());
        Assert.Equal("2026-11-26T07:15:00.123Z", body.GetProperty("decidedAt").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("decisionId").GetString(), out _));
    }

    [Fact]
    public async Task Unknown_container_answers_HOLD_from_DEFAULT_with_a_reason()
    {
        var body = (await QueryAsync(FunctionApp.GateQuery("CSQU3054383"))).Json;
        Assert.Equal(("HOLD", "DEFAULT", "No customs release received for this container"),
            (body.GetProperty("decision").GetString(), body.GetProperty("source").GetString(), body.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Hold_after_release_answers_HOLD_and_inspection_answers_INSPECT()
    {
        await NotifyAsync("CN-1", "RELEASED", "2026-11-26T07:00:00Z");
        await NotifyAsync("CN-2", "HOLD", "2026-11-26T07:05:00Z");
        Assert.Equal("HOLD", (await QueryAsync(FunctionApp.GateQuery(transaction: "G-1"))).Json.GetProperty("decision").GetString());

        await NotifyAsync("CN-3", "INSPECTION_REQUIRED", "2026-11-26T07:06:00Z");
        Assert.Equal("INSPECT", (await QueryAsync(FunctionApp.GateQuery(transaction: "G-2"))).Json.GetProperty("decision").GetString());

        await NotifyAsync("CN-4", "INSPECTION_COMPLETED", "2026-11-26T07:07:00Z");
        var completed = (await QueryAsync(FunctionApp.GateQuery(transaction: "G-3"))).Json;
        Assert.Equal(("HOLD", "Inspection completed; waiting for customs release"), (completed.GetProperty("decision").GetString(), completed.GetProperty("reason").GetString()));

        await NotifyAsync("CN-5", "RELEASED", "2026-11-26T07:08:00Z");
        Assert.Equal("CLEAR", (await QueryAsync(FunctionApp.GateQuery(transaction: "G-4"))).Json.GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData("MSCU1234567", "check digit")]
    [InlineData("MSCX1234566", "equipment category")]
    [InlineData("MSCU12345", "11 characters")]
    [InlineData("mscu1234566", "owner code")]
    public async Task Invalid_container_number_is_a_400_problem_naming_the_field_never_a_decision(string containerNumber, string why)
    {
        var response = await QueryAsync(FunctionApp.GateQuery(containerNumber));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var body = response.Json;
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.False(body.TryGetProperty("decision", out _));
        var messages = body.GetProperty("errors").GetProperty("containerNumber");
        Assert.Contains(why, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Single(body.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task Every_field_at_fault_is_named()
    {
        var response = await QueryAsync("""{ "containerNumber": 42, "direction": "SIDEWAYS", "terminal": "", "requestedAt": "2026-11-26T08:15:00" }""");

        Assert.Equal(400, response.Status);
        Assert.Equal(
            ["containerNumber", "direction", "gateTransactionId", "requestedAt", "terminal"],
            response.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public async Task Malformed_body_is_a_400_problem(string body)
    {
        var response = await QueryAsync(body);
        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_gate_transaction_returns_the_first_answer_even_after_customs_released()
    {
        var first = (await QueryAsync(FunctionApp.GateQuery())).Body;
        await NotifyAsync("CN-9", "RELEASED", "2026-11-26T07:10:00Z");
        _app.Time.Advance(TimeSpan.FromSeconds(20));

        var again = (await QueryAsync(FunctionApp.GateQuery())).Body;

        Assert.Equal(first, again);
        Assert.Contains("\"HOLD\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_gate_transaction_for_another_container_is_a_409_problem()
    {
        await QueryAsync(FunctionApp.GateQuery("MSCU1234566"));
        var response = await QueryAsync(FunctionApp.GateQuery("CSQU3054383"));
        Assert.Equal(409, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_down_is_a_503_problem_never_an_unrecorded_decision()
    {
        var closed = FreePorts.Take(1)[0];
        using var app = FunctionApp.Create(azurite, overrides: services => services.AddSingleton(new TableServiceClient(
            azurite.ConnectionString.Replace($":{azurite.TablePort}/", $":{closed}/", StringComparison.Ordinal),
            new TableClientOptions { Retry = { MaxRetries = 0 } })));

        var response = await QueryAsync(FunctionApp.GateQuery(), app);

        Assert.Equal(503, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Contains("HOLD", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_identity_is_kept_in_the_audit_record()
    {
        // The caller the access middleware established (App Service authentication on), not a header a caller could forge.
        var request = FunctionApp.Post(FunctionApp.GateQuery(), configure: r =>
            r.HttpContext.Items[Functions.Http.Caller.ItemKey] = new Functions.Http.Caller("principal:ect-tos@nlrtm", [Functions.Http.CallerRole.Terminal], "app-service-authentication"));
        await _app.Function<GateQueryFunction>().RunAsync(request, CancellationToken.None);

        var audit = await _app.Services.GetRequiredService<Core.Gate.GateDecisionStore>().GetAsync("NLRTM-ECT", "G-2026-000123");
        Assert.Equal("principal:ect-tos@nlrtm", audit!.Query.Caller);
        Assert.Equal(Core.Gate.DecisionRule.NoCustomsRecord, audit.Rule);
    }

    [Fact]
    public async Task A_forged_principal_header_never_reaches_the_audit_record()
    {
        var request = FunctionApp.Post(FunctionApp.GateQuery(), configure: r => r.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "forged@customs");
        await _app.Function<GateQueryFunction>().RunAsync(request, CancellationToken.None);

        var audit = await _app.Services.GetRequiredService<Core.Gate.GateDecisionStore>().GetAsync("NLRTM-ECT", "G-2026-000123");
        Assert.DoesNotContain("forged", audit!.Query.Caller, StringComparison.Ordinal);
    }
}
