using System.Text.Json;
using PortCustoms.Core.Intake;

namespace PortCustoms.Core.Events;

// The schema pass of a request body: each event checked against container-status-event.schema.json, its findings
// merged into the event's failure, so a refused request names every field once and carries the positioned findings.
public static partial class ContainerStatusEventReader
{
    private static ContainerEventBatch WithSchemaPass(ReadOnlySpan<byte> utf8, List<ContainerStatusEvent> events, List<EventValidationFailure> failures, List<EventWarning> warnings)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var findings = new List<JsonSchemaFinding>();
        var total = 0;
        var byIndex = failures.ToDictionary(f => f.Index);
        if (root.ValueKind == JsonValueKind.Object)
        {
            Check(root, 0, string.Empty, byIndex, findings, ref total);
        }
        else
        {
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                // A non-object item is already a failure the reader named.
                if (item.ValueKind == JsonValueKind.Object)
                {
                    Check(item, index, "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture), byIndex, findings, ref total);
                }
                index++;
            }
        }
        if (total == 0)
        {
            return new ContainerEventBatch(null, events, failures, warnings);
        }
        return new ContainerEventBatch(null, events, byIndex.Values.OrderBy(f => f.Index).ToArray(), warnings) { SchemaErrors = findings, SchemaErrorCount = total };
    }

    private static void Check(JsonElement item, int index, string prefix, Dictionary<int, EventValidationFailure> byIndex, List<JsonSchemaFinding> findings, ref int total)
    {
        var found = JsonBodySchema.ContainerStatusEvent.Validate(item, out var count, prefix);
        if (count == 0)
        {
            return;
        }
        total += count;
        findings.AddRange(found.Take(JsonBodySchema.MaxFindings - findings.Count));
        byIndex.TryGetValue(index, out var failure);
        var errors = failure?.Errors.ToList() ?? [];
        foreach (var finding in found)
        {
            var relative = finding.Location[prefix.Length..];
            var field = relative.Length == 0 ? string.Empty : JsonSchemaFinding.FieldOf(relative);
            if (!errors.Exists(e => e.Field == field))
            {
                errors.Add(new EventFieldError(field, $"{finding.Code}: {finding.Message}"));
            }
        }
        var eventId = failure?.EventId ?? (item.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null);
        byIndex[index] = new EventValidationFailure(index, eventId, errors);
    }
}
