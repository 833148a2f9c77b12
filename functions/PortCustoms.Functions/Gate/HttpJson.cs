using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PortCustoms.Functions.Gate;

/// <summary>Reading JSON request bodies field by field (so every field at fault is named), and RFC 9457 problem results.</summary>
internal static class HttpJson
{
    // Gate queries and notifications are a few hundred bytes; anything near this is not one.
    public const int MaxBodyBytes = 64 * 1024;

    public const string ProblemContentType = "application/problem+json";

    /// <summary>Parses the body as a JSON object, or returns the problem to answer.</summary>
    public static async Task<(JsonDocument? Document, IActionResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {MaxBodyBytes} bytes."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {MaxBodyBytes} bytes."));
            }
            buffer.Write(chunk, 0, read);
        }
        // Invalid text, duplicate keys and unrepresentable numbers are the sender's fault: a 400 naming the field, never a 5xx.
        if (PortCustoms.Core.Gate.JsonInputGuard.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } fault)
        {
            var errors = new FieldErrors();
            errors.Add(fault.PathIn(arrayBody: false), fault.Message);
            return (null, ValidationProblem(errors, "The body is not acceptable JSON."));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException ex)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed request", "The body must be a JSON object."));
        }
        return (document, null);
    }

    /// <summary>Parses one JSON object into a request model, naming every field at fault.</summary>
    public delegate T? ParseBody<T>(JsonElement body, out FieldErrors errors)
        where T : class;

    /// <summary>Reads a JSON object body and parses it: the model, or the problem (malformed body, invalid fields) to answer with.</summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadAndParseAsync<T>(HttpRequest request, ParseBody<T> parse, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (document, problem) = await ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }
        using (document)
        {
            var parsed = parse(document!.RootElement, out var errors);
            return parsed is null ? (null, ValidationProblem(errors)) : (parsed, null);
        }
    }

    public static ObjectResult Problem(int status, string title, string detail)
    {
        var result = new ObjectResult(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) }) { StatusCode = status };
        result.ContentTypes.Add(ProblemContentType);
        return result;
    }

    public static ObjectResult ValidationProblem(FieldErrors errors, string detail = "One or more fields are invalid.")
    {
        var problem = new ValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = detail,
            Type = TypeFor(StatusCodes.Status400BadRequest),
        };
        var result = new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest };
        result.ContentTypes.Add(ProblemContentType);
        return result;
    }

    /// <summary>Null for a JSON content type (<c>application/json</c>, <c>*+json</c>) or none; else the 415 problem.</summary>
    public static ObjectResult? RefuseUnlessJson(string? contentType) =>
        IsJson(contentType)
            ? null
            : Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported format", $"Content-Type '{contentType}' is not accepted: send application/json.");

    /// <summary>A missing content type is read as JSON (curl and many clients send none); any other type is not.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Null when customs data may be processed here; else the 503 problem that refuses it (nothing is processed).</summary>
    public static ObjectResult? RefuseOutsideResidency(PortCustoms.Core.Residency.ResidencyGuard residency)
    {
        ArgumentNullException.ThrowIfNull(residency);
        var status = residency.Status;
        return status.IsAllowed
            ? null
            : Problem(StatusCodes.Status503ServiceUnavailable, "Customs data not processed here", status.Reason);
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

    /// <summary>ISO 8601 UTC with milliseconds and Z, as the contract's examples show.</summary>
    public static string FormatInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The <c>errors</c> map of a validation problem: field (camelCase, as in the request) to messages.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>A required or optional string field; null when absent or at fault (the fault recorded).</summary>
    public string? String(JsonElement body, string field, bool required, int maxLength)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add(field, $"{field} is required.");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(field, $"{field} must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            Add(field, $"{field} must not be empty.");
            return null;
        }
        if (text.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.");
            return null;
        }
        if (text.Any(char.IsControl))
        {
            Add(field, $"{field} must not contain control characters.");
            return null;
        }
        return text;
    }

    /// <summary>An ISO 8601 instant with an explicit offset (Z or ±hh:mm): a time without one is ambiguous across a border.</summary>
    public DateTimeOffset? Instant(JsonElement body, string field, bool required)
    {
        var text = String(body, field, required, 64);
        if (text is null)
        {
            return null;
        }
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !text.Contains('T', StringComparison.Ordinal)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
        {
            Add(field, $"{field} must be an ISO 8601 date and time with offset, e.g. 2026-11-26T07:10:00Z.");
            return null;
        }
        return instant;
    }

    public double? Number(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            Add(field, $"{field} must be a number.");
            return null;
        }
        return number;
    }
}
