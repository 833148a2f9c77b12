using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using PortCustoms.Cloud;
using PortCustoms.Cloud.Security;

namespace PortCustoms.Functions.Http;

/// <summary>A caller the app established: a stable id (for the audit record and the rate partition) and its roles.</summary>
public sealed record Caller(string Id, IReadOnlyList<string> Roles, string Source)
{
    /// <summary>Where <see cref="CallerAccessMiddleware"/> leaves the caller in <see cref="HttpContext.Items"/>.</summary>
    public const string ItemKey = "PortCustoms.Caller";

    public static Caller? Of(HttpContext http) =>
        http is not null && http.Items.TryGetValue(ItemKey, out var value) ? value as Caller : null;
}

/// <summary>
/// Where the app takes a caller's identity from, fixed at start. In Azure roles are always enforced; the App Service
/// authentication headers (<c>X-MS-CLIENT-PRINCIPAL</c>) are trusted only when App Service says authentication is on
/// (<c>WEBSITE_AUTH_ENABLED=True</c>, set by the platform, never by a caller), otherwise they are ignored. A trusted
/// client certificate establishes the customs role. On LocalHost nothing is enforced unless <c>LocalHost:Roles=on</c>;
/// then a development identity per request is accepted (<c>X-PortCustoms-Dev-Roles</c>, <c>X-PortCustoms-Dev-Caller</c>).
/// </summary>
public sealed class CallerAccessPolicy
{
    public const string AppServiceAuthenticationVariable = "WEBSITE_AUTH_ENABLED";
    public const string LocalRolesSetting = "LocalHost:Roles";
    public const string DevelopmentRolesHeader = "X-PortCustoms-Dev-Roles";
    public const string DevelopmentCallerHeader = "X-PortCustoms-Dev-Caller";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    public CallerAccessPolicy(bool enforced, bool developmentIdentity, bool appServiceAuthentication)
    {
        Enforced = enforced;
        DevelopmentIdentity = developmentIdentity;
        AppServiceAuthentication = appServiceAuthentication;
    }

    /// <summary>Whether routes that declare roles refuse callers without one of them.</summary>
    public bool Enforced { get; }

    /// <summary>LocalHost with roles on: the development identity headers are accepted.</summary>
    public bool DevelopmentIdentity { get; }

    /// <summary>App Service authentication is on: its principal headers are the caller.</summary>
    public bool AppServiceAuthentication { get; }

    public static CallerAccessPolicy From(IConfiguration configuration, RunMode runMode)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var easyAuth = string.Equals(configuration[AppServiceAuthenticationVariable], "True", StringComparison.OrdinalIgnoreCase);
        if (runMode == RunMode.Azure)
        {
            return new CallerAccessPolicy(enforced: true, developmentIdentity: false, appServiceAuthentication: easyAuth);
        }
        var roles = configuration[LocalRolesSetting]?.Trim();
        var on = roles?.ToUpperInvariant() switch
        {
            null or "" or "OFF" or "FALSE" => false,
            "ON" or "TRUE" => true,
            _ => throw new InvalidOperationException($"{LocalRolesSetting} is '{roles}': set on or off."),
        };
        return new CallerAccessPolicy(enforced: on, developmentIdentity: on, appServiceAuthentication: false);
    }

    /// <summary>One line for the start log.</summary>
    public string Describe() => (Enforced, DevelopmentIdentity, AppServiceAuthentication) switch
    {
        (false, _, _) => "Caller roles are NOT enforced (start with LocalHost:Roles=on to enforce them).",
        (true, true, _) => $"Caller roles are enforced; a development identity is taken from {DevelopmentRolesHeader} (and {DevelopmentCallerHeader}).",
        (true, false, true) => "Caller roles are enforced; identity from App Service authentication and client certificates.",
        (true, false, false) => "Caller roles are enforced; App Service authentication is off, so only client certificates identify callers.",
    };
}

/// <summary>Establishes who called, by <see cref="CallerAccessPolicy"/>; null when nobody trustworthy did.</summary>
public sealed class CallerResolver(CallerAccessPolicy policy, CallerCertificateValidator certificates)
{
    private const string RoleClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public CallerAccessPolicy Policy => policy;

    public Caller? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (policy.DevelopmentIdentity && request.Headers[CallerAccessPolicy.DevelopmentRolesHeader].ToString() is { Length: > 0 } devRoles)
        {
            var roles = devRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var id = request.Headers[CallerAccessPolicy.DevelopmentCallerHeader].ToString() is { Length: > 0 } name ? name : string.Join('+', roles);
            return new Caller("dev:" + Clip(id), roles, "development");
        }
        if (policy.AppServiceAuthentication && request.Headers[CallerAccessPolicy.PrincipalHeader].ToString() is { Length: > 0 } principal)
        {
            return FromPrincipal(principal, request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].ToString(), request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString());
        }
        if (CallerCertificates.Presented(request) && certificates.Validate(request) is { IsTrusted: true, Thumbprint: { } thumbprint })
        {
            return new Caller("certificate:" + thumbprint, [CallerRole.Customs], "certificate");
        }
        return null;
    }

    /// <summary>The App Service principal: base64 JSON <c>{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }</c>.</summary>
    public static Caller? FromPrincipal(string encoded, string? headerId = null, string? headerName = null)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            var root = document.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : RoleClaim;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString() : null;
            var roles = new List<string>();
            string? objectId = null, name = null, appId = null;
            if (root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array)
            {
                foreach (var claim in claims.EnumerateArray())
                {
                    var type = claim.TryGetProperty("typ", out var t) ? t.GetString() : null;
                    var value = claim.TryGetProperty("val", out var v) ? v.GetString() : null;
                    if (type is null || string.IsNullOrEmpty(value))
                    {
                        continue;
                    }
                    if (type == roleType || type is "roles" or RoleClaim)
                    {
                        roles.Add(value);
                    }
                    else if (type is "oid" or ObjectIdClaim)
                    {
                        objectId ??= value;
                    }
                    else if (type is "appid" or "azp")
                    {
                        appId ??= value;
                    }
                    else if (type == nameType)
                    {
                        name ??= value;
                    }
                }
            }
            var id = objectId ?? NonEmpty(headerId) ?? appId ?? name ?? NonEmpty(headerName);
            return id is null ? null : new Caller("principal:" + Clip(name ?? NonEmpty(headerName) ?? id), roles, "app-service-authentication");
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Clip(string value) => value.Length <= 200 ? value : value[..200];
}
