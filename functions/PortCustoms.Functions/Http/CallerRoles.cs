using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.Functions.Http;

/// <summary>The roles a caller can hold: the Entra app role values (docs/deploy.md), the development identity's names.</summary>
public static class CallerRole
{
    /// <summary>The terminal operating system: gate queries, status events, the container view.</summary>
    public const string Terminal = "terminal";

    /// <summary>The customs platform: notifications (Entra app role, or a trusted client certificate).</summary>
    public const string Customs = "customs";

    /// <summary>Port operations: KPIs, the dashboard, reconciliations.</summary>
    public const string Operator = "operator";

    public static IReadOnlyList<string> All { get; } = [Terminal, Customs, Operator];
}

/// <summary>
/// The roles that may call an HTTP function; <see cref="CallerAccessMiddleware"/> refuses every other caller (401 without
/// an identity, 403 without one of these roles) before the function runs. Every HTTP function declares this or
/// <see cref="AnyCallerAttribute"/>. <see cref="RateGroup"/> names the configured rate the caller is held to.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CallerRolesAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;

    /// <summary>The rate group (section <c>RateLimits:{group}</c>); the function's name when not set.</summary>
    public string? RateGroup { get; init; }

    /// <summary>
    /// A page people open in a browser (the operations page): with App Service authentication on, a browser without
    /// a session is sent to sign in (302 to <c>/.auth/login/aad</c>) instead of getting a 401 body.
    /// </summary>
    public bool BrowserSignIn { get; init; }
}

/// <summary>An HTTP function any caller may call, without an identity (health, the OpenAPI document).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AnyCallerAttribute : Attribute
{
    public string? RateGroup { get; init; }
}

/// <summary>What each HTTP function declares, read once from the assembly's <c>[Function]</c> methods.</summary>
public sealed record RouteAccess(string FunctionName, IReadOnlyList<string>? Roles, string RateGroup)
{
    public bool Anonymous => Roles is null;

    /// <summary>See <see cref="CallerRolesAttribute.BrowserSignIn"/>.</summary>
    public bool BrowserSignIn { get; init; }

    private static readonly FrozenDictionary<string, RouteAccess> s_declared = typeof(RouteAccess).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<CallerRolesAttribute>() is not null || m.GetCustomAttribute<AnyCallerAttribute>() is not null)
        .Select(m =>
        {
            var name = m.GetCustomAttribute<FunctionAttribute>()?.Name ?? throw new InvalidOperationException($"[CallerRoles] on {m.DeclaringType?.Name}.{m.Name}, which is no [Function].");
            var roles = m.GetCustomAttribute<CallerRolesAttribute>();
            var any = m.GetCustomAttribute<AnyCallerAttribute>();
            if (roles is not null && any is not null)
            {
                throw new InvalidOperationException($"{name} declares both [CallerRoles] and [AnyCaller].");
            }
            return roles is not null
                ? new RouteAccess(name, roles.Roles, roles.RateGroup ?? name) { BrowserSignIn = roles.BrowserSignIn }
                : new RouteAccess(name, null, any!.RateGroup ?? name);
        })
        .ToFrozenDictionary(a => a.FunctionName, StringComparer.Ordinal);

    /// <summary>Every HTTP function's declaration, by function name.</summary>
    public static IReadOnlyDictionary<string, RouteAccess> Declared => s_declared;

    public static RouteAccess? For(string functionName) => s_declared.GetValueOrDefault(functionName);
}
