using System.Text.Json;
using PortCustoms.Core.Gate;

namespace PortCustoms.Core.Intake;

/// <summary>
/// A request body that must be one JSON object (gate queries, JSON customs notifications): the checks every such intake
/// makes before it reads a field, in one place.
/// </summary>
public static class JsonObjectBody
{
    /// <summary>Parses one JSON object into a request model, naming every field at fault.</summary>
    public delegate T? Parse<T>(JsonElement body, out FieldErrors errors)
        where T : class;

    /// <summary>The model, or the problem that refuses the body (not acceptable JSON, not an object, fields at fault).</summary>
    public static T? Read<T>(ReadOnlyMemory<byte> body, Parse<T> parse, out IntakeProblem? problem)
        where T : class =>
        Read(body, schema: null, parse, out problem);

    /// <summary>
    /// As <see cref="Read{T}(ReadOnlyMemory{byte}, Parse{T}, out IntakeProblem?)"/>, with a schema pass first: the body
    /// is checked against <paramref name="schema"/> (types, required fields, enums, lengths), then the intake's own
    /// checks run all the same, and a refusal names the fields both found, with the schema's positioned findings.
    /// </summary>
    public static T? Read<T>(ReadOnlyMemory<byte> body, JsonBodySchema? schema, Parse<T> parse, out IntakeProblem? problem)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        // Invalid text, duplicate keys and unrepresentable numbers are the sender's fault: a 400 naming the field, never a 5xx.
        if (JsonInputGuard.Check(body.Span) is { } fault)
        {
            var errors = new FieldErrors();
            errors.Add(fault.PathIn(arrayBody: false), fault.Message);
            problem = IntakeProblem.Invalid(errors, "The body is not acceptable JSON.");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            problem = IntakeProblem.Malformed("Malformed JSON", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = IntakeProblem.Malformed("Malformed request", "The body must be a JSON object.");
                return null;
            }
            var total = 0;
            var findings = schema?.Validate(document.RootElement, out total) ?? [];
            var parsed = parse(document.RootElement, out var fieldErrors);
            if (parsed is not null && findings.Count == 0)
            {
                problem = null;
                return parsed;
            }
            fieldErrors.AddSchemaFindings(findings);
            problem = IntakeProblem.Invalid(fieldErrors) with { SchemaErrors = findings, SchemaErrorCount = total };
            return null;
        }
    }
}
