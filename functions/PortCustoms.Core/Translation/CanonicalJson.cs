using System.Text.Json;
using System.Text.Json.Serialization;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Translation;

/// <summary>
/// The canonical JSON of <c>portcustoms translate --to json</c> (contracts/cli.md):
/// <c>{ "messages": [ { "type", "reference", "directory", ... } ] }</c>, one entry per message in file order, where
/// CODECO/COARRI entries carry <c>events</c> (each exactly the <c>POST /api/v1/events</c> object), CUSRES entries
/// <c>notifications</c> (each exactly the <c>POST /api/v1/customs/notifications</c> object; a CUSRES naming several
/// containers gives one per container) and <c>customsErrors</c>, and CUSCAR/IFTMCS/IFTMAN entries a <c>manifest</c>.
/// </summary>
public static class CanonicalJson
{
    /// <summary>camelCase, absent for null and default (e.g. a manifest vessel named by call sign has no <c>imo</c>).</summary>
    public static JsonSerializerOptions ManifestOptions { get; } = CreateManifestOptions();

    private static JsonSerializerOptions CreateManifestOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new ContainerNumberConverter());
        options.Converters.Add(new ImoNumberConverter());
        options.Converters.Add(new SizeTypeCodeConverter());
        options.Converters.Add(new FullEmptyConverter());
        options.MakeReadOnly();
        return options;
    }

    public static void Write(Utf8JsonWriter writer, IEnumerable<TranslatedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(messages);
        writer.WriteStartObject();
        writer.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            WriteMessage(writer, message);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteMessage(Utf8JsonWriter writer, TranslatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartObject();
        writer.WriteString("type"u8, message.Type);
        writer.WriteString("reference"u8, message.Reference);
        writer.WriteString("directory"u8, message.Directory);
        if (message.Events is { } events)
        {
            writer.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                ContainerStatusEventWriter.Write(writer, e);
            }
            writer.WriteEndArray();
        }
        if (message.Notifications is { } notifications)
        {
            writer.WriteStartArray("notifications"u8);
            foreach (var n in notifications)
            {
                WriteNotification(writer, n);
            }
            writer.WriteEndArray();
        }
        if (message.CustomsErrors is { Count: > 0 } errors)
        {
            writer.WriteStartArray("customsErrors"u8);
            foreach (var error in errors)
            {
                writer.WriteStartObject();
                writer.WriteString("code"u8, error.Code);
                if (error.Section is not null)
                {
                    writer.WriteString("section"u8, error.Section);
                }
                if (error.Item is not null)
                {
                    writer.WriteString("item"u8, error.Item);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (message.Manifest is { } manifest)
        {
            writer.WritePropertyName("manifest"u8);
            JsonSerializer.Serialize(writer, manifest, ManifestOptions);
        }
        if (message.StatusQuery is { } query)
        {
            writer.WritePropertyName("statusQuery"u8);
            WriteStatusQuery(writer, query);
        }
        if (message.StatusAnswer is { } answer)
        {
            writer.WritePropertyName("statusAnswer"u8);
            WriteStatusAnswer(writer, answer);
        }
        writer.WriteEndObject();
    }

    /// <summary>The live query's JSON form, exactly what <see cref="JsonCustomsMessageFormat"/> sends.</summary>
    public static void WriteStatusQuery(Utf8JsonWriter writer, CustomsStatusQueryMessage query)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(query);
        writer.WriteStartObject();
        writer.WriteString("queryId"u8, query.QueryId);
        writer.WriteString("containerNumber"u8, query.ContainerNumber);
        writer.WriteEndObject();
    }

    /// <summary>The live answer's JSON form, as <see cref="JsonCustomsMessageFormat"/> reads it (absent optional fields left out).</summary>
    public static void WriteStatusAnswer(Utf8JsonWriter writer, CustomsStatusAnswerMessage answer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(answer);
        writer.WriteStartObject();
        writer.WriteString("containerNumber"u8, answer.ContainerNumber);
        writer.WriteString("statusCode"u8, answer.StatusCode);
        if (answer.CustomsReference is not null)
        {
            writer.WriteString("customsReference"u8, answer.CustomsReference);
        }
        if (answer.IssuedAt is { } issuedAt)
        {
            writer.WriteString("issuedAt"u8, issuedAt);
        }
        writer.WriteEndObject();
    }

    /// <summary>The contract's notification object; customs intelligence fields never appear.</summary>
    public static void WriteNotification(Utf8JsonWriter writer, CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(notification);
        writer.WriteStartObject();
        writer.WriteString("notificationId"u8, notification.NotificationId);
        writer.WriteString("containerNumber"u8, notification.ContainerNumber.ToString());
        writer.WriteString("status"u8, notification.Status.ToName());
        if (notification.CustomsReference is not null)
        {
            writer.WriteString("customsReference"u8, notification.CustomsReference);
        }
        writer.WriteString("issuedAt"u8, notification.IssuedAt);
        if (notification.Reason is not null)
        {
            writer.WriteString("reason"u8, notification.Reason);
        }
        writer.WriteEndObject();
    }

    public static string ToJson(CargoManifest manifest) => JsonSerializer.Serialize(manifest, ManifestOptions);

    /// <summary>
    /// Reads canonical JSON back: the <c>{ "messages": [...] }</c> document, or terminal JSON (one event or an array of
    /// events, files.md). Every fault is collected with its JSON path; nothing throws for content.
    /// </summary>
    public static CanonicalDocument Read(ReadOnlySpan<byte> utf8) => Read(utf8, null);

    /// <summary>As <see cref="Read(ReadOnlySpan{byte})"/>, events' size-types checked against <paramref name="codeLists"/> (the shipped lists when null).</summary>
    public static CanonicalDocument Read(ReadOnlySpan<byte> utf8, CodeLists.CodeListService? codeLists)
    {
        var document = new CanonicalDocument { CodeLists = codeLists };
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            document.Errors.Add(new CanonicalError("$", $"Not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).", (ex.LineNumber ?? 0) + 1));
            return document;
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var entry in messages.EnumerateArray())
                {
                    ReadEntry(entry, $"$.messages[{index}]", document);
                    index++;
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("queryId", out _))
            {
                // The live query's own JSON form, as the customs platform speaks it.
                ReadStatusQuery(root, "$", null, document);
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out _) && !root.TryGetProperty("eventId", out _))
            {
                ReadStatusAnswer(root, "$", null, document);
            }
            else if (root.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                ReadEvents(root, "$", null, document);
            }
            else
            {
                document.Errors.Add(new CanonicalError("$", "Expected { \"messages\": [...] }, an event object or an array of events.", 1));
            }
        }
        return document;
    }

    private static void ReadEntry(JsonElement entry, string path, CanonicalDocument document)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            document.Errors.Add(new CanonicalError(path, "Each message needs a \"type\".", 0));
            return;
        }
        var type = typeElement.GetString()!;
        var reference = entry.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        switch (type)
        {
            case "CODECO":
            case "COARRI":
                if (entry.TryGetProperty("events", out var events))
                {
                    ReadEvents(events, path + ".events", reference, document);
                }
                else
                {
                    document.Errors.Add(new CanonicalError(path, $"A {type} message needs \"events\".", 0));
                }
                break;
            case "CUSCAR" when entry.TryGetProperty("statusQuery", out var statusQuery):
                ReadStatusQuery(statusQuery, path + ".statusQuery", reference, document);
                break;
            case "CUSRES" when entry.TryGetProperty("statusAnswer", out var statusAnswer):
                ReadStatusAnswer(statusAnswer, path + ".statusAnswer", reference, document);
                break;
            case "CUSRES":
                if (entry.TryGetProperty("notifications", out var notifications) && notifications.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var n in notifications.EnumerateArray())
                    {
                        ReadNotification(n, $"{path}.notifications[{i}]", reference, document);
                        i++;
                    }
                }
                else
                {
                    document.Errors.Add(new CanonicalError(path, "A CUSRES message needs \"notifications\".", 0));
                }
                if (entry.TryGetProperty("customsErrors", out var customsErrors) && customsErrors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in customsErrors.EnumerateArray())
                    {
                        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                        {
                            document.CustomsErrors.Add(new CanonicalEntry<CustomsResponseError>(reference, new CustomsResponseError(code.GetString()!, StringOrNull(e, "section"), StringOrNull(e, "item"))));
                        }
                    }
                }
                break;
            case "CUSCAR":
            // Read as the manifests they carry (PortCustoms writes every manifest as CUSCAR, or as a WCO cargo report).
            case "IFTMCS":
            case "IFTMAN":
                if (entry.TryGetProperty("manifest", out var manifest))
                {
                    try
                    {
                        var value = manifest.Deserialize<CargoManifest>(ManifestOptions);
                        if (value is null)
                        {
                            document.Errors.Add(new CanonicalError(path + ".manifest", "The manifest is null.", 0));
                        }
                        else
                        {
                            document.Manifests.Add(new CanonicalEntry<CargoManifest>(reference, value));
                        }
                    }
                    catch (JsonException ex)
                    {
                        document.Errors.Add(new CanonicalError(path + ".manifest" + (ex.Path is { Length: > 1 } p ? p[1..] : string.Empty), ex.Message, 0));
                    }
                }
                else
                {
                    document.Errors.Add(new CanonicalError(path, $"A {type} message needs \"manifest\".", 0));
                }
                break;
            default:
                document.Errors.Add(new CanonicalError(path + ".type", $"'{type}' is not a canonical message type (CODECO, COARRI, CUSRES, CUSCAR, IFTMCS, IFTMAN).", 0));
                break;
        }
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void ReadEvents(JsonElement events, string path, string? reference, CanonicalDocument document)
    {
        // The events branch's reader checks every field exactly as POST /api/v1/events does.
        var batch = ContainerStatusEventReader.ReadBatch(JsonSerializer.SerializeToUtf8Bytes(events), null, document.CodeLists);
        if (batch.Malformed is not null)
        {
            document.Errors.Add(new CanonicalError(path, batch.Malformed, 0));
            return;
        }
        foreach (var failure in batch.Failures)
        {
            foreach (var error in failure.Errors)
            {
                var at = events.ValueKind == JsonValueKind.Array ? $"{path}[{failure.Index}]" : path;
                document.Errors.Add(new CanonicalError(error.Field.Length == 0 ? at : $"{at}.{error.Field}", error.Message, 0));
            }
        }
        foreach (var e in batch.Events)
        {
            document.Events.Add(new CanonicalEntry<ContainerStatusEvent>(reference, e));
        }
    }

    private static void ReadNotification(JsonElement element, string path, string? reference, CanonicalDocument document)
    {
        NotificationDto? dto;
        try
        {
            dto = element.Deserialize<NotificationDto>(NotificationOptions);
        }
        catch (JsonException ex)
        {
            document.Errors.Add(new CanonicalError(path, ex.Message, 0));
            return;
        }
        if (dto is null)
        {
            document.Errors.Add(new CanonicalError(path, "The notification is null.", 0));
            return;
        }
        var ok = true;
        var containerError = ContainerNumber.TryParse(dto.ContainerNumber.AsSpan(), out var container);
        if (containerError != ContainerNumberError.None)
        {
            document.Errors.Add(new CanonicalError(path + ".containerNumber", ContainerNumber.Describe(containerError), 0));
            ok = false;
        }
        if (!CustomsStatusNames.TryParse(dto.Status, out var status))
        {
            document.Errors.Add(new CanonicalError(path + ".status", $"status must be one of {string.Join(", ", CustomsStatusNames.All)}.", 0));
            ok = false;
        }
        if (ok)
        {
            document.Notifications.Add(new CanonicalEntry<CustomsNotification>(reference, new CustomsNotification
            {
                NotificationId = dto.NotificationId,
                ContainerNumber = container,
                Status = status,
                CustomsReference = dto.CustomsReference,
                IssuedAt = dto.IssuedAt,
                ReceivedAt = dto.IssuedAt,
                Reason = dto.Reason,
            }));
        }
    }

    private static void ReadStatusQuery(JsonElement element, string path, string? reference, CanonicalDocument document)
    {
        if (Deserialize<CustomsStatusQueryMessage>(element, path, document) is not { } query)
        {
            return;
        }
        var ok = Required(query.QueryId, path + ".queryId", "queryId", document);
        if (CheckedContainer(query.ContainerNumber, path + ".containerNumber", document) is { } container && ok)
        {
            document.StatusQueries.Add(new CanonicalEntry<CustomsStatusQueryMessage>(reference, query with { ContainerNumber = container }));
        }
    }

    private static void ReadStatusAnswer(JsonElement element, string path, string? reference, CanonicalDocument document)
    {
        if (Deserialize<CustomsStatusAnswerMessage>(element, path, document) is not { } answer)
        {
            return;
        }
        var ok = Required(answer.StatusCode, path + ".statusCode", "statusCode", document);
        if (CheckedContainer(answer.ContainerNumber, path + ".containerNumber", document) is { } container && ok)
        {
            document.StatusAnswers.Add(new CanonicalEntry<CustomsStatusAnswerMessage>(reference, answer with { ContainerNumber = container }));
        }
    }

    private static T? Deserialize<T>(JsonElement element, string path, CanonicalDocument document)
        where T : class
    {
        try
        {
            var value = element.Deserialize<T>(NotificationOptions);
            if (value is null)
            {
                document.Errors.Add(new CanonicalError(path, "Expected an object, not null.", 0));
            }
            return value;
        }
        catch (JsonException ex)
        {
            document.Errors.Add(new CanonicalError(path + (ex.Path is { Length: > 1 } p ? p[1..] : string.Empty), ex.Message, 0));
            return null;
        }
    }

    private static bool Required(string value, string path, string name, CanonicalDocument document)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        document.Errors.Add(new CanonicalError(path, $"{name} must not be empty.", 0));
        return false;
    }

    private static string? CheckedContainer(string text, string path, CanonicalDocument document)
    {
        var error = ContainerNumber.TryParse(text.AsSpan(), out var container);
        if (error == ContainerNumberError.None)
        {
            return container.ToString();
        }
        document.Errors.Add(new CanonicalError(path, ContainerNumber.Describe(error), 0));
        return null;
    }

    private static readonly JsonSerializerOptions NotificationOptions = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    private sealed record NotificationDto(string NotificationId, string ContainerNumber, string Status, DateTimeOffset IssuedAt, string? CustomsReference = null, string? Reason = null);

    private sealed class ContainerNumberConverter : JsonConverter<ContainerNumber>
    {
        public override ContainerNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? string.Empty;
            var error = ContainerNumber.TryParse(text.AsSpan(), out var value);
            return error == ContainerNumberError.None ? value : throw new JsonException($"'{text}': {ContainerNumber.Describe(error)}.");
        }

        public override void Write(Utf8JsonWriter writer, ContainerNumber value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class ImoNumberConverter : JsonConverter<ImoNumber>
    {
        public override ImoNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? string.Empty;
            var error = ImoNumber.TryParse(text.AsSpan(), out var value);
            return error == ImoNumberError.None ? value : throw new JsonException($"'{text}': {ImoNumber.Describe(error)}.");
        }

        public override void Write(Utf8JsonWriter writer, ImoNumber value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class SizeTypeCodeConverter : JsonConverter<SizeTypeCode>
    {
        public override SizeTypeCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? string.Empty;
            var error = SizeTypeCode.TryParse(text.AsSpan(), out var value);
            return error == SizeTypeCodeError.None ? value : throw new JsonException($"'{text}': {SizeTypeCode.Describe(error)}.");
        }

        public override void Write(Utf8JsonWriter writer, SizeTypeCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class FullEmptyConverter : JsonConverter<FullEmpty>
    {
        public override FullEmpty Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString() switch
        {
            "F" => FullEmpty.Full,
            "E" => FullEmpty.Empty,
            var other => throw new JsonException($"fullEmpty must be F or E, not '{other}'."),
        };

        public override void Write(Utf8JsonWriter writer, FullEmpty value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value == FullEmpty.Full ? "F" : "E");
    }
}

/// <summary>One canonical item with the message reference its entry gave, if any.</summary>
public sealed record CanonicalEntry<T>(string? Reference, T Value);

/// <summary>A fault in canonical JSON: where (JSON path, and the line when known) and what.</summary>
public sealed record CanonicalError(string Path, string Message, long Line);

/// <summary>Canonical JSON read back: the events, notifications and manifests it holds, and what was wrong.</summary>
public sealed class CanonicalDocument
{
    public List<CanonicalEntry<ContainerStatusEvent>> Events { get; } = [];

    public List<CanonicalEntry<CustomsNotification>> Notifications { get; } = [];

    public List<CanonicalEntry<CargoManifest>> Manifests { get; } = [];

    /// <summary>Errors customs reported in CUSRES entries (<c>customsErrors</c>), with the entry's reference.</summary>
    public List<CanonicalEntry<CustomsResponseError>> CustomsErrors { get; } = [];

    /// <summary>The gate's live status queries (a CUSCAR entry with <c>statusQuery</c>, or the query's own JSON form).</summary>
    public List<CanonicalEntry<CustomsStatusQueryMessage>> StatusQueries { get; } = [];

    /// <summary>Customs' answers to it (a CUSRES entry with <c>statusAnswer</c>, or the answer's own JSON form).</summary>
    public List<CanonicalEntry<CustomsStatusAnswerMessage>> StatusAnswers { get; } = [];

    public List<CanonicalError> Errors { get; } = [];

    /// <summary>The lists the events were checked against (null: the shipped ones).</summary>
    internal CodeLists.CodeListService? CodeLists { get; init; }

    /// <summary>What the composers write: events, notifications and manifests (the live query travels on its own).</summary>
    public int Count => Events.Count + Notifications.Count + Manifests.Count;

    public int LiveQueryCount => StatusQueries.Count + StatusAnswers.Count;
}
