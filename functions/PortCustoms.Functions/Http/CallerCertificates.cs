using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Cloud.Security;

namespace PortCustoms.Functions.Http;

/// <summary>Reads a request's client certificate for <see cref="CallerCertificateValidator"/>, which knows no HTTP types.</summary>
internal static class CallerCertificates
{
    public static CallerCertificateVerdict Validate(this CallerCertificateValidator validator, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(request);
        return validator.Validate(request.HttpContext.Connection.ClientCertificate, Forwarded(request));
    }

    public static bool Presented(HttpRequest request) =>
        request.HttpContext.Connection.ClientCertificate is not null || request.Headers[CallerCertificateValidator.ForwardedHeader].Count > 0;

    public static string? Forwarded(HttpRequest request) =>
        request.Headers.TryGetValue(CallerCertificateValidator.ForwardedHeader, out var value) ? value.ToString() : null;

    /// <summary>The answer to a caller whose certificate was not trusted: 401 when none was presented, else 403.</summary>
    public static ObjectResult Refusal(CallerCertificateVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Thumbprint is null
            ? Problems.Create(StatusCodes.Status401Unauthorized, "Client certificate required", verdict.Reason)
            : Problems.Create(StatusCodes.Status403Forbidden, "Client certificate refused", verdict.Reason);
    }
}
