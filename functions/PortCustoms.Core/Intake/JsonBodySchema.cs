using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace PortCustoms.Core.Intake;

/// <summary>
/// One JSON Schema finding: where in the instance (<see cref="Location"/>, a JSON Pointer, RFC 6901), which keyword refused it, a stable
/// code (<c>JSON-SCHEMA-{KEYWORD}</c>) and the validator's message.
/// </summary>
public sealed record JsonSchemaFinding(string Location, string Keyword, string Message)
{
    public const string CodePrefix = "JSON-SCHEMA-";

    public string Code => CodePrefix + Keyword.ToUpperInvariant();

    /// <summary>The field as the intakes' <c>errors</c> maps name it: <c>sealNumbers[0]</c>, <c>lane.id</c>; <c>$</c> for the body itself.</summary>
    public string Field => FieldOf(Location);

    public static string FieldOf(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Length == 0)
        {
            return "$";
        }
        var field = new System.Text.StringBuilder();
        foreach (var token in location[1..].Split('/'))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (name.Length > 0 && name.All(char.IsAsciiDigit))
            {
                field.Append('[').Append(name).Append(']');
            }
            else
            {
                field.Append(field.Length == 0 ? string.Empty : ".").Append(name);
            }
        }
        return field.ToString();
    }
}

/// <summary>
/// The JSON Schemas (draft 2020-12) of the HTTP bodies and the terminal's JSON files: <c>schemas/json/*.schema.json</c>
/// at the repository root, embedded in this assembly (nothing is read from disk or the network) and the same files the
/// OpenAPI document carries. A schema checks shape (types, required fields, enums, lengths, patterns) before an intake
/// reads a field; the intakes' own checks (check digits, clock skew, storable ids) still run after it. Every schema is
/// written no stricter than its intake, so a body accepted before the schemas is accepted still.
/// </summary>
public sealed partial class JsonBodySchema
{
    /// <summary>Where every schema's <c>$id</c> lives: versioned with the API (v1).</summary>
    public const string IdBase = "https://schemas.portcustoms.example/json/v1/";

    /// <summary>Findings kept per validation: a problem body stays bounded whatever the input (every finding is still counted).</summary>
    public const int MaxFindings = 100;

    private const string ResourcePrefix = "PortCustoms.Core.JsonSchemas.";

    private static readonly Lazy<BuildOptions> s_build = new(LoadAll);
    private static readonly ConcurrentDictionary<string, JsonBodySchema> s_byFile = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions s_evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;

    private JsonBodySchema(string fileName, JsonSchema schema)
    {
        FileName = fileName;
        _schema = schema;
    }

    public static JsonBodySchema GateQuery => Get("gate-query.schema.json");

    public static JsonBodySchema CustomsNotification => Get("customs-notification.schema.json");

    public static JsonBodySchema ContainerStatusEvent => Get("container-status-event.schema.json");

    public static JsonBodySchema ReconciliationStart => Get("reconciliation-start.schema.json");

    public static JsonBodySchema DiscrepancyResolution => Get("discrepancy-resolution.schema.json");

    public static JsonBodySchema DischargeListContainer => Get("discharge-list-container.schema.json");

    /// <summary>The file name under schemas/json.</summary>
    public string FileName { get; }

    public Uri Id => new(IdBase + FileName);

    /// <summary>Every schema file this assembly carries (file names).</summary>
    public static IReadOnlyList<string> FileNames { get; } = typeof(JsonBodySchema).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The schema in <c>schemas/json/{fileName}</c>.</summary>
    public static JsonBodySchema Get(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return s_byFile.GetOrAdd(fileName, static name =>
        {
            var schema = s_build.Value.SchemaRegistry.Get(new Uri(IdBase + name)) as JsonSchema
                ?? throw new ArgumentException($"No JSON Schema {name} is embedded.", nameof(fileName));
            return new JsonBodySchema(name, schema);
        });
    }

    /// <summary>
    /// Checks <paramref name="instance"/>; every finding's pointer starts with <paramref name="pointerPrefix"/> (e.g.
    /// <c>/3</c> for the fourth event of an array). At most <see cref="MaxFindings"/> are returned; <paramref name="total"/> counts all.
    /// </summary>
    public IReadOnlyList<JsonSchemaFinding> Validate(JsonElement instance, out int total, string pointerPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(pointerPrefix);
        var findings = new List<JsonSchemaFinding>();
        total = 0;
        var results = _schema.Evaluate(instance, s_evaluation);
        if (results.IsValid)
        {
            return findings;
        }
        foreach (var node in results.Details ?? [])
        {
            if (node.Errors is null)
            {
                continue;
            }
            var pointer = pointerPrefix + node.InstanceLocation.ToString();
            foreach (var (keyword, message) in node.Errors)
            {
                foreach (var finding in Explain(pointer, keyword, message))
                {
                    total++;
                    if (findings.Count < MaxFindings && !findings.Contains(finding))
                    {
                        findings.Add(finding);
                    }
                }
            }
        }
        return findings;
    }

    /// <summary>As <see cref="Validate(JsonElement, out int, string)"/> without the count.</summary>
    public IReadOnlyList<JsonSchemaFinding> Validate(JsonElement instance) => Validate(instance, out _);

    // A missing property is reported where it is missing (/containerNumber), so the finding names the same field the
    // intake names; a "oneOf"/"anyOf" summary adds nothing to the findings under it.
    private static IEnumerable<JsonSchemaFinding> Explain(string pointer, string keyword, string message)
    {
        if (keyword == "required")
        {
            var missing = QuotedNames().Matches(message).Select(m => m.Groups[1].Value).ToArray();
            if (missing.Length > 0)
            {
                foreach (var name in missing)
                {
                    yield return new JsonSchemaFinding(pointer + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), keyword, $"{name} is required.");
                }
                yield break;
            }
        }
        yield return new JsonSchemaFinding(pointer, keyword, message);
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex QuotedNames();

    private static BuildOptions LoadAll()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var texts = FileNames.ToDictionary(n => n, Read, StringComparer.Ordinal);
        // A schema is built once every schema it refers to is registered: those without references first, then the rest.
        var pending = new Queue<string>(texts.Keys.OrderBy(n => texts[n].Contains("\"$ref\"", StringComparison.Ordinal)).ThenBy(n => n, StringComparer.Ordinal));
        var attempts = 0;
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            try
            {
                JsonSchema.FromText(texts[name], options, new Uri(IdBase + name));
                attempts = 0;
            }
            catch (Exception) when (++attempts <= pending.Count)
            {
                pending.Enqueue(name);
            }
        }
        return options;
    }

    private static string Read(string fileName)
    {
        using var stream = typeof(JsonBodySchema).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
