using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace PortCustoms.Cli.Files;

/// <summary>Renders validation reports and findings: JSON (contracts/cli.md) or readable tables (Spectre.Console).</summary>
internal static class ReportWriter
{
    public static string Json(IReadOnlyList<FileValidationReport> reports)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            // One file: the contract's object; several: an array of them, in argument order.
            if (reports.Count == 1)
            {
                Write(writer, reports[0]);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var report in reports)
                {
                    Write(writer, report);
                }
                writer.WriteEndArray();
            }
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, FileValidationReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("file"u8, report.File);
        writer.WriteString("format"u8, report.Format.Name());
        writer.WriteBoolean("valid"u8, report.Valid);
        writer.WriteNumber("interchanges"u8, report.Interchanges);
        writer.WriteNumber("messages"u8, report.Messages);
        WriteList(writer, "errors"u8, report.Errors);
        WriteList(writer, "warnings"u8, report.Warnings);
        writer.WriteEndObject();
    }

    public static string FindingsJson(IReadOnlyList<FileDiagnostic> errors, IReadOnlyList<FileDiagnostic> warnings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            WriteList(writer, "errors"u8, errors);
            WriteList(writer, "warnings"u8, warnings);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
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
            table.AddRow(level, Markup.Escape(d.Code), Text(d.Line), Text(d.Segment), Text(d.Element), Text(d.Component), Markup.Escape(d.Path is null ? d.Message : $"{d.Path}: {d.Message}"));
        }
        console.Write(table);
    }

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
