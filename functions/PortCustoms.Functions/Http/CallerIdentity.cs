using Microsoft.AspNetCore.Http;
using PortCustoms.Cloud.Security;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Who called, for the audit record: the App Service authentication principal, else the client certificate (thumbprint,
/// and whether it validated: the platform forwards it in <c>X-ARR-ClientCert</c> without validating it), else the fact
/// that a function key was used (never the key). Plus the remote address.
/// </summary>
internal static class CallerIdentity
{
    public static string Describe(HttpRequest request, CallerCertificateValidator? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = Principal(request) ?? Certificate(request, certificates) ?? (HasFunctionKey(request) ? "function-key" : "anonymous");
        return request.HttpContext.Connection.RemoteIpAddress is { } address ? $"{who} from {address}" : who;
    }

    private static string? Principal(HttpRequest request)
    {
        // Set by App Service authentication after it validated the caller; it strips copies a client sends.
        if (request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString() is { Length: > 0 } name)
        {
            return "principal:" + Clip(name);
        }
        if (request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].ToString() is { Length: > 0 } id)
        {
            return "principal-id:" + Clip(id);
        }
        var user = request.HttpContext.User.Identity;
        return user is { IsAuthenticated: true, Name: { Length: > 0 } userName } ? "user:" + Clip(userName) : null;
    }

    private static string? Certificate(HttpRequest request, CallerCertificateValidator? certificates)
    {
        if (!CallerCertificates.Presented(request))
        {
            return null;
        }
        if (certificates is not null)
        {
            var verdict = certificates.Validate(request);
            return verdict.Thumbprint is null
                ? "certificate:unreadable"
                : $"certificate:{verdict.Thumbprint} ({(verdict.IsTrusted ? "verified" : "not verified")})";
        }
        var certificate = CallerCertificateValidator.ReadCertificate(request.HttpContext.Connection.ClientCertificate, CallerCertificates.Forwarded(request));
        return certificate is null ? "certificate:unreadable" : $"certificate:{certificate.Thumbprint} (not verified)";
    }

    private static bool HasFunctionKey(HttpRequest request) =>
        request.Headers.ContainsKey("x-functions-key") || request.Query.ContainsKey("code");

    private static string Clip(string value) => value.Length <= 200 ? value : value[..200];
}
