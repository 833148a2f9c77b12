using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Reconciliation;
using Spectre.Console;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms reconcile --manifest FILE... --discharge FILE [--format table|json]</c>: the matching the durable
/// orchestration runs, on local files. Manifests as EDIFACT (CUSCAR, IFTMCS, IFTMAN) or canonical JSON; the discharge
/// list as CSV or terminal JSON; the vessel call is the discharge list's. The report goes to standard output (a table,
/// or the report JSON), problems with the input to standard error. Exit 0 no discrepancy, 1 discrepancies, 2 an input
/// that cannot be read or reconciled (missing file, no manifest, an empty list, a list for another call).
/// </summary>
public static class ReconcileCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new(ReconciliationReportWriter.JsonOptions) { WriteIndented = true };

    public static Command Create()
    {
        var manifests = new Option<string[]>("--manifest") { Description = "Manifest files: EDIFACT (CUSCAR, IFTMCS, IFTMAN) or canonical JSON.", Required = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
        var discharge = new Option<string>("--discharge") { Description = "The terminal's discharge list: CSV or terminal JSON (- for standard input).", Required = true };
        var format = new Option<string>("--format") { Description = "Output: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var toleranceKg = new Option<decimal?>("--gross-mass-tolerance-kg") { Description = "Gross mass differences up to this are not reported (default 500)." };
        var tolerancePercent = new Option<decimal?>("--gross-mass-tolerance-percent") { Description = "... or up to this percentage of the declared mass (default 5)." };
        var codeLists = CodeListArguments.Create();
        var command = new Command("reconcile", "Reconciles manifests against the terminal's discharge list and prints the discrepancy report.")
        {
            manifests, discharge, format, toleranceKg, tolerancePercent, codeLists,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ReconciliationOptions();
            if (parse.GetValue(toleranceKg) is { } kg)
            {
                options.GrossMassToleranceKg = kg;
            }
            if (parse.GetValue(tolerancePercent) is { } percent)
            {
                options.GrossMassTolerancePercent = percent;
            }
            return RunAsync(parse.GetValue(manifests) ?? [], parse.GetValue(discharge)!, parse.GetValue(codeLists) ?? [], parse.GetValue(format) == "json", options, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static Task<int> RunAsync(IReadOnlyList<string> manifestFiles, string dischargeFile, bool json, ReconciliationOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(manifestFiles, dischargeFile, [], json, options, stdout, stderr, cancellationToken);

    /// <summary>As the other overload, with the <c>--code-lists</c> overrides (size-types normalised, codes checked with them); a bad override is exit 2 naming it.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> manifestFiles, string dischargeFile, IReadOnlyList<string> codeListPaths, bool json, ReconciliationOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifestFiles);
        ArgumentNullException.ThrowIfNull(dischargeFile);
        ArgumentNullException.ThrowIfNull(codeListPaths);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (await CodeListArguments.TryLoadAsync(codeListPaths, stderr).ConfigureAwait(false) is not { } codeLists)
        {
            return PortCustomsCli.UsageOrFailure;
        }
        var unreadable = false;

        var dischargeBytes = await ReadAllAsync(dischargeFile, stderr, cancellationToken).ConfigureAwait(false);
        if (dischargeBytes is null)
        {
            return PortCustomsCli.UsageOrFailure;
        }
        var discharge = DischargeListReader.Read(dischargeBytes);
        foreach (var error in discharge.Errors)
        {
            await stderr.WriteLineAsync($"{dischargeFile}:{error.Line}: {error.Code}: {(error.Path is null ? string.Empty : error.Path + ": ")}{error.Message}").ConfigureAwait(false);
        }
        unreadable |= discharge.List is null;

        var manifests = new List<SourcedManifest>();
        var documents = new List<ReportDocument>();
        foreach (var file in manifestFiles)
        {
            var bytes = await ReadAllAsync(file, stderr, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                unreadable = true;
                continue;
            }
            var read = await ManifestFileReader.ReadAsync(file, bytes, codeLists, cancellationToken).ConfigureAwait(false);
            foreach (var error in read.Errors)
            {
                await stderr.WriteLineAsync($"{file}:{Where(error)}: {error.Code}: {error.Message}").ConfigureAwait(false);
            }
            foreach (var warning in read.Warnings)
            {
                await stderr.WriteLineAsync($"{file}:{Where(warning)}: warning {warning.Code}: {warning.Message}").ConfigureAwait(false);
            }
            // A manifest that cannot be read whole is not reconciled in part: every container left out would be over-landed.
            if (read.Errors.Count > 0)
            {
                unreadable = true;
                continue;
            }
            manifests.AddRange(read.Manifests);
            documents.AddRange(read.Manifests.Select(m => new ReportDocument("manifest", m.Source, file, null)));
        }
        if (unreadable)
        {
            return PortCustomsCli.UsageOrFailure;
        }
        documents.Add(new ReportDocument("dischargeList", dischargeFile, dischargeFile, null));

        ReconciliationReport report;
        try
        {
            report = new ManifestReconciliation(options, codeLists).Run(discharge.List!.VesselCall, manifests, discharge.List, documents, DateTimeOffset.UtcNow);
        }
        catch (ReconciliationInputException ex)
        {
            await stderr.WriteLineAsync($"{ex.Code}: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, IndentedJson)).ConfigureAwait(false);
        }
        else
        {
            WriteTable(ReportWriter.Console(stdout), report);
        }
        return report.Total == 0 ? PortCustomsCli.Success : PortCustomsCli.Findings;
    }

    private static void WriteTable(IAnsiConsole console, ReconciliationReport report)
    {
        console.MarkupLine(Markup.Escape($"Vessel call IMO {report.VesselImo} voyage {report.Voyage}: {report.ManifestedContainers} manifested, {report.DischargedContainers} discharged, {report.Total} discrepancies ({report.Critical} critical)."));
        if (report.Total == 0)
        {
            return;
        }
        var counts = new Table().AddColumns("Kind", "Code", "Count");
        foreach (var kind in DiscrepancyKinds.All)
        {
            var count = report.Counts.GetValueOrDefault(kind.Code());
            if (count > 0)
            {
                counts.AddRow(Markup.Escape(kind.Title()), kind.Code(), count.ToString(CultureInfo.InvariantCulture));
            }
        }
        console.Write(counts);
        var table = new Table().AddColumns("#", "Kind", "Container", "What was found");
        foreach (var d in report.Discrepancies)
        {
            table.AddRow(
                d.Number.ToString(CultureInfo.InvariantCulture),
                (d.Critical ? "[red]" : "[yellow]") + Markup.Escape(d.Kind.Title()) + "[/]",
                Markup.Escape(d.ContainerNumber),
                Markup.Escape(d.Description));
        }
        console.Write(table);
    }

    private static string Where(ManifestFileError error) =>
        error.Path ?? (error.Segment > 0 ? $"{error.Line} (segment {error.Segment})" : error.Line.ToString(CultureInfo.InvariantCulture));

    private static async Task<byte[]?> ReadAllAsync(string file, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var stream = FileFormats.Open(file);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{file}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
