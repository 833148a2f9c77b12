using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Operations;

/// <summary>
/// <c>GET /api/v1/ops</c>: the operations page. Plain HTML with its own small SVG charts, embedded in the app (customs
/// networks are closed: no CDN); it reads <c>/api/v1/kpis</c> in the browser, passing on the function key it was
/// opened with.
/// </summary>
public sealed class OpsDashboardFunction
{
    internal const string ResourceName = "PortCustoms.ops.html";

    private static readonly Lazy<byte[]> s_page = new(() =>
    {
        using var stream = typeof(OpsDashboardFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function("OpsDashboard")]
    [CallerRoles(CallerRole.Operator, BrowserSignIn = true)]
    [ProducesResponseType(StatusCodes.Status200OK)] // a static page: its data comes from /kpis
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/ops")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The page runs only its own script and talks only to this app.
        request.HttpContext.Response.Headers["Content-Security-Policy"] = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";
        request.HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return new FileContentResult(s_page.Value, "text/html; charset=utf-8");
    }
}
