using System.Text;
using PortCustoms.Cli.Files;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using static PortCustoms.Cli.Tests.CliFixtures;

namespace PortCustoms.Cli.Tests;

/// <summary>
/// <c>--code-lists</c> on <c>validate</c>, <c>translate</c> and <c>reconcile</c>: the deployment's override folder (or
/// files), so a port checks files with its own lists; a folder that cannot be applied is exit 2 naming the file.
/// </summary>
public sealed class CodeListOverrideCommandTests : IDisposable
{
    // "45XX" is in no shipped list; the port's override makes it an alias of 45G1.
    private const string PortAlias = "45XX";

    private readonly string _folder = Directory.CreateTempSubdirectory("portcustoms-codelists-").FullName;

    public CodeListOverrideCommandTests() =>
        File.WriteAllText(Path.Combine(_folder, "port-aliases.json"), $$"""{ "list": "size-types", "version": "port 2026-12", "mode": "extend", "aliases": { "{{PortAlias}}": "45G1" } }""");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TempFile GateWithAlias() =>
        Temp(File.ReadAllText(Fixture("codeco-d95b-gate.edi"), Encoding.Latin1).Replace("45G1", PortAlias, StringComparison.Ordinal));

    private static TempFile CargoReportWithAlias()
    {
        var xml = File.ReadAllText(Fixture("cuscar-d95b-manifest.xml"));
        return Temp(xml.Replace("<CharacteristicCode>45G1</CharacteristicCode>", $"<CharacteristicCode>{PortAlias}</CharacteristicCode>", StringComparison.Ordinal), ".xml");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> ValidateAsync(string file, params string[] codeLists)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync([file], new EdifactValidationOptions(), codeLists, json: true, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Validate_knows_a_size_type_only_the_port_folder_maps_in_edifact_and_xml()
    {
        using var edifact = GateWithAlias();
        using var xml = CargoReportWithAlias();

        var (_, shippedEdifact, _) = await ValidateAsync(edifact.Path);
        var (exitEdifact, portEdifact, _) = await ValidateAsync(edifact.Path, _folder);
        var (_, shippedXml, _) = await ValidateAsync(xml.Path);
        var (exitXml, portXml, _) = await ValidateAsync(xml.Path, _folder);

        Assert.Contains(MappingErrorCodes.SizeTypeUnknown, shippedEdifact, StringComparison.Ordinal);
        Assert.Contains(Core.Xml.XmlErrorCodes.SizeTypeUnknown, shippedXml, StringComparison.Ordinal);
        Assert.Equal((PortCustomsCli.Success, PortCustomsCli.Success), (exitEdifact, exitXml));
        Assert.DoesNotContain("SIZE-TYPE", portEdifact, StringComparison.Ordinal);
        Assert.DoesNotContain("SIZE-TYPE", portXml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_writes_the_1995_code_for_a_port_alias_with_the_folder_and_keeps_it_with_a_warning_without()
    {
        using var edifact = GateWithAlias();
        var port = new FileTranslator(codeLists: CodeListArguments.Load([_folder]));

        var (exitPort, outPort, errPort) = await TranslateAsync(edifact.Path, port);
        var (exitShipped, outShipped, errShipped) = await TranslateAsync(edifact.Path, new FileTranslator());

        Assert.Equal((PortCustomsCli.Success, PortCustomsCli.Success), (exitPort, exitShipped));
        Assert.Contains("\"45G1\"", outPort, StringComparison.Ordinal);
        Assert.DoesNotContain(PortAlias, outPort, StringComparison.Ordinal);
        Assert.DoesNotContain(MappingErrorCodes.SizeTypeUnknown, errPort, StringComparison.Ordinal);
        Assert.Contains($"\"{PortAlias}\"", outShipped, StringComparison.Ordinal);
        Assert.Contains(MappingErrorCodes.SizeTypeUnknown, errShipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_normalises_a_port_alias_with_the_folder()
    {
        using var list = Temp("containerNumber,vesselImo,voyage,dischargedAt,sizeType,sealNumbers,fullEmpty\n" +
            $"MSCU1234566,9811000,124E,2026-11-26T03:02:00Z,{PortAlias},ML-12345,F\n" +
            "CMAU4001000,9811000,124E,2026-11-26T03:05:00Z,45G1,,E\n", ".csv");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var withFolder = await ReconcileCommand.RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path, [_folder], false, new ReconciliationOptions(), stdout, stderr);
        var without = await ReconcileCommand.RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path, [], false, new ReconciliationOptions(), TextWriter.Null, TextWriter.Null);

        Assert.True(withFolder == PortCustomsCli.Success, stdout + stderr.ToString());
        Assert.Equal(PortCustomsCli.Findings, without);
    }

    [Fact]
    public async Task A_malformed_override_folder_is_exit_2_naming_the_file_for_every_command()
    {
        var bad = Path.Combine(_folder, "z-broken.json");
        await File.WriteAllTextAsync(bad, """{ "list": "size-types", "version": "x", "mode": "extend", "aliases": { "40SD": "ZZZZ" } }""");
        using var edifact = GateWithAlias();
        using var list = Temp("containerNumber\nMSCU1234566\n", ".csv");

        var (validateExit, validateOut, validateErr) = await ValidateAsync(edifact.Path, _folder);
        using var reconcileErr = new StringWriter();
        var reconcileExit = await ReconcileCommand.RunAsync([Fixture("cuscar-d95b-manifest.edi")], list.Path, [_folder], false, new ReconciliationOptions(), TextWriter.Null, reconcileErr);
        var translateExit = await PortCustomsCli.InvokeAsync(["translate", edifact.Path, "--to", "json", "--code-lists", _folder]);
        var auditExit = await PortCustomsCli.InvokeAsync(["audit", list.Path, "--code-lists", _folder]);

        Assert.Equal((PortCustomsCli.UsageOrFailure, PortCustomsCli.UsageOrFailure, PortCustomsCli.UsageOrFailure, PortCustomsCli.UsageOrFailure), (validateExit, reconcileExit, translateExit, auditExit));
        Assert.Equal(string.Empty, validateOut);
        Assert.Contains(bad, validateErr, StringComparison.Ordinal);
        Assert.Contains("ZZZZ", validateErr, StringComparison.Ordinal);
        Assert.Contains(bad, reconcileErr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_folder_or_a_missing_path_is_exit_2_with_a_clear_message()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        using var edifact = GateWithAlias();

        var (emptyExit, _, emptyErr) = await ValidateAsync(edifact.Path, empty);
        var (missingExit, _, missingErr) = await ValidateAsync(edifact.Path, Path.Combine(_folder, "no-such"));

        Assert.Equal((PortCustomsCli.UsageOrFailure, PortCustomsCli.UsageOrFailure), (emptyExit, missingExit));
        Assert.Contains("holds no override file", emptyErr, StringComparison.Ordinal);
        Assert.Contains("does not exist", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_applied_in_name_order_after_the_files_named_before_it()
    {
        File.WriteAllText(Path.Combine(_folder, "a-first.json"), """{ "list": "un-locodes", "version": "port", "mode": "extend", "codes": { "XXABC": "Test port" } }""");

        var files = CodeListArguments.Files([Path.Combine(_folder, "port-aliases.json"), _folder]);

        Assert.Equal(["port-aliases.json", "a-first.json", "port-aliases.json"], files.Select(Path.GetFileName));
        Assert.True(CodeListArguments.Load([_folder]).Lists.UnLocodes.Contains("XXABC"));
        Assert.Throws<CodeListException>(() => CodeListArguments.Files([Path.Combine(_folder, "nope.json")]));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> TranslateAsync(string file, FileTranslator translator)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = await TranslateCommand.RunAsync(file, TranslationTarget.Json, new EdifactInterchangeOptions(), true, stdout, stderr, translator);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
