using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PortCustoms.Cli.Files;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Operations;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms audit FILE.csv [--profile discharge-list|status-events] [--format table|json]</c>: a data-quality
/// profile of a terminal export before go-live (contracts/cli.md): per field, rows filled and valid, findings by code
/// with up to five example rows, and codes no code list maps. Streams (one record in memory), with a progress bar on an
/// interactive terminal. Exit 0 when every mandatory field is filled and valid in every row, 1 otherwise, 2 when the
/// file cannot be read.
/// </summary>
public static class AuditCommand
{
    private const long ProgressThresholdBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The terminal's export, CSV (RFC 4180, header row); - for standard input." };
        var profile = new Option<string>("--profile") { Description = "What the export must hold: discharge-list (default) or status-events.", DefaultValueFactory = _ => ExportProfile.DischargeList.Name };
        profile.AcceptOnlyFromAmong([.. ExportProfile.All.Select(p => p.Name)]);
        var format = new Option<string>("--format") { Description = "Output: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var codeLists = CodeListArguments.Create();
        var command = new Command("audit", "Profiles a terminal export before go-live: per field, rows filled and valid; unmapped codes with counts.")
        {
            file, profile, format, codeLists,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(file)!, ExportProfile.Find(parse.GetValue(profile)!)!, parse.GetValue(codeLists) ?? [], parse.GetValue(format) == "json", Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string file, ExportProfile profile, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(file, profile, [], json, stdout, stderr, cancellationToken);

    /// <summary>As the other overload, the codes checked against the shipped lists with <paramref name="codeListFiles"/> applied (as <c>CodeLists:Overrides</c>); a bad file is a usage error (exit 2) naming it.</summary>
    public static async Task<int> RunAsync(string file, ExportProfile profile, IReadOnlyList<string> codeListFiles, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeListFiles);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (codeListFiles.Count > 0)
        {
            try
            {
                var options = new CodeListOptions();
                options.Overrides.AddRange(CodeListArguments.Files(codeListFiles));
                profile = ExportProfile.Find(profile.Name, options.Load()) ?? profile;
            }
            catch (CodeListException ex)
            {
                await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return PortCustomsCli.UsageOrFailure;
            }
        }
        ExportAuditReport report;
        try
        {
            var stream = FileFormats.Open(file);
            await using (stream.ConfigureAwait(false))
            {
                if (ShowProgress(file, stderr))
                {
                    // On standard error: standard output carries the report and may be piped while a person watches.
                    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                    ExportAuditReport? result = null;
                    await console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                        .StartAsync(async progress =>
                        {
                            var task = progress.AddTask(Markup.Escape(Path.GetFileName(file)), maxValue: Math.Max(1, new FileInfo(file).Length));
                            result = await ExportAuditor.AuditAsync(new ProgressStream(stream, read => task.Increment(read)), profile, cancellationToken).ConfigureAwait(false);
                            task.Value = task.MaxValue;
                        }).ConfigureAwait(false);
                    report = result!;
                }
                else
                {
                    report = await ExportAuditor.AuditAsync(stream, profile, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{file}: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }

        if (report.Error is { } error)
        {
            await stderr.WriteLineAsync($"{file}: {error}").ConfigureAwait(false);
        }
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                file,
                profile = report.Profile,
                rows = report.Rows,
                passes = report.Passes,
                fields = report.Fields.Select(f => new
                {
                    field = f.Field,
                    mandatory = f.Mandatory,
                    filled = f.Filled,
                    valid = f.Valid,
                    findings = f.Findings.Select(x => new { code = x.Code, count = x.Count, rows = x.Rows }),
                }),
                unmappedCodes = report.UnmappedCodes.Select(u => new { field = u.Field, code = u.Code, count = u.Count, rows = u.Rows }),
                ignoredColumns = report.IgnoredColumns,
                error = report.Error,
            }, Json)).ConfigureAwait(false);
        }
        else
        {
            WriteTable(ReportWriter.Console(stdout), file, report);
        }
        return report.Error is not null && report.Rows == 0 ? PortCustomsCli.UsageOrFailure
            : report.Passes ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    private static void WriteTable(IAnsiConsole console, string file, ExportAuditReport report)
    {
        console.MarkupLine(Markup.Escape($"{file}: {report.Rows} rows, profile {report.Profile}."));
        var table = new Table().AddColumns("Field", "Mandatory", "Filled", "Valid", "Findings (example rows)");
        foreach (var field in report.Fields)
        {
            var findings = string.Join("; ", field.Findings.Select(f => $"{f.Code} x{f.Count} ({string.Join(", ", f.Rows)})"));
            var ok = field.Filled == report.Rows && field.Valid == report.Rows;
            table.AddRow(
                Markup.Escape(field.Field),
                field.Mandatory ? "yes" : "no",
                field.Filled.ToString(CultureInfo.InvariantCulture),
                (field.Mandatory && !ok ? "[red]" : string.Empty) + field.Valid.ToString(CultureInfo.InvariantCulture) + (field.Mandatory && !ok ? "[/]" : string.Empty),
                Markup.Escape(findings));
        }
        console.Write(table);
        if (report.UnmappedCodes.Count > 0)
        {
            var codes = new Table().AddColumns("Field", "Unmapped code", "Count", "Example rows");
            foreach (var code in report.UnmappedCodes)
            {
                codes.AddRow(Markup.Escape(code.Field), Markup.Escape(code.Code), code.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", code.Rows));
            }
            console.Write(codes);
        }
        if (report.IgnoredColumns.Count > 0)
        {
            console.MarkupLine(Markup.Escape($"Columns the profile does not use: {string.Join(", ", report.IgnoredColumns)}."));
        }
        console.MarkupLine(report.Passes ? "[green]Every mandatory field is filled and valid in every row.[/]" : "[red]Mandatory fields are missing or invalid: see above.[/]");
    }

    private static bool ShowProgress(string file, TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive
        && file != "-" && File.Exists(file) && new FileInfo(file).Length >= ProgressThresholdBytes;
}
