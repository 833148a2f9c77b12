namespace PortCustoms.Core.Versions;

/// <summary>
/// The version a terminal JSON body or file declares (issue 15 point 6): an optional <c>schemaVersion</c>, e.g.
/// <c>container-status-event:1</c>. Absent: the current version, accepted as before. Present: it must name a version
/// this build reads, and the configured transition (<c>MessageVersions:Types:{schema}</c>, as for EDIFACT and XML)
/// must accept it now; otherwise the item is refused with a stable code.
/// </summary>
public static class JsonSchemaVersions
{
    /// <summary>The property a JSON body declares its version in.</summary>
    public const string Property = "schemaVersion";

    /// <summary>A status event (<c>POST /api/v1/events</c>, the terminal's JSON events file).</summary>
    public const string ContainerStatusEvent = "container-status-event";

    /// <summary>A gate query (<c>POST /api/v1/gate/queries</c>).</summary>
    public const string GateQuery = "gate-query";

    /// <summary>The terminal's JSON discharge list file (declared once, at its top level).</summary>
    public const string DischargeList = "terminal-discharge-list";

    /// <summary>A version this build cannot read, or a value that names none.</summary>
    public const string UnknownCode = "JSON-VERSION-UNKNOWN";

    /// <summary>A version the configured transition does not accept now (too early for the new one, too late for the old).</summary>
    public const string NotAcceptedCode = "JSON-VERSION-NOT-ACCEPTED";

    /// <summary>The versions of each schema this build reads.</summary>
    private static readonly Dictionary<string, string[]> Readable = new(StringComparer.Ordinal)
    {
        [ContainerStatusEvent] = ["1"],
        [GateQuery] = ["1"],
        [DischargeList] = ["1"],
    };

    /// <summary>The <c>schemaVersion</c> of a JSON object body, checked into <paramref name="errors"/>; absent: nothing to check.</summary>
    public static void Check(System.Text.Json.JsonElement body, string schema, MessageVersionPolicy? policy, Intake.FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (body.ValueKind != System.Text.Json.JsonValueKind.Object || !body.TryGetProperty(Property, out var declared))
        {
            return;
        }
        var refusal = declared.ValueKind == System.Text.Json.JsonValueKind.String
            ? Refusal(schema, declared.GetString()!, policy)
            : $"{UnknownCode}: must be a string such as '{Current(schema)}'";
        if (refusal is not null)
        {
            errors.Add(Property, refusal);
        }
    }

    /// <summary>The current version of <paramref name="schema"/>, as a body would declare it.</summary>
    public static string Current(string schema) => $"{schema}:{Readable[schema][^1]}";

    /// <summary>
    /// Null when <paramref name="declared"/> is accepted for <paramref name="schema"/> now; else <c>CODE: reason</c>
    /// (the field error's message, as the schema pass writes its findings).
    /// </summary>
    public static string? Refusal(string schema, string declared, MessageVersionPolicy? policy) =>
        Refuse(schema, declared, policy) is { } refused ? $"{refused.Code}: {refused.Reason}" : null;

    /// <summary>Null when <paramref name="declared"/> is accepted now; else the stable code and the reason.</summary>
    public static (string Code, string Reason)? Refuse(string schema, string declared, MessageVersionPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(declared);
        var prefix = schema + ":";
        var version = declared.StartsWith(prefix, StringComparison.Ordinal) ? declared[prefix.Length..] : null;
        if (version is null || !Readable[schema].Contains(version, StringComparer.Ordinal))
        {
            return (UnknownCode, $"'{declared}' is not a version of {schema} PortCustoms reads ({string.Join(", ", Readable[schema].Select(v => prefix + v))}); leave {Property} out for the current one");
        }
        return policy?.Refusal(schema, version) is { } reason ? (NotAcceptedCode, reason) : null;
    }
}
