using System.Text.Json;

namespace PortCustoms.Core.Batch;

/// <summary>What the ledger decided about a file, for its report.</summary>
/// <param name="Disposition">Processed, quarantined or duplicate.</param>
/// <param name="DecidedAt">When the outcome was recorded.</param>
/// <param name="DuplicateOf">For a duplicate: where the first copy of the content went.</param>
/// <param name="Contrl">The CONTRL acknowledgements written, as blob paths.</param>
public sealed record BatchDecision(BatchDisposition Disposition, DateTimeOffset DecidedAt, string? DuplicateOf = null, IReadOnlyList<string>? Contrl = null);

/// <summary>
/// Writes <c>{name}.result.json</c> and <c>{name}.error.json</c> straight to a stream. Both are bounded by
/// <see cref="BatchFindings"/> (the first findings per code with positions, and exact counts), so a report never
/// grows with the file.
/// </summary>
public static class BatchReportWriter
{
    private const int FlushEvery = 200;

    /// <summary><c>.result.json</c>: what was recognised and where each part went.</summary>
    public static async Task WriteResultAsync(Stream destination, BatchAnalysis analysis, BatchDecision decision, BatchRouting? routing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(decision);
        var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            WriteHeader(writer, analysis, decision);
            writer.WriteNumber("items", analysis.Items);
            writer.WriteStartObject("messageTypes");
            foreach (var (type, count) in analysis.MessageTypes)
            {
                writer.WriteNumber(type, count);
            }
            writer.WriteEndObject();
            // A duplicate is neither: its first copy was accepted or rejected already.
            var (accepted, rejected) = decision.Disposition switch
            {
                BatchDisposition.Processed => (analysis.Items - analysis.RejectedItemCount, analysis.RejectedItemCount),
                BatchDisposition.Quarantined => (0, analysis.Items),
                _ => (0L, 0L),
            };
            writer.WriteNumber("accepted", accepted);
            writer.WriteNumber("rejected", rejected);
            writer.WriteStartArray("rejectedMessages");
            foreach (var interchange in analysis.Interchanges)
            {
                foreach (var message in interchange.RejectedMessages)
                {
                    writer.WriteStartObject();
                    writer.WriteString("interchange", interchange.ControlReference);
                    writer.WriteString("reference", message.Reference);
                    writer.WriteString("type", message.Type);
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndArray();
            writer.WriteStartObject("routed");
            writer.WriteNumber("statusEvents", routing?.StatusEvents ?? 0);
            writer.WriteNumber("customsNotifications", routing?.Notifications ?? 0);
            writer.WriteNumber("manifests", routing?.Manifests ?? 0);
            writer.WriteNumber("dischargeLists", routing?.DischargeLists ?? 0);
            writer.WriteStartArray("vesselCalls");
            foreach (var call in routing?.VesselCalls ?? [])
            {
                writer.WriteStringValue(call);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            await WriteFindingsAsync(writer, destination, analysis.Findings, cancellationToken).ConfigureAwait(false);
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>.error.json</c>: <c>{ "file", "format", "errors": [...], ... }</c>, each error with its code and position.</summary>
    public static async Task WriteErrorAsync(Stream destination, BatchAnalysis analysis, BatchDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(decision);
        var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            WriteHeader(writer, analysis, decision);
            writer.WriteNumber("items", analysis.Items);
            await WriteFindingsAsync(writer, destination, analysis.Findings, cancellationToken).ConfigureAwait(false);
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static string FormatName(BatchFormat format) => format switch
    {
        BatchFormat.Edifact => "EDIFACT",
        BatchFormat.DischargeListCsv => "CSV_DISCHARGE_LIST",
        BatchFormat.TerminalJsonEvents => "JSON_EVENTS",
        BatchFormat.TerminalJsonDischargeList => "JSON_DISCHARGE_LIST",
        _ => "UNKNOWN",
    };

    public static string DispositionName(BatchDisposition disposition) => disposition switch
    {
        BatchDisposition.Processed => "PROCESSED",
        BatchDisposition.Quarantined => "QUARANTINED",
        BatchDisposition.Duplicate => "DUPLICATE",
        _ => "NONE",
    };

    private static void WriteHeader(Utf8JsonWriter writer, BatchAnalysis analysis, BatchDecision decision)
    {
        writer.WriteString("file", analysis.File.Source);
        writer.WriteString("broker", analysis.File.Broker);
        writer.WriteString("name", analysis.File.Name);
        writer.WriteString("format", FormatName(analysis.Format));
        writer.WriteString("outcome", DispositionName(decision.Disposition));
        writer.WriteBoolean("duplicate", decision.Disposition == BatchDisposition.Duplicate);
        if (decision.DuplicateOf is not null)
        {
            writer.WriteString("duplicateOf", decision.DuplicateOf);
        }
        writer.WriteString("decidedAt", decision.DecidedAt);
        writer.WriteNumber("bytes", analysis.Bytes);
        if (analysis.ContentHash is not null)
        {
            writer.WriteString("sha256", analysis.ContentHash);
        }
        writer.WriteStartArray("interchanges");
        foreach (var interchange in analysis.Interchanges)
        {
            writer.WriteStartObject();
            writer.WriteString("reference", interchange.ControlReference);
            writer.WriteString("sender", interchange.Sender.Identification);
            writer.WriteNumber("messages", interchange.Messages);
            writer.WriteNumber("rejectedMessages", interchange.RejectedCount);
            if (interchange.DuplicateOf is not null)
            {
                writer.WriteString("duplicateOf", interchange.DuplicateOf);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("contrl");
        foreach (var path in decision.Contrl ?? [])
        {
            writer.WriteStringValue(path);
        }
        writer.WriteEndArray();
    }

    private static async Task WriteFindingsAsync(Utf8JsonWriter writer, Stream destination, BatchFindings findings, CancellationToken cancellationToken)
    {
        writer.WriteNumber("errorCount", findings.ErrorCount);
        writer.WriteNumber("warningCount", findings.WarningCount);
        writer.WriteNumber("keptPerCode", findings.KeptPerCode);
        writer.WriteStartObject("counts");
        foreach (var (code, _, count) in findings.Counts)
        {
            writer.WriteNumber(code, count);
        }
        writer.WriteEndObject();
        foreach (var (name, errors) in new[] { ("errors", true), ("warnings", false) })
        {
            writer.WriteStartArray(name);
            var written = 0;
            foreach (var finding in findings.Kept.Where(f => f.IsError == errors))
            {
                WriteFinding(writer, finding);
                if (++written % FlushEvery == 0)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            writer.WriteEndArray();
        }
    }

    private static void WriteFinding(Utf8JsonWriter writer, BatchFinding finding)
    {
        var p = finding.Position;
        writer.WriteStartObject();
        writer.WriteString("code", finding.Code);
        writer.WriteString("message", finding.Message);
        WriteNumberOrNull(writer, "line", p.Line);
        WriteNumberOrNull(writer, "segment", p.Segment);
        WriteNumberOrNull(writer, "element", p.Element);
        WriteNumberOrNull(writer, "component", p.Component);
        WriteNumberOrNull(writer, "item", p.Item);
        if (p.Field is null)
        {
            writer.WriteNull("field");
        }
        else
        {
            writer.WriteString("field", p.Field);
        }
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long value)
    {
        if (value > 0)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
