using Microsoft.Net.Http.Headers;

namespace PortCustoms.Functions.Http;

/// <summary>What a request's Content-Type names, parsed as a media type (parameters, case and whitespace as RFC 9110 allows).</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";

    public const string Edifact = "application/EDIFACT";

    /// <summary>
    /// A JSON type (<c>application/json</c>, any <c>+json</c> suffix), or none at all: curl and many clients send none.
    /// A Content-Type that does not parse is not JSON.
    /// </summary>
    public static bool IsJsonOrNone(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && (mediaType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
                || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    public const string Xml = "application/xml";

    /// <summary><c>application/xml</c>, <c>text/xml</c> or any <c>+xml</c> suffix (RFC 7303), with or without a charset.</summary>
    public static bool IsXml(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals(Xml, StringComparison.OrdinalIgnoreCase)
            || mediaType.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("xml", StringComparison.OrdinalIgnoreCase));

    /// <summary><c>application/EDIFACT</c> (RFC 1767), with or without a charset.</summary>
    public static bool IsEdifact(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals(Edifact, StringComparison.OrdinalIgnoreCase);
}
