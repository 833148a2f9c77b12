using System.Globalization;
using System.Text;
using System.Text.Json;
using PortCustoms.Edifact;
using Spectre.Console;

namespace PortCustoms.Cli.Files;

/// <summary>Renders validation reports and findings: JSON (contracts/cli.md) or readable tables (Spectre.Console).</summary>
internal static class ReportWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Written out whenever this much is pending: the writer's buffer, not the report, bounds the memory.
    private const int FlushThreshold = 16 * 1024;

    /// <summary>
    /// Writes the reports as the contract's JSON straight to <paramref name="output"/>: one file gives the object,
    /// several an array of them, in argument order.
    /// </summary>
    public static async Task WriteJsonAsync(Stream output, IReadOnlyList<FileValidationReport> reports, CancellationToken cancellationToken = default)
    {
        var writer = new Utf8JsonWriter(output, JsonOptions);
        await using (writer.ConfigureAwait(false))
        {
            if (reports.Count == 1)
            {
                await WriteAsync(writer, reports[0], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var report in reports)
                {
                    await WriteAsync(writer, report, cancellationToken).ConfigureAwait(false);
                }
                writer.WriteEndArray();
            }
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reports as one string (for callers that need it whole; reports are bounded per code).</summary>
    public static string Json(IReadOnlyList<FileValidationReport> reports)
    {
        using var buffer = new MemoryStream();
        WriteJsonAsync(buffer, reports).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task WriteAsync(Utf8JsonWriter writer, FileValidationReport report, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        writer.WriteString("file"u8, report.File);
        writer.WriteString("format"u8, report.Format.Name());
        writer.WriteBoolean("valid"u8, report.Valid);
        writer.WriteNumber("interchanges"u8, report.Interchanges);
        writer.WriteNumber("messages"u8, report.Messages);
        await WriteListAsync(writer, "errors"u8.ToArray(), report.Errors, cancellationToken).ConfigureAwait(false);
        await WriteListAsync(writer, "warnings"u8.ToArray(), report.Warnings, cancellationToken).ConfigureAwait(false);

        // An addition to contracts/cli.md: the exact count per code, since the lists hold only the first of each.
        WriteCounts(writer, report.Counts);
        writer.WriteEndObject();
    }

    private static async Task WriteListAsync(Utf8JsonWriter writer, byte[] name, IReadOnlyList<FileDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        writer.WriteStartArray(name);
        foreach (var diagnostic in diagnostics)
        {
            diagnostic.WriteTo(writer);
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        writer.WriteEndArray();
    }

    public static string FindingsJson(IReadOnlyList<FileDiagnostic> errors, IReadOnlyList<FileDiagnostic> warnings, IReadOnlyList<FindingCount>? counts = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            WriteList(writer, "errors"u8, errors);
            WriteList(writer, "warnings"u8, warnings);
            if (counts is not null)
            {
                WriteCounts(writer, counts);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteCounts(Utf8JsonWriter writer, IReadOnlyList<FindingCount> counts)
    {
        writer.WriteStartArray("counts"u8);
        foreach (var count in counts)
        {
            writer.WriteStartObject();
            writer.WriteString("code"u8, count.Code);
            writer.WriteString("severity"u8, count.Severity == EdifactSeverity.Error ? "error"u8 : "warning"u8);
            writer.WriteNumber("count"u8, count.Count);
            writer.WriteNumber("listed"u8, count.Listed);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteList(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<FileDiagnostic> diagnostics)
    {
        writer.WriteStartArray(name);
        foreach (var diagnostic in diagnostics)
        {
            diagnostic.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    // Colour and terminal width only on the real console; a redirected writer (a file, a test) gets plain, unwrapped text.
    public static IAnsiConsole Console(TextWriter writer)
    {
        var isConsole = ReferenceEquals(writer, System.Console.Out) || ReferenceEquals(writer, System.Console.Error);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isConsole ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });
        if (!isConsole)
        {
            console.Profile.Width = 240;
        }
        return console;
    }

    public static void SummaryTable(IAnsiConsole console, IReadOnlyList<FileValidationReport> reports)
    {
        var table = new Table().AddColumns("File", "Format", "Valid", "Interchanges", "Messages", "Errors", "Warnings");
        foreach (var r in reports)
        {
            table.AddRow(
                Markup.Escape(r.File),
                r.Format.Name(),
                r.Valid ? "[green]yes[/]" : "[red]no[/]",
                r.Interchanges.ToString(CultureInfo.InvariantCulture),
                r.Messages.ToString(CultureInfo.InvariantCulture),
                r.Errors.Count.ToString(CultureInfo.InvariantCulture),
                r.Warnings.Count.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    public static void FindingsTable(IAnsiConsole console, string? file, IReadOnlyList<FileDiagnostic> errors, IReadOnlyList<FileDiagnostic> warnings)
    {
        if (errors.Count + warnings.Count == 0)
        {
            return;
        }
        var table = new Table().AddColumns("Level", "Code", "Line", "Segment", "Element", "Component", "Message");
        if (file is not null)
        {
            table.Title = new TableTitle(Markup.Escape(file));
        }
        foreach (var (level, d) in errors.Select(d => ("[red]error[/]", d)).Concat(warnings.Select(d => ("[yellow]warning[/]", d))))
        {
            table.AddRow(level, Markup.Escape(d.Code), d.Column is { } column ? $"{Text(d.Line)}:{column}" : Text(d.Line), Text(d.Segment), Text(d.Element), Text(d.Component), Markup.Escape(d.Path is null ? d.Message : $"{d.Path}: {d.Message}"));
        }
        console.Write(table);
    }

    /// <summary>Per code: how many there were and how many are listed above (only when some were not listed).</summary>
    public static void CountsTable(IAnsiConsole console, string? file, IReadOnlyList<FindingCount> counts)
    {
        if (!counts.Any(c => c.Count > c.Listed))
        {
            return;
        }
        var table = new Table().AddColumns("Level", "Code", "Count", "Listed");
        table.Title = new TableTitle(Markup.Escape(file is null ? "Findings per code" : $"{file}: findings per code"));
        foreach (var count in counts)
        {
            table.AddRow(
                count.Severity == EdifactSeverity.Error ? "[red]error[/]" : "[yellow]warning[/]",
                Markup.Escape(count.Code),
                count.Count.ToString(CultureInfo.InvariantCulture),
                count.Listed.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
