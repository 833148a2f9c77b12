using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace PortCustoms.Functions.Tests.Fixtures;

/// <summary>
/// Runs an HTTP function behind worker middleware as the Functions ASP.NET Core integration does: the request's
/// <see cref="HttpContext"/> in the invocation's items, the function's <see cref="IActionResult"/> executed on it
/// unless a middleware answered first. Status, Content-Type and body as written.
/// </summary>
internal static class MiddlewareInvocation
{
    public static async Task<HttpResult> RunAsync(IFunctionsWorkerMiddleware middleware, string functionName, HttpRequest request, Func<Task<IActionResult>> function)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMvcCore();
        await using var provider = services.BuildServiceProvider();
        var http = request.HttpContext;
        http.RequestServices = provider;
        http.Response.Body = new MemoryStream();
        var context = new TestFunctionContext(functionName, provider);
        context.Items["HttpRequestContext"] = http;

        await middleware.Invoke(context, async _ =>
        {
            var result = await function();
            await result.ExecuteResultAsync(new ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        });

        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        return new HttpResult(http.Response.StatusCode, http.Response.ContentType, body);
    }

    private sealed class TestFunctionContext(string functionName, IServiceProvider services) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

        public override string FunctionId => functionName;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition { get; } = new TestFunctionDefinition(functionName);

        public override IDictionary<object, object> Items { get; set; } = new ConcurrentDictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class TestFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(PortCustomsApp).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
