using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;

namespace PortCustoms.EndToEnd.Tests.Gate;

/// <summary>
/// Issue 10, "wrong CLEAR today": each sequence of notifications the issue lists, over real HTTP to the app on LocalHost
/// (Azurite behind it, no live query), followed by a gate query. Each answered CLEAR (or a silent DUPLICATE) before.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class GateSafetyEndToEndTests(AppHostFixture fixture)
{
    private static int s_serial;

    private HttpClient Client => fixture.Client;

    private static string NewContainer()
    {
        var firstTen = "SEGU" + (Interlocked.Increment(ref s_serial) + 300_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static string At(int minute) => new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero).AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonElement Body)> NotifyAsync(string container, string id, string status, string issuedAt)
    {
        using var response = await Client.PostAsJsonAsync("api/v1/customs/notifications", new
        {
            notificationId = id, containerNumber = container, status, customsReference = "24NL-" + id, issuedAt,
        });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostCusresAsync(string edifact)
    {
        using var response = await Client.PostAsync("api/v1/customs/notifications", new StringContent(edifact, Encoding.Latin1, "application/EDIFACT"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Cusres(string container, string interchangeReference, string dtm, params string[] gis)
    {
        var body = new List<string> { "BGM+962+24NLREF" + interchangeReference + "+9", dtm };
        body.AddRange(gis.Select(code => "GIS+" + code));
        body.Add("EQD+CN+" + container);
        body.Add("RFF+ABT:24NLREF" + interchangeReference);
        return "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:1300+" + interchangeReference + "'\nUNH+1+CUSRES:D:96B:UN'\n"
            + string.Concat(body.Select(s => s + "'\n")) + $"UNT+{body.Count + 2}+1'\nUNZ+1+{interchangeReference}'\n";
    }

    private async Task<string?> GateAsync(string container)
    {
        using var response = await Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetString();
    }

    [Theory]
    [InlineData("HOLD")]
    [InlineData("INSPECTION_REQUIRED")]
    public async Task Point1_a_late_older_order_after_a_newer_completion_still_outranks_the_release(string order)
    {
        var container = NewContainer();
        Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(container, "A-" + container, "RELEASED", At(30))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await NotifyAsync(container, "B-" + container, "INSPECTION_COMPLETED", At(40))).Status);
        var late = await NotifyAsync(container, "C-" + container, order, At(35));

        Assert.Equal((HttpStatusCode.Accepted, "APPLIED"), (late.Status, late.Body.GetProperty("outcome").GetString()));
        Assert.Equal("HOLD", await GateAsync(container));
    }

    [Fact]
    public async Task Point2_same_id_with_other_content_is_a_409_naming_the_id_never_a_DUPLICATE()
    {
        var container = NewContainer();
        var id = "X-" + container;
        await NotifyAsync(container, id, "RELEASED", At(30));

        var other = await NotifyAsync(container, id, "HOLD", At(40));
        var same = await NotifyAsync(container, id, "RELEASED", At(30));

        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Contains(id, other.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Accepted, "DUPLICATE"), (same.Status, same.Body.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Point3_a_JSON_id_in_the_EDIFACT_namespace_is_refused_and_the_later_CUSRES_detention_holds()
    {
        var container = NewContainer();
        var reference = "NS" + container[4..10];
        var json = await NotifyAsync(container, $"EDI:NLCUSTOMS:{reference}:1", "RELEASED", At(30));
        var cusres = await PostCusresAsync(Cusres(container, reference, "DTM+182:202611261240?+00:303", "7"));

        Assert.Equal(HttpStatusCode.BadRequest, json.Status);
        Assert.True(json.Body.GetProperty("errors").TryGetProperty("notificationId", out _));
        Assert.Equal("APPLIED", cusres.Body.GetProperty("notifications")[0].GetProperty("outcome").GetString());
        Assert.Equal("HOLD", await GateAsync(container));
    }

    [Fact]
    public async Task Point4_a_CUSRES_release_without_a_time_zone_does_not_release_against_a_zoned_hold_and_the_sender_is_told()
    {
        var container = NewContainer();
        await NotifyAsync(container, "H-" + container, "HOLD", At(50));
        // 13:40 local (Amsterdam, 12:40Z) sent without a zone: read as 13:40 UTC, it looked newer than the 12:50Z hold.
        var cusres = await PostCusresAsync(Cusres(container, "TZ" + container[4..10], "DTM+182:202611261340:203", "4"));

        Assert.Equal(HttpStatusCode.Accepted, cusres.Status);
        Assert.Contains(cusres.Body.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "EDI-MAP-DATE-NO-OFFSET");
        Assert.Equal("HOLD", await GateAsync(container));
    }

    [Fact]
    public async Task Point5_an_unmapped_status_code_beside_a_release_is_HOLD_with_the_code_named()
    {
        var container = NewContainer();
        await NotifyAsync(container, "H-" + container, "HOLD", At(30));
        var cusres = await PostCusresAsync(Cusres(container, "UC" + container[4..10], "DTM+182:202611261240?+00:303", "4", "99"));

        Assert.Equal(HttpStatusCode.Accepted, cusres.Status);
        Assert.Contains(cusres.Body.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.Contains("'99'", StringComparison.Ordinal));
        Assert.Equal("HOLD", await GateAsync(container));
    }
}
