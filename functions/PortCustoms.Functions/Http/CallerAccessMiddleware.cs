using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Caller identity, roles and rates for HTTP, in one place, before any function runs: the caller is established by
/// <see cref="CallerResolver"/>; a route that declares <see cref="CallerRolesAttribute"/> refuses a caller without an
/// identity (401) or without one of its roles (403) when roles are enforced; a caller over its group's configured rate
/// gets 429 with Retry-After. A refused request is never processed. The caller is left in the request's items for the
/// audit record (<see cref="CallerIdentity"/>), with the audience its response is projected for (<see cref="ResponseProjection"/>).
/// </summary>
internal sealed class CallerAccessMiddleware(CallerResolver resolver, CallerRateLimiter limiter, ILogger<CallerAccessMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http || RouteAccess.For(context.FunctionDefinition.Name) is not { } access)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var caller = resolver.Resolve(http.Request);
        if (caller is not null)
        {
            http.Items[Caller.ItemKey] = caller;
        }
        // What the response may show (ResponseProjection): the caller's roles; with roles off and nobody identified,
        // the least privileged role the route admits; on an anonymous route without a caller, public fields only.
        http.Items[ResponseProjection.ItemKey] = caller is not null ? ResponseProjection.AudienceOf(caller.Roles)
            : access.Anonymous || resolver.Policy.Enforced ? ResponseAudience.None
            : ResponseProjection.LeastPrivileged(access.Roles!);
        if (!access.Anonymous && resolver.Policy.Enforced)
        {
            if (caller is null && access.BrowserSignIn && resolver.Policy.AppServiceAuthentication && AcceptsHtml(http.Request))
            {
                // A person at a browser: App Service authentication signs them in and sends them back here.
                http.Response.StatusCode = StatusCodes.Status302Found;
                http.Response.Headers.Location = "/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString);
                return;
            }
            if (caller is null)
            {
                logger.CallerRefused(access.FunctionName, "no identity", 401);
                await WriteAsync(http, Problems.Create(StatusCodes.Status401Unauthorized, "Caller not authenticated",
                    $"This route needs a caller identity with one of the roles: {string.Join(", ", access.Roles!)}.")).ConfigureAwait(false);
                return;
            }
            if (!caller.Roles.Any(r => access.Roles!.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                logger.CallerRefused(access.FunctionName, caller.Source, 403);
                await WriteAsync(http, Problems.Create(StatusCodes.Status403Forbidden, "Caller not allowed",
                    $"This route is for the roles: {string.Join(", ", access.Roles!)}; the caller has none of them.")).ConfigureAwait(false);
                return;
            }
        }
        var partition = caller?.Id ?? "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (limiter.TryAcquire(access.RateGroup, partition) is { } retryAfter)
        {
            logger.CallerRateLimited(access.FunctionName, access.RateGroup);
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(http, Problems.Create(StatusCodes.Status429TooManyRequests, "Too many requests",
                string.Create(CultureInfo.InvariantCulture, $"This caller exceeded the rate configured for '{access.RateGroup}'; retry after {seconds} s."))).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static Task WriteAsync(HttpContext http, ObjectResult problem) =>
        problem.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
}
