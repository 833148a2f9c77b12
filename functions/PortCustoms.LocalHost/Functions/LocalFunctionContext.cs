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

    public override FunctionDefinition FunctionDefinition => throw NotHere(nameof(FunctionDefinition));

    public override IDictionary<object, object> Items { get; set; } = new ConcurrentDictionary<object, object>();

    public override IInvocationFeatures Features => throw NotHere(nameof(Features));

    public override CancellationToken CancellationToken { get; } = cancellationToken;

    private static NotSupportedException NotHere(string member) =>
        new($"FunctionContext.{member} comes from the Azure Functions runtime and is not available in PortCustoms.LocalHost.");
}
