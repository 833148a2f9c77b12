using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Operations;

/// <summary>
/// <c>GET /api/v1/openapi.json</c>: the OpenAPI document of the whole API, the one kept in the repository
/// (docs/openapi.json), embedded at build. A contract test holds it to the functions the app really has.
/// </summary>
public sealed class OpenApiFunction
{
    internal const string ResourceName = "PortCustoms.openapi.json";

    private static readonly Lazy<byte[]> s_document = new(() =>
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function("OpenApi")]
    [AnyCaller]
    [ProducesResponseType(StatusCodes.Status200OK)] // a static document: no stored data, the same for every caller
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/openapi.json")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new FileContentResult(s_document.Value, "application/json");
    }
}
