using System.Collections.Immutable;
using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.LocalHost.Functions;

/// <summary>
/// The <see cref="FunctionContext"/> LocalHost passes to a function: invocation id, the scope's services (so
/// <c>GetLogger</c> works), items and the cancellation token. Binding and retry metadata of the Functions runtime
/// are not available here; a function that needs them is not portable and says so when it runs.
/// </summary>
internal sealed class LocalFunctionContext(string functionName, IServiceProvider services, CancellationToken cancellationToken) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => functionName;

    public override TraceContext TraceContext => throw NotHere(nameof(TraceContext));

    public override BindingContext BindingContext => throw NotHere(nameof(BindingContext));

    public override RetryContext RetryContext => throw NotHere(nameof(RetryContext));

    public override IServiceProvider InstanceServices { get; set; } = services;

    /// <summary>Only its name (what worker middleware looks at); the rest comes from the runtime.</summary>
    public override FunctionDefinition FunctionDefinition { get; } = new LocalFunctionDefinition(functionName);

    public override IDictionary<object, object> Items { get; set; } = new ConcurrentDictionary<object, object>();

    public override IInvocationFeatures Features => throw NotHere(nameof(Features));

    public override CancellationToken CancellationToken { get; } = cancellationToken;

    private static NotSupportedException NotHere(string member) =>
        new($"FunctionContext.{member} comes from the Azure Functions runtime and is not available in PortCustoms.LocalHost.");
}

internal sealed class LocalFunctionDefinition(string name) : FunctionDefinition
{
    public override string Name => name;

    public override string Id => name;

    public override string PathToAssembly => throw new NotSupportedException("LocalHost has no function metadata path.");

    public override string EntryPoint => throw new NotSupportedException("LocalHost has no function metadata entry point.");

    public override System.Collections.Immutable.ImmutableArray<FunctionParameter> Parameters => [];

    public override IImmutableDictionary<string, BindingMetadata> InputBindings => System.Collections.Immutable.ImmutableDictionary<string, BindingMetadata>.Empty;

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings => System.Collections.Immutable.ImmutableDictionary<string, BindingMetadata>.Empty;
}
