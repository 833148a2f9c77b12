using System.Text.Json;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

// One event: every field read and checked in one pass, each fault named.
public static partial class ContainerStatusEventReader
{
    private static ContainerStatusEvent? ReadOne(ref Utf8JsonReader reader, int index, out EventValidationFailure? failure, List<EventWarning>? warnings, DateTimeOffset? notAfter = null, CodeListService? codeLists = null, Versions.MessageVersionPolicy? versions = null)
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
            else if (field == EventField.SchemaVersion)
            {
                // Absent: the current version, as before; present: one this build reads, accepted by the transition now.
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    SkipValue(ref reader);
                    Fail(ref errors, Versions.JsonSchemaVersions.Property, $"{Versions.JsonSchemaVersions.UnknownCode}: must be a string such as '{Versions.JsonSchemaVersions.Current(Versions.JsonSchemaVersions.ContainerStatusEvent)}'");
                }
                else if (Versions.JsonSchemaVersions.Refusal(Versions.JsonSchemaVersions.ContainerStatusEvent, reader.GetString()!, versions) is { } refusal)
                {
                    Fail(ref errors, Versions.JsonSchemaVersions.Property, refusal);
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
                    sizeTypeUnknown = !(codeLists ?? CodeListService.Shipped).Lists.SizeTypes.Lookup(sizeType).IsKnown;
                    if (sizeTypeUnknown && codeLists is not null)
                    {
                        codeLists.CountUnmapped(CodeListNames.SizeTypes, sizeType.ToString());
                        if (codeLists.Unmapped == UnmappedCodeAction.Reject)
                        {
                            Fail(ref errors, "sizeType", $"'{sizeType}' is in no ISO 6346 code list of this deployment (code list {CodeListNames.SizeTypes}; CodeLists:Unmapped = Reject)");
                        }
                    }
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
        SchemaVersion,
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
            13 when name.SequenceEqual("schemaVersion"u8) => EventField.SchemaVersion,
            15 when name.SequenceEqual("containerNumber"u8) => EventField.ContainerNumber,
            _ => EventField.Unknown,
        };
    }
}
