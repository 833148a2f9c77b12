using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace PortCustoms.LocalHost.Functions;

/// <summary>What one invocation offers to bind from: the trigger value, named values (route or blob path), services.</summary>
internal sealed class InvocationValues(IServiceProvider services, CancellationToken cancellationToken)
{
    public IServiceProvider Services { get; } = services;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public object? TriggerValue { get; init; }

    public HttpContext? HttpContext { get; init; }

    public IReadOnlyDictionary<string, string?> NamedValues { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// Binds a function's parameters and calls it, the way the isolated worker does: the class is created per invocation
/// from the scope's services; <c>Task</c>/<c>ValueTask</c> results are awaited. Every parameter's binding is decided at
/// start, so an unbindable parameter fails the host before it serves anything.
/// </summary>
internal sealed class FunctionInvoker
{
    private readonly Func<InvocationValues, object?>[] _binders;

    private readonly bool _stayOnContext;

    public FunctionInvoker(FunctionDescriptor function, IReadOnlySet<string> namedValues, Func<InvocationValues, object?>? triggerBinder = null)
    {
        Function = function;
        // Orchestrator code must resume on the orchestration's own scheduler: a continuation on the thread pool would
        // finish the orchestration after its episode was already reported as still running.
        _stayOnContext = function.Trigger == TriggerKind.Orchestration;
        _binders = function.Method.GetParameters().Select(p => CreateBinder(function, p, namedValues, triggerBinder)).ToArray();
    }

    public FunctionDescriptor Function { get; }

    public async Task<object?> InvokeAsync(InvocationValues values)
    {
        var method = Function.Method;
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(values.Services, Function.DeclaringType);
        try
        {
            var arguments = Array.ConvertAll(_binders, b => b(values));
            object? returned;
            try
            {
                returned = method.Invoke(target, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
            return await UnwrapAsync(returned, _stayOnContext).ConfigureAwait(_stayOnContext);
        }
        finally
        {
            switch (target)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(_stayOnContext);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? returned, bool stayOnContext)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(stayOnContext);
                var type = task.GetType();
                // Task<T>: read Result; a plain Task (or the runtime's VoidTaskResult) has none worth returning.
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty("Result")!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(stayOnContext);
                return null;
            default:
                var returnedType = returned?.GetType();
                if (returnedType is { IsGenericType: true } && returnedType.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)returnedType.GetMethod("AsTask")!.Invoke(returned, null)!;
                    return await UnwrapAsync(asTask, stayOnContext).ConfigureAwait(stayOnContext);
                }
                return returned;
        }
    }

    private static Func<InvocationValues, object?> CreateBinder(
        FunctionDescriptor function, ParameterInfo parameter, IReadOnlySet<string> namedValues, Func<InvocationValues, object?>? triggerBinder)
    {
        if (parameter == function.TriggerParameter || parameter.Position == function.TriggerParameter.Position)
        {
            return triggerBinder ?? (static v => v.TriggerValue);
        }
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return static v => v.CancellationToken;
        }
        if (type == typeof(FunctionContext))
        {
            var name = function.Name;
            return v => new LocalFunctionContext(name, v.Services, v.CancellationToken);
        }
        if (type == typeof(HttpRequest))
        {
            return static v => v.HttpContext?.Request;
        }
        if (type == typeof(HttpContext))
        {
            return static v => v.HttpContext;
        }
        if (parameter.GetCustomAttributes().Any(a => a.GetType().Name == "DurableClientAttribute"))
        {
            if (!typeof(DurableTaskClient).IsAssignableFrom(type))
            {
                throw Unbindable(function, parameter, "[DurableClient] binds a DurableTaskClient");
            }
            return static v => v.Services.GetRequiredService<DurableTaskClient>();
        }
        if (parameter.Name is { } named && namedValues.Contains(named))
        {
            if (type == typeof(string))
            {
                return v => v.NamedValues.GetValueOrDefault(named);
            }
            if (type.IsPrimitive || type == typeof(Guid) || type == typeof(DateTimeOffset))
            {
                return v => v.NamedValues.GetValueOrDefault(named) is { } text
                    ? Convert.ChangeType(text, type, CultureInfo.InvariantCulture)
                    : null;
            }
        }
        if (parameter.GetCustomAttributes().Any(a => a is Microsoft.Azure.Functions.Worker.Extensions.Abstractions.BindingAttribute))
        {
            throw Unbindable(function, parameter, $"input/output binding {parameter.GetCustomAttributes().First().GetType().Name} is not hosted");
        }
        throw Unbindable(function, parameter, "no binding source (only the trigger, HttpRequest, CancellationToken, FunctionContext, [DurableClient] and route or blob-path values are bound)");
    }

    private static LocalHostBindingException Unbindable(FunctionDescriptor function, ParameterInfo parameter, string why) =>
        new($"PortCustoms.LocalHost cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}: {why}.");
}
