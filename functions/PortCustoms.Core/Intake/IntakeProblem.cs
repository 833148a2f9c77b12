namespace PortCustoms.Core.Intake;

/// <summary>
/// Why an intake refused what it was given, in words a sender can act on: a title, a detail and, where fields are at
/// fault, each field with its messages. Every intake (HTTP, batch, CLI) reports a refused request so; the HTTP layer
/// answers it as an RFC 9457 problem with status 400.
/// </summary>
public sealed record IntakeProblem(string Title, string Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public const string InvalidTitle = "Invalid request";

    /// <summary>What the body's JSON Schema refused, positioned (at most <see cref="JsonBodySchema.MaxFindings"/>); empty when it passed.</summary>
    public IReadOnlyList<JsonSchemaFinding> SchemaErrors { get; init; } = [];

    /// <summary>Every JSON Schema finding, counted.</summary>
    public int SchemaErrorCount { get; init; }

    /// <summary>Fields at fault.</summary>
    public static IntakeProblem Invalid(FieldErrors errors, string detail = "One or more fields are invalid.")
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(InvalidTitle, detail, errors.ToDictionary());
    }

    /// <summary>A body that is no request at all: no field to name.</summary>
    public static IntakeProblem Malformed(string title, string detail) =>
        new(title, detail, new Dictionary<string, string[]>(StringComparer.Ordinal));
}
