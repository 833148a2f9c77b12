using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.Functions.Operations;

/// <summary><c>GET /api/v1/health</c>: anonymous, no data, each dependency's state.</summary>
public sealed class HealthFunction
{
    [Function("Health")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new { status = "Healthy" });
    }
}
