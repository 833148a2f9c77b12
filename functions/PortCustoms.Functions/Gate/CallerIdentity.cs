using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace PortCustoms.Functions.Gate;

/// <summary>
/// Who called, for the audit record: the App Service authentication principal, else the client certificate (thumbprint;
/// the platform forwards it in <c>X-ARR-ClientCert</c> without validating it, so it is recorded as presented), else the
/// fact that a function key was used (never the key). Plus the remote address.
/// </summary>
internal static class CallerIdentity
{
    public static string Describe(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = Principal(request) ?? Certificate(request) ?? (HasFunctionKey(request) ? "function-key" : "anonymous");
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

    private static string? Certificate(HttpRequest request)
    {
        if (request.HttpContext.Connection.ClientCertificate is { } direct)
        {
            return "certificate:" + direct.Thumbprint;
        }
        if (request.Headers["X-ARR-ClientCert"].ToString() is not { Length: > 0 } forwarded)
        {
            return null;
        }
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(forwarded));
            return "certificate:" + certificate.Thumbprint + " (forwarded)";
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return "certificate:unreadable (forwarded)";
        }
    }

    private static bool HasFunctionKey(HttpRequest request) =>
        request.Headers.ContainsKey("x-functions-key") || request.Query.ContainsKey("code");

    private static string Clip(string value) => value.Length <= 200 ? value : value[..200];
}
