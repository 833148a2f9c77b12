using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Containers;

[Collection(AzuriteCollection.Name)]
public sealed class ContainerViewFunctionTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private async Task<HttpResult> GetAsync(string containerNumber) =>
        await FunctionApp.ExecuteAsync(await _app.Function<ContainerViewFunction>().RunAsync(FunctionApp.Get("containerNumber", containerNumber), null, CancellationToken.None));

    private async Task NotifyAsync(string id, string status, string issuedAt) =>
        await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(FunctionApp.Notification(id, status, issuedAt)), CancellationToken.None);

    [Fact]
    public async Task View_shows_current_status_and_ordered_history()
    {
        await NotifyAsync("CN-2", "HOLD", "2026-11-26T07:10:00Z");
        await NotifyAsync("CN-3", "RELEASED", "2026-11-26T07:14:00Z");
        await NotifyAsync("CN-1", "INSPECTION_REQUIRED", "2026-11-26T07:00:00Z");

        var response = await GetAsync("MSCU1234566");

        Assert.Equal(200, response.Status);
        var body = response.Json;
        Assert.Equal("MSCU1234566", body.GetProperty("containerNumber").GetString());
        var status = body.GetProperty("customsStatus");
        Assert.Equal(("RELEASED", "CLEAR", "CN-3", "2026-11-26T07:14:00.000Z"),
            (status.GetProperty("status").GetString(), status.GetProperty("decision").GetString(), status.GetProperty("notificationId").GetString(), status.GetProperty("issuedAt").GetString()));
        var history = body.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["CN-1", "CN-2", "CN-3"], history.Select(h => h.GetProperty("notificationId").GetString()));
        // The late, older inspection order still counts (it is the newest of its kind): applied, and outranked by the release.
        Assert.Equal([true, true, true], history.Select(h => h.GetProperty("applied").GetBoolean()));
    }

    [Fact]
    public async Task View_of_a_container_customs_never_mentioned_has_no_status_and_empty_history()
    {
        var body = (await GetAsync("CSQU3054383")).Json;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("customsStatus").ValueKind);
        Assert.Empty(body.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task View_of_an_invalid_container_number_is_a_400_problem()
    {
        var response = await GetAsync("MSCU1234567");
        Assert.Equal(400, response.Status);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("containerNumber", out _));
    }
}
