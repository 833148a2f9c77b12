using System.Text.Json;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>One field at fault in one event.</summary>
public readonly record struct EventFieldError(string Field, string Message);

/// <summary>Everything wrong with one event of a request: its position, its id when it had one, and each bad field.</summary>
public sealed record EventValidationFailure(int Index, string? EventId, IReadOnlyList<EventFieldError> Errors);

/// <summary>Accepted but worth telling the sender (e.g. a size-type code in no known code list).</summary>
public sealed record EventWarning(int Index, string EventId, string Field, string Message);

/// <summary>The outcome of reading a request body of one event or an array of events.</summary>
public sealed class ContainerEventBatch
{
    internal ContainerEventBatch(string? malformed, IReadOnlyList<ContainerStatusEvent> events, IReadOnlyList<EventValidationFailure> failures, IReadOnlyList<EventWarning> warnings)
    {
        Malformed = malformed;
        Events = events;
        Failures = failures;
        Warnings = warnings;
    }

    /// <summary>Why the body could not be read as events at all (not JSON, not an object or array, empty); else null.</summary>
    public string? Malformed { get; }

    public IReadOnlyList<ContainerStatusEvent> Events { get; }

    public IReadOnlyList<EventValidationFailure> Failures { get; }

    public IReadOnlyList<EventWarning> Warnings { get; }

    public bool IsValid => Malformed is null && Failures.Count == 0;
}

