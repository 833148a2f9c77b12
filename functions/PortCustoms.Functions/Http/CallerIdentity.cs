using Microsoft.AspNetCore.Http;
using PortCustoms.Cloud.Security;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Who called, for the audit record: the caller <see cref="CallerAccessMiddleware"/> established (App Service
/// authentication principal when it is on, development identity, trusted certificate), else the client certificate (thumbprint,
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
        // Only the caller CallerAccessMiddleware established: X-MS-CLIENT-PRINCIPAL-* headers are trusted only when App
        // Service authentication is on (CallerAccessPolicy), never read here, since a caller could forge them otherwise.
        if (Caller.Of(request.HttpContext) is { } caller)
        {
            return caller.Id;
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
