using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Operations;

/// <summary>
/// <c>GET /api/v1/health</c>: anonymous, carries no data, only each dependency's state. 200 while the app can serve
/// (healthy or degraded), 503 when a dependency it needs is down, so the deployment smoke test and probes can tell.
/// </summary>
public sealed class HealthFunction(HealthCheckService health)
{
    [Function("Health")]
    [AnyCaller]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var body = new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new DependencyHealth(e.Value.Status.ToString(), e.Value.Description)));
        return new ObjectResult(body)
        {
            StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK,
        };
    }

    [VisibleTo(VisibleToAttribute.Anyone)]
    public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, DependencyHealth> Dependencies);

    [VisibleTo(VisibleToAttribute.Anyone)]
    public sealed record DependencyHealth(string Status, string? Description);
}
