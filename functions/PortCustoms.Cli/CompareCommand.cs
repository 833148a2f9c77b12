using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Operations;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms compare --legacy FILE --ours FILE [--window PT10M] [--format table|json]</c>, for parallel running:
/// the legacy channel's statuses or gate decisions beside PortCustoms' for the same period (CSV or JSON, contracts/cli.md),
/// paired per container in time order into matches, timing differences within the window, differences beyond it, and
/// rows one side alone has. Exit 0 when nothing differs and nothing is one-sided, 1 otherwise, 2 when an export cannot be
/// read (every bad row is named on standard error).
/// </summary>
public static class CompareCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var legacy = new Option<string>("--legacy") { Description = "The legacy channel's export: CSV or JSON with containerNumber, outcome, at[, reference].", Required = true };
        var ours = new Option<string>("--ours") { Description = "PortCustoms' export for the same period, same columns.", Required = true };
        var window = new Option<string>("--window") { Description = "How far apart the same outcome still counts as timing, ISO 8601 (default PT10M).", DefaultValueFactory = _ => "PT10M" };
        var format = new Option<string>("--format") { Description = "Output: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("compare", "Compares the legacy channel's statuses or gate decisions with PortCustoms' during parallel running.")
        {
            legacy, ours, window, format,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(legacy)!, parse.GetValue(ours)!, parse.GetValue(window)!, parse.GetValue(format) == "json", Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string legacyFile, string oursFile, string window, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        TimeSpan span;
        try
        {
            span = XmlConvert.ToTimeSpan(window);
        }
        catch (FormatException)
        {
            await stderr.WriteLineAsync($"--window '{window}' is not an ISO 8601 duration such as PT10M.").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        if (span < TimeSpan.Zero)
        {
            await stderr.WriteLineAsync("--window must not be negative.").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }

        var legacyRecords = await ReadAsync(legacyFile, stderr, cancellationToken).ConfigureAwait(false);
        var ourRecords = await ReadAsync(oursFile, stderr, cancellationToken).ConfigureAwait(false);
        if (legacyRecords is null || ourRecords is null)
        {
            return PortCustomsCli.UsageOrFailure;
        }

        var report = ParallelRunComparison.Compare(legacyRecords, ourRecords, span);
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(ToJson(report), Json)).ConfigureAwait(false);
        }
        else
        {
            WriteTable(ReportWriter.Console(stdout), report);
        }
        return report.Agrees ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    private static async Task<IReadOnlyList<ChannelRecord>?> ReadAsync(string file, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var source = FileFormats.Open(file);
            await using (source.ConfigureAwait(false))
            {
                // The reader peeks at the first character; standard input cannot seek.
                Stream seekable = source;
                if (!source.CanSeek)
                {
                    seekable = new MemoryStream();
                    await source.CopyToAsync(seekable, cancellationToken).ConfigureAwait(false);
                    seekable.Position = 0;
                }
                var (records, errors) = await ChannelRecordReader.ReadAsync(seekable, cancellationToken).ConfigureAwait(false);
                foreach (var error in errors)
                {
                    var column = error.Column is null ? string.Empty : $" ({error.Column})";
                    await stderr.WriteLineAsync($"{file}:{error.Line}{column}: {error.Code}: {error.Message}").ConfigureAwait(false);
                }
                return errors.Count == 0 ? records : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{file}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static object ToJson(ParallelRunReport report) => new
    {
        window = XmlConvert.ToString(report.Window),
        containers = report.Containers,
        agrees = report.Agrees,
        counts = new
        {
            matches = report.Count(ComparisonKind.Match),
            timing = report.Count(ComparisonKind.Timing),
            differences = report.Count(ComparisonKind.Difference),
            legacyOnly = report.Count(ComparisonKind.LegacyOnly),
            oursOnly = report.Count(ComparisonKind.OursOnly),
        },
        perContainer = report.Rows.GroupBy(r => r.ContainerNumber).Select(g => new
        {
            containerNumber = g.Key,
            matches = g.Count(r => r.Kind == ComparisonKind.Match),
            timing = g.Count(r => r.Kind == ComparisonKind.Timing),
            differences = g.Count(r => r.Kind == ComparisonKind.Difference),
            legacyOnly = g.Count(r => r.Kind == ComparisonKind.LegacyOnly),
            oursOnly = g.Count(r => r.Kind == ComparisonKind.OursOnly),
        }),
        rows = report.Rows.Select(r => new
        {
            containerNumber = r.ContainerNumber,
            kind = Kebab(r.Kind),
            legacy = r.Legacy is null ? null : new { outcome = r.Legacy.Outcome, at = r.Legacy.At, reference = r.Legacy.Reference, line = r.Legacy.Line },
            ours = r.Ours is null ? null : new { outcome = r.Ours.Outcome, at = r.Ours.At, reference = r.Ours.Reference, line = r.Ours.Line },
            lagSeconds = r.Lag?.TotalSeconds,
            explanation = r.Explanation,
        }),
    };

    private static string Kebab(ComparisonKind kind) => kind switch
    {
        ComparisonKind.Match => "match",
        ComparisonKind.Timing => "timing",
        ComparisonKind.Difference => "difference",
        ComparisonKind.LegacyOnly => "legacy-only",
        ComparisonKind.OursOnly => "ours-only",
        _ => kind.ToString(),
    };

    private static void WriteTable(IAnsiConsole console, ParallelRunReport report)
    {
        var totals = new Table().AddColumns("Matches", "Timing", "Differences", "Legacy only", "PortCustoms only", "Containers");
        totals.AddRow(
            Count(report, ComparisonKind.Match), Count(report, ComparisonKind.Timing), Count(report, ComparisonKind.Difference),
            Count(report, ComparisonKind.LegacyOnly), Count(report, ComparisonKind.OursOnly), report.Containers.ToString(CultureInfo.InvariantCulture));
        console.Write(totals);
        var attention = report.Rows.Where(r => r.Kind is not ComparisonKind.Match).ToList();
        if (attention.Count == 0)
        {
            console.MarkupLine("[green]The channels agree.[/]");
            return;
        }
        var rows = new Table().AddColumns("Container", "Kind", "What was found");
        foreach (var row in attention)
        {
            var colour = row.Kind == ComparisonKind.Timing ? "grey" : "red";
            rows.AddRow(Markup.Escape(row.ContainerNumber), $"[{colour}]{Kebab(row.Kind)}[/]", Markup.Escape(row.Explanation));
        }
        console.Write(rows);
    }

    private static string Count(ParallelRunReport report, ComparisonKind kind) => report.Count(kind).ToString(CultureInfo.InvariantCulture);
}
