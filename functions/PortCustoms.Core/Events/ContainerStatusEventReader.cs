using PortCustoms.Core.CodeLists;
using System.Text.Json;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>
/// Reads and validates container status events from UTF-8 JSON (the contract's shape) in one pass with
/// <see cref="Utf8JsonReader"/>: every field of every event is checked, so one response names every fault.
/// Unknown properties are skipped (the contract allows additions).
/// </summary>
/// <remarks>
/// Split by concern, as the EDIFACT reader is: this file reads a body (one event or an array, its limits and JSON
/// errors); <c>ContainerStatusEventReader.Event.cs</c> reads and checks the fields of one event;
/// <c>ContainerStatusEventReader.Values.cs</c> holds the value checks they share. The results are in <c>ContainerEventBatch.cs</c>.
/// </remarks>
public static partial class ContainerStatusEventReader
{
    public const int MaxEventsPerRequest = 1000;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>Reads a request body: one event object or an array of them.</summary>
    /// <param name="utf8">The body.</param>
    /// <param name="notAfter">
    /// Latest acceptable <c>occurredAt</c> (now plus the allowed clock skew): an event dated later would make every real
    /// event of the container until then look out of order. Null: no limit (replays, tests).
    /// </param>
    public static ContainerEventBatch ReadBatch(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter = null) => ReadBatch(utf8, notAfter, schemaPass: true);

    /// <summary>
    /// As <see cref="ReadBatch(ReadOnlySpan{byte}, DateTimeOffset?)"/>, with the size-type looked up in the deployment's
    /// <paramref name="codeLists"/>: an unmapped code is counted, and a warning (Hold) or a field error (Reject).
    /// </summary>
    public static ContainerEventBatch ReadBatch(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, CodeListService? codeLists) =>
        ReadBatch(utf8, notAfter, schemaPass: true, codeLists);

    /// <summary>As the other overloads, a declared <c>schemaVersion</c> checked against the transition in <paramref name="versions"/> (<see cref="Versions.JsonSchemaVersions"/>).</summary>
    public static ContainerEventBatch ReadBatch(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, CodeListService? codeLists, Versions.MessageVersionPolicy? versions) =>
        ReadBatch(utf8, notAfter, schemaPass: true, codeLists, versions);

    /// <summary>As <see cref="ReadBatch(ReadOnlySpan{byte}, DateTimeOffset?)"/>; without the schema pass only to show the reader's own checks agree with the schema.</summary>
    internal static ContainerEventBatch ReadBatch(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, bool schemaPass, CodeListService? codeLists = null, Versions.MessageVersionPolicy? versions = null)
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
                ReadOne(ref reader, 0, events, failures, warnings, notAfter, codeLists, versions);
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
                        ReadOne(ref reader, index, events, failures, warnings, notAfter, codeLists, versions);
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
        return schemaPass ? WithSchemaPass(utf8, events, failures, warnings) : new ContainerEventBatch(null, events, failures, warnings);
    }

    /// <summary>
    /// Reads a queue message body (exactly one event object). <paramref name="malformed"/> is set when the bytes are not
    /// an event object at all; <paramref name="failure"/> when it is one but fails validation.
    /// </summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> utf8, out ContainerStatusEvent? statusEvent, out string? malformed, out EventValidationFailure? failure) =>
        TryReadSingle(utf8, notAfter: null, out statusEvent, out malformed, out failure);

    /// <summary>As <see cref="TryReadSingle(ReadOnlySpan{byte}, out ContainerStatusEvent?, out string?, out EventValidationFailure?)"/>, refusing an <c>occurredAt</c> after <paramref name="notAfter"/> as the HTTP intake does.</summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, out ContainerStatusEvent? statusEvent, out string? malformed, out EventValidationFailure? failure) =>
        TryReadSingle(utf8, notAfter, codeLists: null, warnings: null, out statusEvent, out malformed, out failure);

    /// <summary>
    /// As <see cref="TryReadSingle(ReadOnlySpan{byte}, DateTimeOffset?, out ContainerStatusEvent?, out string?, out EventValidationFailure?)"/>,
    /// with the size-type looked up in the deployment's <paramref name="codeLists"/> (counted; a warning in
    /// <paramref name="warnings"/> under Hold, a field error under Reject). Without lists, an unknown code only goes unreported.
    /// </summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, CodeListService? codeLists, List<EventWarning>? warnings,
        out ContainerStatusEvent? statusEvent, out string? malformed, out EventValidationFailure? failure) =>
        TryReadSingle(utf8, notAfter, codeLists, warnings, null, out statusEvent, out malformed, out failure);

    /// <summary>As the other overloads, a declared <c>schemaVersion</c> checked against the transition in <paramref name="versions"/> (<see cref="Versions.JsonSchemaVersions"/>).</summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> utf8, DateTimeOffset? notAfter, CodeListService? codeLists, List<EventWarning>? warnings, Versions.MessageVersionPolicy? versions,
        out ContainerStatusEvent? statusEvent, out string? malformed, out EventValidationFailure? failure)
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
            statusEvent = ReadOne(ref reader, 0, out failure, warnings, notAfter, codeLists, versions);
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

    private static void ReadOne(ref Utf8JsonReader reader, int index, List<ContainerStatusEvent> events, List<EventValidationFailure> failures, List<EventWarning>? warnings, DateTimeOffset? notAfter, CodeListService? codeLists, Versions.MessageVersionPolicy? versions)
    {
        var statusEvent = ReadOne(ref reader, index, out var failure, warnings, notAfter, codeLists, versions);
        if (statusEvent is not null)
        {
            events.Add(statusEvent);
        }
        else
        {
            failures.Add(failure!);
        }
    }
}
