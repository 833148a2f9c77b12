using System.Reflection;

namespace PortCustoms.LocalHost.Functions;

/// <summary>The kinds of trigger LocalHost can host. Anything else fails at start, naming the function.</summary>
public enum TriggerKind
{
    Http,
    Blob,
    Orchestration,
    Activity,
    Timer,
}

/// <summary>One <c>[Function]</c> method as discovered from its own attributes (names and routes are never declared twice).</summary>
public sealed record FunctionDescriptor(string Name, MethodInfo Method, TriggerKind Trigger, ParameterInfo TriggerParameter, Attribute TriggerAttribute)
{
    public Type DeclaringType => Method.DeclaringType!;

    public override string ToString() => $"{Name} ({Trigger}, {DeclaringType.Name}.{Method.Name})";
}
