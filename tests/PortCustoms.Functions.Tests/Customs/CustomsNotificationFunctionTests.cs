using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Customs;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

[Collection(AzuriteCollection.Name)]
public sealed class CustomsNotificationFunctionTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    private async Task<HttpResult> PostAsync(string json, string contentType = "application/json") =>
        await FunctionApp.ExecuteAsync(await _app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(json, contentType), CancellationToken.None));

    private Task<IReadOnlyList<StoredCustomsNotification>> HistoryAsync() =>
        _app.Services.GetRequiredService<CustomsStateStore>().GetHistoryAsync(FunctionApp.Container("MSCU1234566"));

    [Fact]
    public async Task Notification_is_stored_before_202()
    {
        var response = await PostAsync(FunctionApp.Notification("CN-0001", "RELEASED", "2026-11-26T07:10:00Z"));

        Assert.Equal(202, response.Status);
        Assert.Equal(("CN-0001", "APPLIED"), (response.Json.GetProperty("notificationId").GetString(), response.Json.GetProperty("outcome").GetString()));
        var stored = Assert.Single(await HistoryAsync());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 7, 10, 0, TimeSpan.Zero), stored.Notification.IssuedAt);
        Assert.Equal(FunctionApp.Now, stored.Notification.ReceivedAt);
    }

    [Fact]
    public async Task Repeated_notification_is_accepted_with_no_second_effect()
    {
        await PostAsync(FunctionApp.Notification("CN-0001", "HOLD", "2026-11-26T07:10:00Z"));
        // The same instant in another offset is the same content.
        var again = await PostAsync(FunctionApp.Notification("CN-0001", "HOLD", "2026-11-26T08:10:00+01:00"));

        Assert.Equal(202, again.Status);
        Assert.Equal("DUPLICATE", again.Json.GetProperty("outcome").GetString());
        Assert.Single(await HistoryAsync());
    }

    [Fact]
    public async Task Same_id_with_other_content_is_a_409_conflict_naming_the_id_and_the_first_stands()
    {
        await PostAsync(FunctionApp.Notification("CN-X", "RELEASED", "2026-11-26T07:10:00Z"));
        var other = await PostAsync(FunctionApp.Notification("CN-X", "HOLD", "2026-11-26T07:20:00Z"));

        Assert.Equal(409, other.Status);
        Assert.StartsWith("application/problem+json", other.ContentType, StringComparison.Ordinal);
        Assert.Contains("'CN-X'", other.Json.GetProperty("errors").GetProperty("notificationId")[0].GetString(), StringComparison.Ordinal);
        var stored = Assert.Single(await HistoryAsync());
        Assert.Equal(CustomsStatus.Released, stored.Notification.Status);
    }

    [Theory]
    [InlineData("EDI:NLCUSTOMS:REF1:1")]
    [InlineData("edi:anything")]
    public async Task Id_in_the_EDIFACT_namespace_is_refused_naming_notificationId(string id)
    {
        var response = await PostAsync(FunctionApp.Notification(id, "RELEASED", "2026-11-26T07:10:00Z"));

        Assert.Equal(400, response.Status);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("notificationId", out _));
        Assert.Empty(await HistoryAsync());
    }

    [Fact]
    public async Task Older_notification_of_its_kind_goes_to_history_without_changing_anything()
    {
        await PostAsync(FunctionApp.Notification("CN-2", "HOLD", "2026-11-26T07:10:00Z"));
        var older = await PostAsync(FunctionApp.Notification("CN-1", "HOLD", "2026-11-26T08:05:00+02:00"));

        Assert.Equal("STORED_AS_HISTORY", older.Json.GetProperty("outcome").GetString());
        Assert.Equal(2, (await HistoryAsync()).Count);
        var state = await _app.Services.GetRequiredService<CustomsStateStore>().GetStateAsync(FunctionApp.Container("MSCU1234566"));
        Assert.Equal(("CN-2", "CN-2"), (state!.Current.NotificationId, state.LatestHold!.NotificationId));
    }

    [Fact]
    public async Task Older_release_after_a_newer_hold_counts_but_does_not_clear()
    {
        await PostAsync(FunctionApp.Notification("CN-2", "HOLD", "2026-11-26T07:10:00Z"));
        var older = await PostAsync(FunctionApp.Notification("CN-1", "RELEASED", "2026-11-26T08:05:00+02:00"));

        Assert.Equal("APPLIED", older.Json.GetProperty("outcome").GetString());
        var state = await _app.Services.GetRequiredService<CustomsStateStore>().GetStateAsync(FunctionApp.Container("MSCU1234566"));
        Assert.Equal(PortCustoms.Core.Gate.GateDecision.Hold, PortCustoms.Core.Gate.ReleaseDecision.Decide(state!).Decision);
    }

    [Fact]
    public async Task Customs_intelligence_and_unknown_fields_are_stored()
    {
        await PostAsync(FunctionApp.Notification("CN-R", "HOLD", "2026-11-26T07:10:00Z",
            extra: new { riskScore = 0.93, targetingReason = "Profile 12", officerNotes = "Open the reefer", riskCategory = "A", lane = new { id = 4 } }));

        var stored = Assert.Single(await HistoryAsync()).Notification;
        Assert.Equal((0.93, "Profile 12", "Open the reefer", "customs free text"), (stored.RiskScore, stored.TargetingReason, stored.OfficerNotes, stored.Reason));
        Assert.Equal("""{"riskCategory":"A","lane":{"id":4}}""", stored.AdditionalData);
    }

    [Theory]
    [InlineData("""{ "containerNumber": "MSCU1234566", "status": "RELEASED", "issuedAt": "2026-11-26T07:10:00Z" }""", "notificationId")]
    [InlineData("""{ "notificationId": "N", "containerNumber": "MSCU1234565", "status": "RELEASED", "issuedAt": "2026-11-26T07:10:00Z" }""", "containerNumber")]
    [InlineData("""{ "notificationId": "N", "containerNumber": "MSCU1234566", "status": "released", "issuedAt": "2026-11-26T07:10:00Z" }""", "status")]
    [InlineData("""{ "notificationId": "N", "containerNumber": "MSCU1234566", "status": "RELEASED", "issuedAt": "2026-11-26 07:10" }""", "issuedAt")]
    [InlineData("""{ "notificationId": "N", "containerNumber": "MSCU1234566", "status": "RELEASED", "issuedAt": "2026-11-26T07:10:00Z", "riskScore": "high" }""", "riskScore")]
    [InlineData("""{ "notificationId": "N", "containerNumber": "MSCU1234566", "status": "RELEASED", "issuedAt": "2062-11-26T07:10:00Z" }""", "issuedAt")]
    public async Task Invalid_notification_is_a_400_problem_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var response = await PostAsync(json);

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal([field], response.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Empty(await HistoryAsync());
    }

    [Fact]
    public async Task Notification_within_the_clock_skew_is_accepted()
    {
        // The app's clock is 07:15:00.123; customs' clock may run a little ahead.
        Assert.Equal(202, (await PostAsync(FunctionApp.Notification("CN-S", "HOLD", "2026-11-26T07:19:00Z"))).Status);
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Formats_other_than_JSON_EDIFACT_and_XML_are_415(string contentType)
    {
        var response = await PostAsync("UNA:+.? 'UNB+UNOC:3'", contentType);
        Assert.Equal(415, response.Status);
    }

    [Fact]
    public async Task XML_is_read_as_XML_now_that_its_format_is_wired()
    {
        var response = await PostAsync("UNA:+.? 'UNB+UNOC:3'", "application/xml");

        Assert.Equal(400, response.Status);
        Assert.Equal("XML-WELLFORMED", response.Json.GetProperty("diagnostics")[0].GetProperty("code").GetString());
    }
}
