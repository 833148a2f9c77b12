using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Residency;

namespace PortCustoms.Functions.Http;

/// <summary>Marks an HTTP function that takes or shows customs data: <see cref="ResidencyMiddleware"/> refuses it outside the approved regions.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class CustomsDataAttribute : Attribute;

/// <summary>
/// The residency refusal for HTTP, in one place: outside the approved regions a <see cref="CustomsDataAttribute"/>
/// function is not run at all and the caller gets 503 (nothing processed, nothing stored). A refusal raised further in
/// (an intake service's own guard, <see cref="ResidencyViolationException"/>) is answered the same way. Other triggers
/// are left to their services' guards (the batch pipeline, the status-event handler).
/// </summary>
internal sealed class ResidencyMiddleware(ResidencyGuard residency, ILogger<ResidencyMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public const string Title = "Customs data not processed here";

    // Function names, as the [Function] attribute declares them (one declaration per route).
    private static readonly FrozenSet<string> s_guarded = typeof(ResidencyMiddleware).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<CustomsDataAttribute>() is not null)
        .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name ?? throw new InvalidOperationException($"[CustomsData] on {m.DeclaringType?.Name}.{m.Name}, which is no [Function]."))
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The functions refused outside the approved regions.</summary>
    public static IReadOnlySet<string> GuardedFunctions => s_guarded;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http || !s_guarded.Contains(context.FunctionDefinition.Name))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (residency.Status is { IsAllowed: false } status)
        {
            logger.CustomsDataRefusedHere(context.FunctionDefinition.Name, status.Reason);
            await WriteAsync(http, status.Reason).ConfigureAwait(false);
            return;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ResidencyViolationException ex) when (!http.Response.HasStarted)
        {
            logger.CustomsDataRefusedHere(context.FunctionDefinition.Name, ex.Message);
            await WriteAsync(http, ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>The 503 that refuses customs data here: the reason names the region, never any data.</summary>
    public static ObjectResult Refusal(string reason) =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, Title, reason);

    private static Task WriteAsync(HttpContext http, string reason) =>
        Refusal(reason).ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
}
