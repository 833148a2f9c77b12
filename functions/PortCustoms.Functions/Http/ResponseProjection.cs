using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Operations.Kpis;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Which caller roles may see a response field: on a property (its own decision), or on a type (every property of the
/// type that has none of its own). <see cref="Anyone"/> is public: also callers with no role (health, problems).
/// A property with no decision, on itself, its type or in <see cref="ResponseProjection"/>'s table, is hidden from
/// everyone, and <c>ResponseProjectionPolicyTests</c> fails until it gets one.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class VisibleToAttribute(params string[] roles) : Attribute
{
    /// <summary>Every caller, including one without a role.</summary>
    public const string Anyone = "*";

    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>The roles a response is projected for: the caller's known roles (the union of what each may see).</summary>
[Flags]
public enum ResponseAudience : byte
{
    /// <summary>No role: only <see cref="VisibleToAttribute.Anyone"/> fields.</summary>
    None = 0,
    Terminal = 1,
    Customs = 2,
    Operator = 4,
}

/// <summary>
/// The one place that decides the fields of every JSON response per caller role: a System.Text.Json contract modifier
/// that keeps a property only when its <see cref="VisibleToAttribute"/> decision admits one of the audience's roles.
/// One <see cref="JsonSerializerOptions"/> per audience (eight at most), cached; the response models exist once.
/// <see cref="CallerAccessMiddleware"/> sets the audience of each request, <see cref="ProjectingJsonOutputFormatter"/>
/// writes every <see cref="ObjectResult"/> with it.
/// </summary>
public static class ResponseProjection
{
    /// <summary>Where <see cref="CallerAccessMiddleware"/> leaves the request's audience in <see cref="HttpContext.Items"/>.</summary>
    public const string ItemKey = "PortCustoms.ResponseAudience";

    /// <summary>
    /// Decisions for types the app does not own or shares with other layers: problem details describe the caller's own
    /// request (anyone who got past the role check); the KPI figures are port operations data (operator).
    /// </summary>
    private static readonly FrozenDictionary<Type, IReadOnlyList<string>> s_table = new Dictionary<Type, IReadOnlyList<string>>
    {
        [typeof(ProblemDetails)] = [VisibleToAttribute.Anyone],
        [typeof(ValidationProblemDetails)] = [VisibleToAttribute.Anyone],
        [typeof(HttpValidationProblemDetails)] = [VisibleToAttribute.Anyone],
        [typeof(DeliveryKpis)] = [CallerRole.Operator],
        [typeof(GateKpis)] = [CallerRole.Operator],
        [typeof(QueueKpis)] = [CallerRole.Operator],
        [typeof(BrokerFileKpis)] = [CallerRole.Operator],
        [typeof(UnmappedCodeKpis)] = [CallerRole.Operator],
        [typeof(KpiInterval)] = [CallerRole.Operator],
    }.ToFrozenDictionary();

    private static readonly ConcurrentDictionary<ResponseAudience, JsonSerializerOptions> s_options = new();

    /// <summary>The serializer options for <paramref name="audience"/>: web defaults, fields not visible to it removed.</summary>
    public static JsonSerializerOptions OptionsFor(ResponseAudience audience) => s_options.GetOrAdd(audience, static a =>
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { info => Project(info, a) } },
        };
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    });

    /// <summary>The audience a request was projected for; <see cref="ResponseAudience.None"/> when nobody set one (fail closed).</summary>
    public static ResponseAudience AudienceOf(HttpContext http) =>
        http?.Items.TryGetValue(ItemKey, out var value) == true && value is ResponseAudience audience ? audience : ResponseAudience.None;

    /// <summary>The audience of a set of role names; unknown names add nothing.</summary>
    public static ResponseAudience AudienceOf(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var audience = ResponseAudience.None;
        foreach (var role in roles)
        {
            audience |= FlagOf(role);
        }
        return audience;
    }

    /// <summary>
    /// The audience when no caller was established on a route that declares roles (LocalHost with roles off): the least
    /// privileged role the route admits (terminal, then customs, then operator), never the union.
    /// </summary>
    public static ResponseAudience LeastPrivileged(IEnumerable<string> routeRoles)
    {
        var admitted = AudienceOf(routeRoles);
        foreach (var flag in (ReadOnlySpan<ResponseAudience>)[ResponseAudience.Terminal, ResponseAudience.Customs, ResponseAudience.Operator])
        {
            if (admitted.HasFlag(flag))
            {
                return flag;
            }
        }
        return ResponseAudience.None;
    }

    /// <summary>
    /// The roles that may see <paramref name="property"/> of <paramref name="declaringType"/>: its own decision, else its
    /// type's, else the table's; null when nobody decided (then it is hidden from everyone).
    /// </summary>
    public static IReadOnlyList<string>? Decision(Type declaringType, PropertyInfo? property)
    {
        ArgumentNullException.ThrowIfNull(declaringType);
        return property?.GetCustomAttribute<VisibleToAttribute>()?.Roles
            ?? declaringType.GetCustomAttribute<VisibleToAttribute>(inherit: false)?.Roles
            ?? s_table.GetValueOrDefault(declaringType)
            ?? (property?.DeclaringType is { } declared && declared != declaringType ? Decision(declared, property) : null);
    }

    /// <summary>Whether <paramref name="roles"/> (a decision) admit <paramref name="audience"/>.</summary>
    public static bool Admits(IReadOnlyList<string>? roles, ResponseAudience audience) =>
        roles is not null && roles.Any(r => r == VisibleToAttribute.Anyone || (FlagOf(r) is var flag && flag != ResponseAudience.None && audience.HasFlag(flag)));

    private static readonly JsonSerializerOptions s_unprojected = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>
    /// Every field a response of <paramref name="root"/> can carry, unprojected, with its decision (null: none), walking
    /// the serializer's own contract through nested objects, list elements and dictionary values. What the policy tests
    /// and the OpenAPI document check.
    /// </summary>
    public static IReadOnlyList<ResponseField> Fields(Type root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var fields = new List<ResponseField>();
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (type == typeof(object) || !seen.Add(type))
            {
                continue;
            }
            var info = s_unprojected.GetTypeInfo(type);
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object:
                    foreach (var property in info.Properties)
                    {
                        var member = property.AttributeProvider as PropertyInfo;
                        fields.Add(new ResponseField(type, property.Name, member, property.PropertyType, Decision(type, member)));
                        pending.Push(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
                    }
                    break;
                case JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary when info.ElementType is { } element:
                    pending.Push(Nullable.GetUnderlyingType(element) ?? element);
                    break;
            }
        }
        return fields;
    }

    private static void Project(JsonTypeInfo info, ResponseAudience audience)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            var member = property.AttributeProvider as PropertyInfo;
            if (!Admits(Decision(info.Type, member), audience))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private static ResponseAudience FlagOf(string role) => role?.Trim().ToUpperInvariant() switch
    {
        "TERMINAL" => ResponseAudience.Terminal,
        "CUSTOMS" => ResponseAudience.Customs,
        "OPERATOR" => ResponseAudience.Operator,
        _ => ResponseAudience.None,
    };
}

/// <summary>One field of a response type as the serializer writes it, with the roles that may see it (null: undecided, hidden).</summary>
public sealed record ResponseField(Type DeclaringType, string JsonName, PropertyInfo? Property, Type PropertyType, IReadOnlyList<string>? VisibleTo)
{
    public bool IsVisibleTo(ResponseAudience audience) => ResponseProjection.Admits(VisibleTo, audience);
}