/// <summary>
/// Reads and validates container status events from UTF-8 JSON (the contract's shape) in one pass with
/// <see cref="Utf8JsonReader"/>: every field of every event is checked, so one response names every fault.
/// Unknown properties are skipped (the contract allows additions).
/// </summary>
public static class ContainerStatusEventReader
{
    public const int MaxEventsPerRequest = 1000;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>Reads a request body: one event object or an array of them.</summary>
    /// <param name="utf8">The body.</param>
    /// <param name="notAfter">
    /// Latest acceptable <c>occurredAt</c> (now plus the allowed clock skew): an event dated later would make every real
    /// event of the container until then look out of order. Null: no limit (replays, tests).
    /// </param>
    public static ContainerEventBatch ReadBatch(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter = null)
    {
        var events = new List<ContainerStatusEvent>();
        var failures = new List<EventValidationFailure>();
        var warnings = new List<EventWarning>();
        // Invalid text, a key given twice or a number beyond a double: the sender's fault, named, never a 5xx.
        if (Gate.JsonInputGuard.Check(utf8, ReaderOptions.MaxDepth) is { } fault)
        {
            return new ContainerEventBatch(null, events, [new EventValidationFailure(fault.Index, null, [new EventFieldError(fault.Field, fault.Message)])], warnings);
        }
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            if (!reader.Read())
            {
                return Malformed("The body is empty: send one event object or an array of events.");
            }
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadOne(ref reader, 0, events, failures, warnings, notAfter);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (index == MaxEventsPerRequest)
                    {
                        return Malformed($"At most {MaxEventsPerRequest} events per request.");
                    }
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        failures.Add(new EventValidationFailure(index, null, [new EventFieldError("", "an event must be a JSON object")]));
                        reader.Skip();
                    }
                    else
                    {
                        ReadOne(ref reader, index, events, failures, warnings, notAfter);
                    }
                    index++;
                }
                if (index == 0)
                {
                    return Malformed("The array holds no events.");
                }
            }
            else
            {
                return Malformed("The body must be one event object or an array of events.");
            }
            if (reader.Read())
            {
                return Malformed("Unexpected content after the JSON value.");
            }
        }
        catch (JsonException ex)
        {
            return Malformed($"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }
        return new ContainerEventBatch(null, events, failures, warnings);
    }

    /// <summary>
    /// Reads a queue message body (exactly one event object). <paramref name="malformed"/> is set when the bytes are not
    /// an event object at all; <paramref name="failure"/> when it is one but fails validation.
    /// </summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> utf8, out ContainerStatusEvent? statusEvent, out string? malformed, out EventValidationFailure? failure)
    {
        statusEvent = null;
        malformed = null;
        failure = null;
        if (Gate.JsonInputGuard.Check(utf8, ReaderOptions.MaxDepth) is { } fault)
        {
            malformed = $"The message body is not acceptable JSON at {fault.PathIn(arrayBody: false)}: {fault.Message}";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                malformed = "The message body is not a JSON object.";
                return false;
            }
            statusEvent = ReadOne(ref reader, 0, out failure, warnings: null);
            if (reader.Read())
            {
                statusEvent = null;
                failure = null;
                malformed = "Unexpected content after the JSON object.";
                return false;
            }
        }
        catch (JsonException ex)
        {
            statusEvent = null;
            failure = null;
            malformed = $"The message body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).";
            return false;
        }
        return statusEvent is not null;
    }

    private static ContainerEventBatch Malformed(string reason) => new(reason, [], [], []);

    private static void ReadOne(ref Utf8JsonReader reader, int index, List<ContainerStatusEvent> events, List<EventValidationFailure> failures, List<EventWarning>? warnings, DateTimeOffset? notAfter)
    {
        var statusEvent = ReadOne(ref reader, index, out var failure, warnings, notAfter);
        if (statusEvent is not null)
        {
            events.Add(statusEvent);
        }
        else
        {
            failures.Add(failure!);
        }
    }

    private static ContainerStatusEvent? ReadOne(ref Utf8JsonReader reader, int index, out EventValidationFailure? failure, List<EventWarning>? warnings, DateTimeOffset? notAfter = null)
    {
        failure = null;
        List<EventFieldError>? errors = null;
        string? eventId = null;
        ContainerNumber container = default;
        var type = ContainerEventType.None;
        DateTimeOffset? occurredAt = null;
        ImoNumber imo = default;
        string? voyage = null, location = null;
        List<string>? seals = null;
        decimal? mass = null;
        SizeTypeCode sizeType = default;
        var sizeTypeUnknown = false;
        Span<char> scratch = stackalloc char[16];
        bool sawContainer = false, sawType = false;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // Property name, then value.
            var field = Classify(ref reader);
            if (field == EventField.EventId)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "eventId", "must be a string");
                    continue;
                }
                var id = reader.GetString()!;
                if (id.Length == 0 || id.Length > ContainerStatusEvent.MaxEventIdLength)
                {
                    Fail(ref errors, "eventId", $"must have 1 to {ContainerStatusEvent.MaxEventIdLength} characters");
                }
                else if (HasControl(id))
                {
                    Fail(ref errors, "eventId", "must not contain control characters");
                }
                else
                {
                    eventId = id;
                }
            }
            else if (field == EventField.ContainerNumber)
            {
                reader.Read();
                sawContainer = true;
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "containerNumber", "must be a string");
                    continue;
                }
                var error = reader.ValueIsEscaped
                    ? ContainerNumber.TryParse(reader.GetString().AsSpan(), out container)
                    : ContainerNumber.TryParse(reader.ValueSpan, out container);
                if (error != ContainerNumberError.None)
                {
                    Fail(ref errors, "containerNumber", ContainerNumber.Describe(error));
                }
            }
            else if (field == EventField.Type)
            {
                reader.Read();
                sawType = true;
                var ok = reader.TokenType == JsonTokenType.String && (reader.ValueIsEscaped
                    ? ContainerEventTypes.TryParse(reader.GetString().AsSpan(), out type)
                    : ContainerEventTypes.TryParse(reader.ValueSpan, out type));
                if (!ok)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "type", "must be one of " + string.Join(", ", ContainerEventTypes.WireNames));
                }
            }
            else if (field == EventField.OccurredAt)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "occurredAt", "must be an ISO 8601 date-time string with offset");
                    continue;
                }
                if (!HasOffset(reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan))
                {
                    Fail(ref errors, "occurredAt", "must carry a UTC offset (Z or +hh:mm): a local time is ambiguous");
                }
                else if (reader.TryGetDateTimeOffset(out var at))
                {
                    if (at > notAfter)
                    {
                        Fail(ref errors, "occurredAt", $"lies in the future (after {notAfter.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, PortCustoms' clock plus the allowed skew)");
                    }
                    else
                    {
                        occurredAt = at;
                    }
                }
                else
                {
                    Fail(ref errors, "occurredAt", "must be an ISO 8601 date-time with offset, e.g. 2026-11-26T03:02:00Z");
                }
            }
            else if (field == EventField.VesselImo)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "vesselImo", "must be a string of 7 digits");
                    continue;
                }
                var error = ImoNumber.TryParse(ShortText(reader.ValueIsEscaped || reader.HasValueSequence, reader.ValueSpan, scratch) ? scratch[..reader.ValueSpan.Length] : reader.GetString().AsSpan(), out imo);
                if (error != ImoNumberError.None)
                {
                    Fail(ref errors, "vesselImo", ImoNumber.Describe(error));
                }
            }
            else if (field == EventField.Voyage)
            {
                voyage = ReadOptionalText(ref reader, "voyage", 17, ref errors);
            }
            else if (field == EventField.Location)
            {
                location = ReadOptionalText(ref reader, "location", 5, ref errors);
                if (location is not null && !IsUnLocode(location))
                {
                    Fail(ref errors, "location", "must be a UN/LOCODE: 2 letters (country) and 3 letters or digits 2-9, e.g. NLRTM");
                    location = null;
                }
            }
            else if (field == EventField.SealNumbers)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "sealNumbers", "must be an array of strings");
                    continue;
                }
                seals = [];
                var i = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        SkipValue(ref reader);
                        Fail(ref errors, $"sealNumbers[{i}]", "must be a string");
                    }
                    else
                    {
                        var seal = reader.GetString()!;
                        if (seal.Length is 0 or > 35)
                        {
                            Fail(ref errors, $"sealNumbers[{i}]", "must have 1 to 35 characters");
                        }
                        else if (HasControl(seal))
                        {
                            Fail(ref errors, $"sealNumbers[{i}]", "must not contain control characters");
                        }
                        seals.Add(seal);
                    }
                    i++;
                }
            }
            else if (field == EventField.GrossMassKg)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var kg))
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "grossMassKg", "must be a number of kilograms");
                    continue;
                }
                if (kg is < 0 or > 100_000)
                {
                    Fail(ref errors, "grossMassKg", "must be between 0 and 100000 kg");
                }
                else
                {
                    mass = kg;
                }
            }
            else if (field == EventField.SizeType)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, "sizeType", "must be a string");
                    continue;
                }
                var error = SizeTypeCode.TryParse(ShortText(reader.ValueIsEscaped || reader.HasValueSequence, reader.ValueSpan, scratch) ? scratch[..reader.ValueSpan.Length] : reader.GetString().AsSpan(), out sizeType);
                if (error != SizeTypeCodeError.None)
                {
                    Fail(ref errors, "sizeType", SizeTypeCode.Describe(error));
                }
                else
                {
                    sizeTypeUnknown = !SizeTypeCodeList.Lookup(sizeType).IsKnown;
                }
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }

        if (eventId is null && !(errors?.Exists(e => e.Field == "eventId") ?? false))
        {
            Fail(ref errors, "eventId", "is required");
        }
        if (!sawContainer)
        {
            Fail(ref errors, "containerNumber", "is required");
        }
        if (!sawType)
        {
            Fail(ref errors, "type", "is required");
        }
        if (occurredAt is null && !(errors?.Exists(e => e.Field == "occurredAt") ?? false))
        {
            Fail(ref errors, "occurredAt", "is required");
        }

        if (errors is not null)
        {
            failure = new EventValidationFailure(index, eventId, errors);
            return null;
        }
        if (sizeTypeUnknown && warnings is not null)
        {
            warnings.Add(new EventWarning(index, eventId!, "sizeType", $"'{sizeType}' is in no ISO 6346 code list known to this app; accepted and passed on as sent"));
        }
        return new ContainerStatusEvent(eventId!, container, type, occurredAt!.Value)
        {
            VesselImo = imo,
            Voyage = voyage,
            Location = location,
            SealNumbers = seals ?? (IReadOnlyList<string>)[],
            GrossMassKg = mass,
            SizeType = sizeType,
        };
    }

    private enum EventField : byte
    {
        Unknown = 0,
        EventId,
        ContainerNumber,
        Type,
        OccurredAt,
        VesselImo,
        Voyage,
        Location,
        SealNumbers,
        GrossMassKg,
        SizeType,
    }

    // One length switch and at most two comparisons per property, instead of a chain of ten.
    private static EventField Classify(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        return name.Length switch
        {
            4 when name.SequenceEqual("type"u8) => EventField.Type,
            6 when name.SequenceEqual("voyage"u8) => EventField.Voyage,
            7 when name.SequenceEqual("eventId"u8) => EventField.EventId,
            8 when name.SequenceEqual("location"u8) => EventField.Location,
            8 when name.SequenceEqual("sizeType"u8) => EventField.SizeType,
            9 when name.SequenceEqual("vesselImo"u8) => EventField.VesselImo,
            10 when name.SequenceEqual("occurredAt"u8) => EventField.OccurredAt,
            11 when name.SequenceEqual("sealNumbers"u8) => EventField.SealNumbers,
            11 when name.SequenceEqual("grossMassKg"u8) => EventField.GrossMassKg,
            15 when name.SequenceEqual("containerNumber"u8) => EventField.ContainerNumber,
            _ => EventField.Unknown,
        };
    }

    // C0, DEL and C1 (ESC in a voyage would reach customs' EDIFACT and the operators' screens).
    private static bool HasControl(string text) => text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.AsSpan().ContainsAnyInRange('\u007f', '\u009f');

    private static void Fail(ref List<EventFieldError>? errors, string field, string message) => (errors ??= []).Add(new EventFieldError(field, message));

    private static string? ReadOptionalText(ref Utf8JsonReader reader, string field, int maxLength, ref List<EventFieldError>? errors)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            SkipValue(ref reader);
            Fail(ref errors, field, "must be a string");
            return null;
        }
        var text = reader.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            Fail(ref errors, field, $"must have 1 to {maxLength} characters");
            return null;
        }
        if (HasControl(text))
        {
            Fail(ref errors, field, "must not contain control characters");
            return null;
        }
        return text;
    }

    /// <summary>Copies a short unescaped ASCII value into <paramref name="scratch"/>; false when the caller must take a string instead.</summary>
    private static bool ShortText(bool escaped, ReadOnlySpan<byte> raw, Span<char> scratch)
    {
        if (escaped || raw.Length > scratch.Length)
        {
            return false;
        }
        for (var i = 0; i < raw.Length; i++)
        {
            // Non-ASCII can never be valid here; map it to a character every rule rejects.
            scratch[i] = raw[i] < 0x80 ? (char)raw[i] : '\0';
        }
        return true;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    private static bool IsUnLocode(string text)
    {
        if (text.Length != 5 || !char.IsAsciiLetterUpper(text[0]) || !char.IsAsciiLetterUpper(text[1]))
        {
            return false;
        }
        for (var i = 2; i < 5; i++)
        {
            if (!char.IsAsciiLetterUpper(text[i]) && text[i] is not (>= '2' and <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    // A date-time without an offset parses as local time in .NET: refuse it rather than guess the TOS's zone.
    private static bool HasOffset(ReadOnlySpan<byte> value)
    {
        if (value.Length < 11 || value.IndexOf((byte)'T') < 0)
        {
            return false;
        }
        if (value[^1] is (byte)'Z' or (byte)'z')
        {
            return true;
        }
        var sign = value.Length - 6;
        return value[sign] is (byte)'+' or (byte)'-' && value[sign + 3] == (byte)':';
    }
}
