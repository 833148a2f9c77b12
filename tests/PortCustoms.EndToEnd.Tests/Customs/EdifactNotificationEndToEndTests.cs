using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Gate;

namespace PortCustoms.EndToEnd.Tests.Customs;

/// <summary>A CUSRES interchange posted over real HTTP to the app on LocalHost decides the gate.</summary>
[Collection(GateEndToEndCollection.Name)]
public sealed class EdifactNotificationEndToEndTests(GateEndToEndFixture fixture)
{
    private static int s_serial;

    private static string NewContainer()
    {
        var firstTen = "CMAU" + (Interlocked.Increment(ref s_serial) + 700_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static string Cusres(string container, string statusCode, string interchangeReference) =>
        "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+" + interchangeReference + "'\n"
        + "UNH+1+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000009+9'\nDTM+182:202611260710?+00:303'\nGIS+" + statusCode + "'\n"
        + "EQD+CN+" + container + "'\nRFF+ABT:24NL0000000000009'\nUNT+7+1'\nUNZ+1+" + interchangeReference + "'\n";

    private async Task<HttpResponseMessage> PostAsync(string edifact) =>
        await fixture.Client.PostAsync("api/v1/customs/notifications", new StringContent(edifact, Encoding.Latin1, "application/EDIFACT"));

    [Fact]
    public async Task A_CUSRES_release_posted_as_EDIFACT_makes_the_gate_answer_CLEAR_from_the_store()
    {
        var container = NewContainer();
        using var posted = await PostAsync(Cusres(container, "4", "E2E" + container[4..10]));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        using var gate = await fixture.Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT", requestedAt = "2026-11-26T08:15:00+01:00",
        });
        var answer = await gate.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("CLEAR", "STORE", "24NL0000000000009"),
            (answer.GetProperty("decision").GetString(), answer.GetProperty("source").GetString(), answer.GetProperty("customsReference").GetString()));
    }

    [Fact]
    public async Task A_malformed_CUSRES_is_a_400_problem_with_a_CONTRL()
    {
        var container = NewContainer();
        var wrong = container[..10] + ((container[10] - '0' + 1) % 10);
        using var posted = await PostAsync(Cusres(wrong, "4", "E2X" + container[4..10]));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal("application/problem+json", posted.Content.Headers.ContentType?.MediaType);
        var problem = await posted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("EDI-MAP-CONTAINER-CHECK-DIGIT", problem.GetProperty("diagnostics")[0].GetProperty("code").GetString());
        Assert.Contains("UCM+1+CUSRES:D:96B:UN+4'", problem.GetProperty("contrl").GetString(), StringComparison.Ordinal);
    }
}
