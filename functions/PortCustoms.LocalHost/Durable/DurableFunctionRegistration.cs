using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortCustoms.LocalHost.Functions;

namespace PortCustoms.LocalHost.Durable;

/// <summary>
/// Registers <c>[OrchestrationTrigger]</c> and <c>[ActivityTrigger]</c> functions with the in-process Durable Task host,
/// under their function names, so orchestrations call activities by the same names as in Azure.
/// </summary>
internal static class DurableFunctionRegistration
{
    public static void Register(DurableTaskRegistry registry, IReadOnlyList<FunctionDescriptor> functions, LocalServices services)
    {
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Orchestration))
        {
            var invoker = new FunctionInvoker(function, new HashSet<string>());
            registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(invoker, services));
        }
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Activity))
        {
            var invoker = new FunctionInvoker(function, new HashSet<string>());
            var inputType = function.TriggerParameter.ParameterType;
            registry.AddActivity(function.Name, sp => new FunctionActivity(invoker, inputType, sp));
        }
    }

    private sealed class FunctionOrchestrator(FunctionInvoker invoker, LocalServices services) : ITaskOrchestrator
    {
        public Type InputType => typeof(JsonElement?);

        public Type OutputType => typeof(object);

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var provider = services.Provider;
            var wrapped = new JsonInputOrchestrationContext(context, input, provider.GetRequiredService<ILoggerFactory>());
            // Orchestrator code must be deterministic and replay-safe: no scope-bound I/O, so no scope here.
            return await invoker.InvokeAsync(new InvocationValues(provider, CancellationToken.None) { TriggerValue = wrapped }).ConfigureAwait(true);
        }
    }

    private sealed class FunctionActivity(FunctionInvoker invoker, Type inputType, IServiceProvider provider) : ITaskActivity
    {
        public Type InputType => inputType;

        public Type OutputType => typeof(object);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var scope = provider.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                return await invoker.InvokeAsync(new InvocationValues(scope.ServiceProvider, CancellationToken.None) { TriggerValue = input }).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The built host's services, for factories the Durable Task registry calls without a provider.</summary>
internal sealed class LocalServices
{
    private IServiceProvider? _provider;

    public IServiceProvider Provider
    {
        get => _provider ?? throw new InvalidOperationException("The host has not been built yet.");
        set => _provider = value;
    }
}
