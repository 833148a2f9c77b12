using Microsoft.Extensions.Diagnostics.HealthChecks;
using PortCustoms.Core.Residency;

namespace PortCustoms.Cloud.Health;

/// <summary>Outside the approved regions the app refuses customs data: health says so, so the smoke test fails.</summary>
public sealed class ResidencyHealthCheck(ResidencyGuard guard) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(guard.Status.IsAllowed ? HealthCheckResult.Healthy(guard.Status.Reason) : HealthCheckResult.Unhealthy(guard.Status.Reason));
}
