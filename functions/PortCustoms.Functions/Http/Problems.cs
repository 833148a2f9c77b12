using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PortCustoms.Core.Intake;

namespace PortCustoms.Functions.Http;

/// <summary>
/// Every problem the app answers (RFC 9457, <c>application/problem+json</c>) is built here, so each has <c>type</c>,
/// <c>title</c>, <c>status</c>, <c>detail</c> and <c>errors</c> (field -> messages; empty when no field is at fault), as
/// contracts/http-api.md promises. Problems whose body must stay bounded whatever the input write the same fields
/// themselves (<see cref="Customs.BoundedEdifactProblem"/>) with <see cref="TypeFor"/> and <see cref="ContentType"/>.
/// </summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    private static readonly IReadOnlyDictionary<string, string[]> s_noErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>A problem; <paramref name="type"/> defaults to the RFC 9110 section of the status.</summary>
    public static ObjectResult Create(
        int status,
        string title,
        string detail,
        IReadOnlyDictionary<string, string[]>? errors = null,
        string? type = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type ?? TypeFor(status) };
        problem.Extensions["errors"] = errors ?? s_noErrors;
        foreach (var (name, value) in extensions ?? [])
        {
            problem.Extensions[name] = value;
        }
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add(ContentType);
        return result;
    }

    /// <summary>400 naming every field at fault.</summary>
    public static ObjectResult Invalid(FieldErrors errors, string detail = "One or more fields are invalid.") =>
        From(IntakeProblem.Invalid(errors, detail));

    /// <summary>400 for what an intake refused; with <c>schemaErrors</c> (positioned, bounded) and <c>schemaErrorCount</c> when the body's JSON Schema refused it.</summary>
    public static ObjectResult From(IntakeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Create(StatusCodes.Status400BadRequest, problem.Title, problem.Detail, problem.Errors, extensions: SchemaExtensions(problem.SchemaErrors, problem.SchemaErrorCount));
    }

    /// <summary>The problem members that carry JSON Schema findings; none when there are none.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> SchemaExtensions(IReadOnlyList<JsonSchemaFinding> findings, int count)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
        {
            return [];
        }
        var body = findings.Select(f => new SchemaErrorBody(f.Location, f.Keyword, f.Code, f.Message)).ToArray();
        return [new("schemaErrors", body), new("schemaErrorCount", Math.Max(count, body.Length))];
    }

    /// <summary>415 naming the types that are taken.</summary>
    public static ObjectResult UnsupportedMediaType(string? contentType, string accepted) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported format", $"Content-Type '{contentType}' is not accepted: send {accepted}.");

    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

    // A finding about the caller's own request body: as public as the problem it is part of.
    [VisibleTo(VisibleToAttribute.Anyone)]
    internal sealed record SchemaErrorBody(string Pointer, string Keyword, string Code, string Message);

    /// <summary>ISO 8601 UTC with milliseconds and Z, as the contract's examples show.</summary>
    public static string FormatInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
