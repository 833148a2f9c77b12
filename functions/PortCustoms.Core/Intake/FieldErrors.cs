using System.Globalization;
using System.Text.Json;

namespace PortCustoms.Core.Intake;

/// <summary>
/// The fields at fault in one request, each with its messages: field (camelCase, as in the request) to messages. Read
/// field by field, so every field at fault is named, not only the first (the <c>errors</c> map of a problem).
/// </summary>
public sealed class FieldErrors
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

    /// <summary>Whether <paramref name="field"/> is named already.</summary>
    public bool Names(string field) => _errors.ContainsKey(field);

    /// <summary>
    /// Names the field of each schema finding the intake's own checks did not name (with the finding's code), so the
    /// <c>errors</c> map names every field at fault once the schema pass and the intake's checks have both run.
    /// </summary>
    public void AddSchemaFindings(IEnumerable<JsonSchemaFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var named = _errors.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            if (!named.Contains(finding.Field))
            {
                Add(finding.Field, $"{finding.Code}: {finding.Message}");
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>A required or optional string field; null when absent or at fault (the fault recorded).</summary>
    public string? Text(JsonElement body, string field, bool required, int maxLength)
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
        var text = Text(body, field, required, 64);
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
