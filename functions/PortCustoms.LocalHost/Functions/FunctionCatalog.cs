using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.LocalHost.Functions;

/// <summary>
/// Finds every <c>[Function]</c> method in the given assemblies and classifies it by its trigger attribute, exactly as the
/// Worker SDK's metadata generator does. A trigger LocalHost cannot host is an error at start, never a silent skip.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        return Discover(assemblies.Distinct().SelectMany(SafeTypes));
    }

    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var functions = new List<FunctionDescriptor>();
        var unsupported = new List<string>();
        foreach (var type in types.Distinct())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }
                var triggers = method.GetParameters()
                    .SelectMany(p => p.GetCustomAttributes().Where(IsTrigger).Select(a => (Parameter: p, Attribute: a)))
                    .ToList();
                if (triggers.Count != 1)
                {
                    unsupported.Add($"{function.Name} ({type.FullName}.{method.Name}): {triggers.Count} trigger attributes, exactly one is required");
                    continue;
                }
                var (parameter, attribute) = triggers[0];
                TriggerKind? kind = attribute switch
                {
                    HttpTriggerAttribute => TriggerKind.Http,
                    BlobTriggerAttribute => TriggerKind.Blob,
                    OrchestrationTriggerAttribute => TriggerKind.Orchestration,
                    ActivityTriggerAttribute => TriggerKind.Activity,
                    TimerTriggerAttribute => TriggerKind.Timer,
                    _ => null,
                };
                if (kind is null)
                {
                    unsupported.Add($"{function.Name} ({type.FullName}.{method.Name}): {attribute.GetType().Name} is not hosted by PortCustoms.LocalHost");
                    continue;
                }
                functions.Add(new FunctionDescriptor(function.Name, method, kind.Value, parameter, attribute));
            }
        }

        var duplicates = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            unsupported.Add($"function names declared twice: {string.Join(", ", duplicates)}");
        }
        if (unsupported.Count > 0)
        {
            throw new LocalHostBindingException("PortCustoms.LocalHost cannot host these functions:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", unsupported));
        }
        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    // Trigger attributes of every extension derive from TriggerBindingAttribute.
    private static bool IsTrigger(Attribute attribute) =>
        attribute is Microsoft.Azure.Functions.Worker.Extensions.Abstractions.TriggerBindingAttribute;

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}

/// <summary>A function whose trigger or parameters LocalHost cannot bind; raised at start, naming the function.</summary>
public sealed class LocalHostBindingException(string message) : Exception(message);
