using System.CommandLine;
using PortCustoms.Cli.Files;
using PortCustoms.Edifact;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms validate FILE... [--strict|--lenient] [--format json]</c>: syntax, envelope, message-structure and
/// mapping checks of EDIFACT, WCO XML and JSON files (format detected from content; <c>-</c> reads standard input). Results on
/// standard output (a table, or the contract's JSON object; an array of them for several files), findings on
/// standard error in table mode. Exit 0 valid, 1 findings at error level, 2 usage or a file that could not be read.
/// </summary>
public static class ValidateCommand
{
    // Below this, a progress bar would only flicker.
    private const long ProgressThresholdBytes = 4 * 1024 * 1024;

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Files to validate (- for standard input).", Arity = ArgumentArity.OneOrMore };
        var strict = new Option<bool>("--strict") { Description = "Envelope count or reference mismatches are errors (the default)." };
        var lenient = new Option<bool>("--lenient") { Description = "Envelope count or reference mismatches are warnings." };
        var format = new Option<string>("--format") { Description = "Output: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var maxFindings = new Option<int>("--max-findings") { Description = "Findings listed per code, with positions; the rest are counted (default 100).", DefaultValueFactory = _ => FindingCollection.DefaultMaxPerCode };
        maxFindings.Validators.Add(result =>
        {
            // Only a number below 1: a non-number is already the parser's own error (and would throw here).
            if (result.Tokens is [var token] && int.TryParse(token.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value < 1)
            {
                result.AddError("--max-findings must be at least 1.");
            }
        });
        var codeLists = CodeListArguments.Create();
        var command = new Command("validate", "Syntax, envelope and message-structure checks for EDIFACT, WCO XML and JSON (format detected).") { files, strict, lenient, format, maxFindings, codeLists };
        command.Validators.Add(result =>
        {
            if (result.GetValue(strict) && result.GetValue(lenient))
            {
                result.AddError("--strict and --lenient exclude each other.");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(files) ?? [],
            new EdifactValidationOptions
            {
                Mode = parse.GetValue(lenient) ? EdifactValidationMode.Lenient : EdifactValidationMode.Strict,
                MaxFindingsPerCode = parse.GetValue(maxFindings),
            },
            parse.GetValue(codeLists) ?? [],
            parse.GetValue(format) == "json",
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(IReadOnlyList<string> files, EdifactValidationMode mode, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(files, new EdifactValidationOptions { Mode = mode }, json, stdout, stderr, cancellationToken);

    public static Task<int> RunAsync(IReadOnlyList<string> files, EdifactValidationOptions options, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(files, options, [], json, stdout, stderr, cancellationToken);

    /// <summary>As the other overloads, codes checked against the shipped lists with the <c>--code-lists</c> overrides applied; a bad override is exit 2 naming it.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> files, EdifactValidationOptions options, IReadOnlyList<string> codeListPaths, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(codeListPaths);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (await CodeListArguments.TryLoadAsync(codeListPaths, stderr).ConfigureAwait(false) is not { } codeLists)
        {
            return PortCustomsCli.UsageOrFailure;
        }
        var validator = new FileValidator(codeLists: codeLists);
        var reports = new List<FileValidationReport>();
        var errorConsole = ReportWriter.Console(stderr);
        var notFound = false;

        async Task ValidateAllAsync(Action<string>? started, Action<int>? read)
        {
            foreach (var file in files)
            {
                started?.Invoke(file);
                try
                {
                    var stream = FileFormats.Open(file);
                    await using (stream.ConfigureAwait(false))
                    {
                        var content = read is null ? stream : new ProgressStream(stream, read);
                        reports.Add(await validator.ValidateAsync(file, content, options, cancellationToken).ConfigureAwait(false));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"{file}: {ex.Message}").ConfigureAwait(false);
                    notFound = true;
                }
            }
        }

        if (ShowProgress(files, stderr))
        {
            // On standard error: standard output carries the results, and may be piped while a person watches.
            var progressConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            // By bytes read, so one large file moves the bar too; standard input counts only what has arrived.
            await progressConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Validating", maxValue: Math.Max(1, TotalBytes(files)));
                    await ValidateAllAsync(file => task.Description = Markup.Escape(Path.GetFileName(file)), read => task.Increment(read)).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            await ValidateAllAsync(null, null).ConfigureAwait(false);
        }

        if (notFound)
        {
            return PortCustomsCli.UsageOrFailure;
        }
        if (json)
        {
            // Streamed to standard output: the writer's buffer, not the report, is what is held.
            var output = ReferenceEquals(stdout, Console.Out) ? Console.OpenStandardOutput() : new TextWriterStream(stdout);
            await using (output.ConfigureAwait(false))
            {
                await ReportWriter.WriteJsonAsync(output, reports, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            ReportWriter.SummaryTable(ReportWriter.Console(stdout), reports);
            foreach (var report in reports)
            {
                ReportWriter.FindingsTable(errorConsole, report.File, report.Errors, report.Warnings);
                ReportWriter.CountsTable(errorConsole, report.File, report.Counts);
            }
        }
        return reports.All(r => r.Valid) ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    /// <summary>Only on an interactive terminal, and only for work long enough to watch.</summary>
    private static bool ShowProgress(IReadOnlyList<string> files, TextWriter stderr)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return false;
        }
        return TotalBytes(files) >= ProgressThresholdBytes || files.Count > 20;
    }

    private static long TotalBytes(IReadOnlyList<string> files)
    {
        long total = 0;
        foreach (var file in files)
        {
            if (file != "-" && File.Exists(file))
            {
                total += new FileInfo(file).Length;
            }
        }
        return total;
    }
}
