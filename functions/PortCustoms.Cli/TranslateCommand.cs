using System.CommandLine;
using PortCustoms.Cli.Files;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;

namespace PortCustoms.Cli;

/// <summary>
/// <c>portcustoms translate FILE --to json|edifact|xml [--format table|json]</c>: between EDIFACT, WCO XML and the
/// canonical JSON of contracts/cli.md, every direction (<c>--directory</c>, <c>--sender</c>, <c>--recipient</c>,
/// <c>--reference</c> set an EDIFACT envelope; <c>--country</c>, <c>--agency</c> the XML metadata; <c>--manifest-as</c>
/// what manifests become in XML; <c>--cusres-as status-answer</c> reads a CUSRES as customs' answer to the gate's live
/// query). The translation goes to standard output; findings to standard error (a table, or
/// <c>{ "errors", "warnings" }</c> with <c>--format json</c>). Exit 0 translated, 1 the input has errors (what could be
/// translated is still written), 2 usage (same format in and out, unreadable file).
/// </summary>
public static class TranslateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The file to translate (- for standard input)." };
        var to = new Option<string>("--to") { Description = "Target: json, edifact or xml.", Required = true };
        to.AcceptOnlyFromAmong("json", "edifact", "xml");
        var format = new Option<string>("--format") { Description = "How findings are written to standard error: table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var directory = new Option<string>("--directory") { Description = "EDIFACT directory written: D95B (default), D96B, D00B, D01B.", DefaultValueFactory = _ => "D95B" };
        directory.AcceptOnlyFromAmong("D95B", "D96B", "D00B", "D01B");
        var sender = new Option<string>("--sender") { Description = "UNB sender identification.", DefaultValueFactory = _ => "PORTCUSTOMS" };
        var recipient = new Option<string>("--recipient") { Description = "UNB recipient identification.", DefaultValueFactory = _ => "CUSTOMS" };
        var reference = new Option<string>("--reference") { Description = "UNB control reference (unique per sender).", DefaultValueFactory = _ => "1" };
        var country = new Option<string>("--country") { Description = "XML MetaData ResponsibleCountryCode (ISO 3166 alpha-2).", DefaultValueFactory = _ => "ZZ" };
        var agency = new Option<string>("--agency") { Description = "XML MetaData ResponsibleAgencyName.", DefaultValueFactory = _ => "CUSTOMS" };
        var manifestAs = new Option<string>("--manifest-as") { Description = "What manifests become in XML: cargo-report (default) or arrival-report.", DefaultValueFactory = _ => "cargo-report" };
        manifestAs.AcceptOnlyFromAmong("cargo-report", "arrival-report");
        var cusresAs = new Option<string>("--cusres-as") { Description = "What an EDIFACT CUSRES is: notification (default) or status-answer (customs' answer to the gate's live query).", DefaultValueFactory = _ => "notification" };
        cusresAs.AcceptOnlyFromAmong("notification", "status-answer");
        var codeLists = CodeListArguments.Create();
        var command = new Command("translate", "Converts between EDIFACT, WCO XML and the canonical JSON.") { file, to, format, directory, sender, recipient, reference, country, agency, manifestAs, cusresAs, codeLists };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // AcceptOnlyFromAmong has already refused anything else.
            var edifactDirectory = EdifactDirectory.TryParse(parse.GetValue(directory), out var d) ? d : EdifactDirectory.D95B;
            var options = new EdifactInterchangeOptions
            {
                Directory = edifactDirectory,
                Sender = parse.GetValue(sender) ?? "PORTCUSTOMS",
                Recipient = parse.GetValue(recipient) ?? "CUSTOMS",
                ControlReference = parse.GetValue(reference) ?? "1",
            };
            var target = parse.GetValue(to) switch
            {
                "edifact" => TranslationTarget.Edifact,
                "xml" => TranslationTarget.Xml,
                _ => TranslationTarget.Json,
            };
            var codeListService = await CodeListArguments.TryLoadAsync(parse.GetValue(codeLists) ?? [], Console.Error).ConfigureAwait(false);
            if (codeListService is null)
            {
                return PortCustomsCli.UsageOrFailure;
            }
            var translator = new FileTranslator(codeLists: codeListService)
            {
                XmlMetadata = new WcoMetadata { ResponsibleCountryCode = parse.GetValue(country) ?? "ZZ", ResponsibleAgencyName = parse.GetValue(agency) ?? "CUSTOMS" },
                XmlManifestKind = parse.GetValue(manifestAs) == "arrival-report" ? WcoXmlMessageKind.ArrivalReport : WcoXmlMessageKind.CargoReport,
                CusresAsStatusAnswer = parse.GetValue(cusresAs) == "status-answer",
            };
            return await RunAsync(parse.GetValue(file)!, target, options, parse.GetValue(format) == "json", Console.OpenStandardOutput(), Console.Error, translator, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Task<int> RunAsync(string file, TranslationTarget target, EdifactInterchangeOptions options, bool json, Stream stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(file, target, options, json, stdout, stderr, new FileTranslator(), cancellationToken);

    public static async Task<int> RunAsync(string file, TranslationTarget target, EdifactInterchangeOptions options, bool json, Stream stdout, TextWriter stderr, FileTranslator translator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        FileTranslationResult result;
        try
        {
            var input = FileFormats.Open(file);
            await using (input.ConfigureAwait(false))
            {
                result = await translator.TranslateAsync(input, stdout, target, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{file}: {ex.Message}").ConfigureAwait(false);
            return PortCustomsCli.UsageOrFailure;
        }
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await stderr.WriteAsync(ReportWriter.FindingsJson(result.Errors, result.Warnings, result.Counts)).ConfigureAwait(false);
        }
        else
        {
            var console = ReportWriter.Console(stderr);
            ReportWriter.FindingsTable(console, file, result.Errors, result.Warnings);
            ReportWriter.CountsTable(console, file, result.Counts);
        }
        return result.ExitCode;
    }
}
