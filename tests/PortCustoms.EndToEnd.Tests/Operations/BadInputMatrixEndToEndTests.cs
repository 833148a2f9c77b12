using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PortCustoms.EndToEnd.Tests.Fixtures;

namespace PortCustoms.EndToEnd.Tests.Operations;

/// <summary>
/// Issue 10, points 6 and 8: malformed and hostile input on every route of the app on LocalHost, over real HTTP. Each is
/// a 4xx problem (naming the field where one is at fault), never a 5xx (a 503 means "retry may succeed"), and the
/// service answers normally afterwards.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class BadInputMatrixEndToEndTests(AppHostFixture fixture)
{
    private const string Gate = "api/v1/gate/queries";
    private const string Notifications = "api/v1/customs/notifications";
    private const string Events = "api/v1/events";

    public sealed record Case(string Name, string Method, string Path, string? ContentType, byte[]? Body, int Status, string? Field)
    {
        public override string ToString() => Name;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // A JSON string holding bytes that are not UTF-8 (0xC3 0x28).
    private static byte[] WithInvalidUtf8(string before, string after) => [.. Utf8(before), 0xC3, 0x28, .. Utf8(after)];

    private static string GateBody(string transaction = "G-1", string terminal = "NLRTM-ECT", string extra = "") =>
        "{\"containerNumber\":\"MSCU1234566\",\"direction\":\"OUT\",\"gateTransactionId\":\"" + transaction + "\",\"terminal\":\"" + terminal + "\"" + extra + "}";

    private static string NotificationBody(string id = "CN-BAD", string extra = "") =>
        "{\"notificationId\":\"" + id + "\",\"containerNumber\":\"MSCU1234566\",\"status\":\"HOLD\",\"issuedAt\":\"2026-11-26T07:10:00Z\"" + extra + "}";

    private static string EventBody(string extra = "", string occurredAt = "2026-11-26T03:02:00Z") =>
        "{\"eventId\":\"E-BAD\",\"containerNumber\":\"MSCU1234566\",\"type\":\"DISCHARGED\",\"occurredAt\":\"" + occurredAt + "\"" + extra + "}";

    private static string Cusres(string dtm) =>
        "UNA:+.? 'UNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+BAD1'UNH+1+CUSRES:D:96B:UN'BGM+962+R1+9'" + dtm
        + "'GIS+4'EQD+CN+MSCU1234566'RFF+ABT:R1'UNT+7+1'UNZ+1+BAD1'";

    public static TheoryData<Case> Cases => new()
    {
        // Gate queries.
        new("gate: lone surrogate", "POST", Gate, "application/json", Utf8(GateBody(transaction: "G-\\ud800")), 400, "gateTransactionId"),
        new("gate: invalid UTF-8", "POST", Gate, "application/json", WithInvalidUtf8(GateBody().Replace("NLRTM-ECT\"}", "", StringComparison.Ordinal), "\"}"), 400, "terminal"),
        new("gate: id too long for a Table key", "POST", Gate, "application/json", Utf8(GateBody(transaction: new string('/', 171))), 400, "gateTransactionId"),
        new("gate: requestedAt in 9999", "POST", Gate, "application/json", Utf8(GateBody(extra: ",\"requestedAt\":\"9999-12-31T23:59:59Z\"")), 400, "requestedAt"),
        new("gate: duplicate key", "POST", Gate, "application/json", Utf8(GateBody(extra: ",\"containerNumber\":\"CSQU3054383\"")), 400, "containerNumber"),
        new("gate: text/plain", "POST", Gate, "text/plain", Utf8(GateBody()), 415, null),
        new("gate: ESC in terminal", "POST", Gate, "application/json", Utf8(GateBody(terminal: "NL\\u001bRTM")), 400, "terminal"),
        // Customs notifications, JSON.
        new("notification: lone surrogate", "POST", Notifications, "application/json", Utf8(NotificationBody(extra: ",\"reason\":\"x\\udc00y\"")), 400, "reason"),
        new("notification: invalid UTF-8 in an extra field name", "POST", Notifications, "application/json", WithInvalidUtf8(NotificationBody().TrimEnd('}') + ",\"a", "\":1}"), 400, null),
        new("notification: id too long for a Table key", "POST", Notifications, "application/json", Utf8(NotificationBody(id: new string('#', 171))), 400, "notificationId"),
        new("notification: riskScore 1e400", "POST", Notifications, "application/json", Utf8(NotificationBody(extra: ",\"riskScore\":1e400")), 400, "riskScore"),
        new("notification: duplicate key", "POST", Notifications, "application/json", Utf8(NotificationBody(extra: ",\"status\":\"RELEASED\"")), 400, "status"),
        new("notification: text/plain", "POST", Notifications, "text/plain", Utf8(NotificationBody()), 415, null),
        // Customs notifications, EDIFACT: instants DateTimeOffset cannot hold.
        new("CUSRES: 0001-01-01 00:00+01", "POST", Notifications, "application/EDIFACT", Encoding.Latin1.GetBytes(Cusres("DTM+182:000101010000?+01:303")), 400, "segment 4"),
        new("CUSRES: 9999-12-31 23:59-01", "POST", Notifications, "application/EDIFACT", Encoding.Latin1.GetBytes(Cusres("DTM+182:999912312359-01:303")), 400, "segment 4"),
        // Status events.
        new("events: lone surrogate", "POST", Events, "application/json", Utf8(EventBody(",\"voyage\":\"\\ud800\"")), 400, "[0].voyage"),
        new("events: invalid UTF-8", "POST", Events, "application/json", WithInvalidUtf8("[" + EventBody(",\"voyage\":\"").TrimEnd('}'), "\"}]"), 400, "[0].voyage"),
        new("events: ESC in voyage", "POST", Events, "application/json", Utf8(EventBody(",\"voyage\":\"124\\u001bE\"")), 400, "[0].voyage"),
        new("events: grossMassKg 1e400", "POST", Events, "application/json", Utf8(EventBody(",\"grossMassKg\":1e400")), 400, "[0].grossMassKg"),
        new("events: occurredAt in 9999", "POST", Events, "application/json", Utf8(EventBody(occurredAt: "9999-12-31T23:59:59Z")), 400, "[0].occurredAt"),
        new("events: duplicate key", "POST", Events, "application/json", Utf8(EventBody(",\"type\":\"LOADED\"")), 400, "[0].type"),
        new("events: text/plain", "POST", Events, "text/plain", Utf8(EventBody()), 415, null),
        // Container view.
        new("container view: wrong check digit", "GET", "api/v1/containers/MSCU1234567", null, null, 400, "containerNumber"),
        new("container view: lone surrogate in the path", "GET", "api/v1/containers/%ED%A0%80", null, null, 400, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_4xx_problem_naming_the_field_and_the_service_stays_healthy(Case @case)
    {
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path);
        if (@case.Body is not null)
        {
            request.Content = new ByteArrayContent(@case.Body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(@case.ContentType!);
        }

        using var response = await fixture.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == @case.Status, $"{@case.Name}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (@case.Field is not null)
        {
            var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(@case.Field, out _), $"{@case.Name}: no error for '{@case.Field}' in {body}");
        }
        await AssertHealthyAsync();
    }

    private async Task AssertHealthyAsync()
    {
        using var health = await fixture.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var gate = await fixture.Client.PostAsJsonAsync(Gate, new { containerNumber = "MSCU1234566", direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT" });
        Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
    }
}
