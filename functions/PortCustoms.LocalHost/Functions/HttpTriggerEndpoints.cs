using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.LocalHost.Functions;

/// <summary>Maps each HTTP-triggered function to a Kestrel endpoint at <c>/{routePrefix}/{route}</c> with its own methods.</summary>
internal static partial class HttpTriggerEndpoints
{
    /// <summary>The key under which the ASP.NET Core integration keeps the request's HttpContext in <see cref="FunctionContext.Items"/> (what <c>GetHttpContext()</c> reads).</summary>
    internal const string HttpContextKey = "HttpRequestContext";

    public static IReadOnlyList<string> Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions, string routePrefix, IReadOnlyList<Type>? middleware = null)
    {
        var mapped = new List<string>();
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var trigger = (HttpTriggerAttribute)function.TriggerAttribute;
            var route = trigger.Route ?? function.Name;
            var pattern = "/" + string.Join('/', new[] { routePrefix.Trim('/'), route.Trim('/') }.Where(s => s.Length > 0));
            var routeValues = RouteParameter().Matches(route).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var invoker = new FunctionInvoker(function, routeValues);
            var methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : null;

            var name = function.Name;
            RequestDelegate handler = context => RunMiddlewareAsync(middleware ?? [], name, context, () => InvokeAsync(invoker, context));
            var builder = methods is null ? endpoints.Map(pattern, handler) : endpoints.MapMethods(pattern, methods, handler);
            builder.WithDisplayName(function.Name);
            mapped.Add($"{function.Name}: [{(methods is null ? "*" : string.Join(",", methods))}] {pattern}");
        }
        return mapped;
    }

    /// <summary>
    /// The app's worker middleware (as Program.cs registers it for the Functions worker) around the function, with a
    /// function context that carries the function's name and the request's HttpContext, as the runtime's does.
    /// </summary>
    private static Task RunMiddlewareAsync(IReadOnlyList<Type> middleware, string functionName, HttpContext http, Func<Task> invoke)
    {
        if (middleware.Count == 0)
        {
            return invoke();
        }
        var context = new LocalFunctionContext(functionName, http.RequestServices, http.RequestAborted);
        context.Items[HttpContextKey] = http;
        Microsoft.Azure.Functions.Worker.Middleware.FunctionExecutionDelegate next = _ => invoke();
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var instance = (Microsoft.Azure.Functions.Worker.Middleware.IFunctionsWorkerMiddleware)Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance(http.RequestServices, middleware[i]);
            var inner = next;
            next = ctx => instance.Invoke(ctx, inner);
        }
        return next(context);
    }

    private static async Task InvokeAsync(FunctionInvoker invoker, HttpContext context)
    {
        var routeValues = context.Request.RouteValues.ToDictionary(
            kv => kv.Key, kv => Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
        var values = new InvocationValues(context.RequestServices, context.RequestAborted)
        {
            HttpContext = context,
            TriggerValue = context.Request,
            NamedValues = routeValues,
        };
        var result = await invoker.InvokeAsync(values).ConfigureAwait(false);
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context).ConfigureAwait(false);
                break;
            case null:
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                }
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType(), context.RequestAborted).ConfigureAwait(false);
                break;
        }
    }

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
