using System.Net;
using System.Text.Json;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Operations;

[Collection(AppHostCollection.Name)]
public sealed class HealthEndToEndTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Health_answers_200_with_each_dependency_and_no_data()
    {
        using var response = await fixture.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal(["dependencies", "status"], body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Health_answers_503_naming_storage_when_storage_is_down()
    {
        // A port nothing listens on: storage is down from the app's point of view.
        var dead = FreePorts.Take(1)[0];
        var connection = AzuriteFixture.ConnectionStringFor(dead, dead, dead);
        await using var app = await AppHost.StartAsync(connection);

        using var response = await app.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_answers_503_naming_residency_when_the_app_runs_outside_the_approved_regions()
    {
        await using var app = await AppHost.StartAsync(fixture.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Residency:Region"] = "westeurope",
            ["Residency:AllowedRegions"] = "westeurope,northeurope",
            ["REGION_NAME"] = "East US",
        });

        using var response = await app.Client.GetAsync("api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("dependencies").GetProperty("residency").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("dependencies").GetProperty("storage").GetProperty("status").GetString());

        // LocalHost runs the app's worker middleware as the Functions worker does: customs data is refused with the 503
        // problem before the function runs, here as in Azure.
        using var gate = await app.Client.PostAsync("api/v1/gate/queries", new StringContent(
            """{"containerNumber":"MSCU1234566","direction":"OUT","gateTransactionId":"G-residency","terminal":"NLRTM-ECT"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gate.StatusCode);
        Assert.Equal("application/problem+json", gate.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await gate.Content.ReadAsStringAsync());
        Assert.Equal("Customs data not processed here", problem.RootElement.GetProperty("title").GetString());
        using var view = await app.Client.GetAsync("api/v1/containers/MSCU1234566");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, view.StatusCode);
    }
}
