using System.Net;
using System.Text.Json;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Operations;

[Collection(AppHostCollection.Name)]
public sealed class OpenApiEndToEndTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_served_API_document_is_the_one_kept_in_the_repository()
    {
        using var response = await fixture.Client.GetAsync("api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(File.ReadAllBytes(RepositoryPaths.Combine("docs", "openapi.json")), served);
        using var document = JsonDocument.Parse(served);
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }
}
