using System.Buffers;
using System.Text.Json;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

/// <summary>The target of <c>portcustoms translate --to</c>.</summary>
public enum TranslationTarget : byte
{
    Json = 1,
    Edifact = 2,
    Xml = 3,
}

/// <summary>Whether output was written, and the findings; <see cref="ExitCode"/> per contracts/cli.md.</summary>
public sealed record FileTranslationResult(bool Written, FileFormat InputFormat, IReadOnlyList<FileDiagnostic> Errors, IReadOnlyList<FileDiagnostic> Warnings, int ExitCode)
{
    /// <summary>The exact count per code; <see cref="Errors"/> and <see cref="Warnings"/> list the first of each code only.</summary>
    public IReadOnlyList<FindingCount> Counts { get; init; } = [];
}

/// <summary>
/// The logic of <c>portcustoms translate</c>: between EDIFACT, WCO XML and the canonical JSON (contracts/cli.md), every
/// direction. EDIFACT is read one message at a time; XML is read and written element by element (a cargo report
/// consignment by consignment); JSON is read whole. What a writer produced is checked against its published structure
/// (EDIFACT read back through the engine; XML validated against its schema as it is written), so an output that breaks
/// it is reported, never handed on silently. XML to EDIFACT holds the document's model in memory (CUSCAR puts the
/// equipment before the consignments, the cargo report after them).
/// </summary>
public sealed partial class FileTranslator
{
    private readonly EdifactTranslator _translator;
    private readonly EdifactComposer _composer;
    private readonly CodeListService _codeLists;

    /// <param name="translator">The EDIFACT mappings (with <paramref name="codeLists"/> when null).</param>
    /// <param name="composer">The EDIFACT writer.</param>
    /// <param name="codeLists">The code lists input is checked against (<c>--code-lists</c>); the shipped ones when null.</param>
    public FileTranslator(EdifactTranslator? translator = null, EdifactComposer? composer = null, CodeListService? codeLists = null)
    {
        _codeLists = codeLists ?? CodeListService.Shipped;
        _translator = translator ?? new EdifactTranslator { CodeLists = _codeLists };
        _composer = composer ?? new EdifactComposer();
    }

    /// <summary>The metadata envelope of XML written (responsible country and agency).</summary>
    public WcoMetadata XmlMetadata { get; init; } = new();

    /// <summary>What manifests become in XML: a cargo report (the default) or an arrival report (vessel, ports, equipment).</summary>
    public WcoXmlMessageKind XmlManifestKind { get; init; } = WcoXmlMessageKind.CargoReport;

    /// <summary>
    /// EDIFACT CUSRES read as customs' answer to the gate's live query (<c>StatusAnswer</c>, raw status code) rather than
    /// as notifications: the two are the same message, told apart only by where they travel (<c>--cusres-as</c>).
    /// </summary>
    public bool CusresAsStatusAnswer { get; init; }

    /// <summary>Translates <paramref name="input"/> into <paramref name="output"/>; EDIFACT is read and written one message at a time.</summary>
    public async Task<FileTranslationResult> TranslateAsync(Stream input, Stream output, TranslationTarget target, EdifactInterchangeOptions? interchange = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (format, content, liveQueryRoot) = await FileValidator.DetectAsync(input, cancellationToken).ConfigureAwait(false);
        switch (format, target)
        {
            case (FileFormat.Xml, TranslationTarget.Json) when liveQueryRoot is not null:
                return await LiveXmlToJsonAsync(content, output, liveQueryRoot, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Xml, TranslationTarget.Edifact) when liveQueryRoot is not null:
                return await LiveXmlToEdifactAsync(content, output, liveQueryRoot, interchange ?? new EdifactInterchangeOptions(), cancellationToken).ConfigureAwait(false);
            case (FileFormat.Edifact, TranslationTarget.Json):
                return await ToJsonAsync(content, output, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Json, TranslationTarget.Edifact):
                return await ToEdifactAsync(content, output, interchange ?? new EdifactInterchangeOptions(), cancellationToken).ConfigureAwait(false);
            case (FileFormat.Edifact, TranslationTarget.Xml):
                return await EdifactToXmlAsync(content, output, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Json, TranslationTarget.Xml):
                return await JsonToXmlAsync(content, output, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Xml, TranslationTarget.Json):
                return await XmlToJsonAsync(content, output, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Xml, TranslationTarget.Edifact):
                return await XmlToEdifactAsync(content, output, interchange ?? new EdifactInterchangeOptions(), cancellationToken).ConfigureAwait(false);
            case (FileFormat.Edifact, TranslationTarget.Edifact):
            case (FileFormat.Json, TranslationTarget.Json):
            case (FileFormat.Xml, TranslationTarget.Xml):
                return Usage(format, CliErrorCodes.FormatNotSupported, $"The input is already {format.Name()}.");
            default:
                return new FileTranslationResult(false, format, [new FileDiagnostic(CliErrorCodes.FormatUnknown, "The content is neither EDIFACT (UNA/UNB), JSON nor XML.", 1, null, null, null)], [], PortCustomsCli.Findings);
        }
    }

    private static FileTranslationResult Usage(FileFormat format, string code, string message) =>
        new(false, format, [new FileDiagnostic(code, message, null, null, null, null)], [], PortCustomsCli.UsageOrFailure);

    private async Task<FileTranslationResult> ToJsonAsync(Stream content, Stream output, CancellationToken cancellationToken)
    {
        // First findings per code with positions, every one counted: a file of a million warnings stays small.
        var findings = new FindingCollection();
        var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages"u8);
            // One message at a time, straight to the output: memory holds a message, never the file.
            var validation = await new EdifactInterchangeValidator().ValidateAsync(content, (message, _) =>
            {
                var structured = StructuredMessage.Create(message);
                var translated = _translator.TranslateLiveQuery(structured, CusresAsStatusAnswer) ?? _translator.Translate(structured);
                CanonicalJson.WriteMessage(json, translated);
                foreach (var diagnostic in translated.Diagnostics)
                {
                    findings.Add(diagnostic);
                }
                if (json.BytesPending > 64 * 1024)
                {
                    json.Flush();
                }
                // Written and counted: nothing reads the message any more, its tables go back to the pool.
                message.Dispose();
            }, cancellationToken).ConfigureAwait(false);
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            // Envelope and syntax findings from the validator; structure and mapping findings came with each message.
            foreach (var diagnostic in validation.Diagnostics)
            {
                findings.Add(diagnostic);
            }
        }
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Edifact, [.. findings.Listed.OrderBy(d => d.Position.ByteOffset)]) with { Counts = findings.Counts };
    }

    private async Task<FileTranslationResult> ToEdifactAsync(Stream content, Stream output, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await content.CopyToAsync(new BufferWriterStream(buffer), cancellationToken).ConfigureAwait(false);
        var canonical = CanonicalJson.Read(buffer.WrittenSpan, _codeLists);
        var jsonErrors = canonical.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        if (jsonErrors.Count > 0)
        {
            return new FileTranslationResult(false, FileFormat.Json, jsonErrors, [], PortCustomsCli.Findings);
        }
        if (canonical.LiveQueryCount > 0)
        {
            return await LiveToEdifactAsync(canonical.StatusQueries.Select(q => q.Value), canonical.StatusAnswers.Select(a => a.Value), canonical.Count, FileFormat.Json, output, options, cancellationToken).ConfigureAwait(false);
        }
        var composition = _composer.Compose(canonical, options);
        var check = await EdifactDocument.ReadAsync(composition.Interchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        var findings = composition.Diagnostics.Concat(check.Validation.Diagnostics).ToList();
        if (canonical.CustomsErrors.Count > 0)
        {
            // As from XML: said, never dropped silently.
            findings.Add(new EdifactDiagnostic(CliErrorCodes.NotCarried, EdifactSeverity.Warning,
                $"{canonical.CustomsErrors.Count} customs error(s) are not written: PortCustoms writes CUSRES without ERP/ERC.", default));
        }
        if (composition.MessageCount == 0)
        {
            return Result(false, FileFormat.Json, findings);
        }
        await output.WriteAsync(composition.Interchange, cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Json, findings);
    }

    private async Task<FileTranslationResult> EdifactToXmlAsync(Stream content, Stream output, CancellationToken cancellationToken)
    {
        var findings = new FindingCollection();
        using var composer = new WcoXmlComposer(output, XmlMetadata, XmlManifestKind);
        // A live query or answer is a document of its own, written at the end when nothing else was.
        var live = new LiveQueryDocument(XmlMetadata, composer.Findings);
        // One message at a time, straight into the document.
        var validation = await new EdifactInterchangeValidator().ValidateAsync(content, (message, _) =>
        {
            var structured = StructuredMessage.Create(message);
            var liveMessage = _translator.TranslateLiveQuery(structured, CusresAsStatusAnswer);
            var translated = liveMessage ?? _translator.Translate(structured);
            foreach (var diagnostic in translated.Diagnostics)
            {
                findings.Add(diagnostic);
            }
            if (liveMessage is not null)
            {
                live.Add(liveMessage, QueryTimeOf(structured), structured.Sender, othersWritten: composer.Kind != WcoXmlMessageKind.None);
            }
            else if (!live.Refuses(translated))
            {
                // As for JSON: what could be mapped is written, and the findings say what could not.
                composer.Add(translated);
            }
        }, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in validation.Diagnostics)
        {
            findings.Add(diagnostic);
        }
        var written = live.HasDocument ? await live.WriteAsync(output, cancellationToken).ConfigureAwait(false) : composer.Complete();
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return Result(written, FileFormat.Edifact, [.. findings.Listed.OrderBy(d => d.Position.ByteOffset)], findings.Counts, composer.Findings);
    }

    private async Task<FileTranslationResult> JsonToXmlAsync(Stream content, Stream output, CancellationToken cancellationToken)
    {
        var (canonical, errors) = await ReadCanonicalAsync(content, cancellationToken).ConfigureAwait(false);
        if (errors is not null)
        {
            return errors;
        }
        if (canonical.LiveQueryCount > 0)
        {
            return await LiveJsonToXmlAsync(canonical, output, cancellationToken).ConfigureAwait(false);
        }
        using var composer = new WcoXmlComposer(output, XmlMetadata, XmlManifestKind);
        foreach (var manifest in canonical.Manifests)
        {
            composer.AddManifest(manifest.Reference, manifest.Value);
        }
        foreach (var e in canonical.Events)
        {
            composer.AddEvent(e.Value);
        }
        foreach (var n in canonical.Notifications)
        {
            composer.AddNotification(n.Value);
        }
        foreach (var group in canonical.CustomsErrors.GroupBy(e => e.Reference))
        {
            composer.AddCustomsErrors(group.Key, null, [.. group.Select(e => e.Value)], answersNotifications: canonical.Notifications.Count > 0);
        }
        var written = composer.Complete();
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return Result(written, FileFormat.Json, [], [], composer.Findings);
    }

    private async Task<FileTranslationResult> XmlToJsonAsync(Stream content, Stream output, CancellationToken cancellationToken)
    {
        WcoXmlReadResult result;
        var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages"u8);
            var handler = new FlushingJsonHandler(json);
            // Element by element, straight to the output: a consignment at a time is what is held.
            result = WcoXmlReader.Read(content, handler, codeLists: _codeLists);
            handler.Complete();
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Xml, [], [], result.Findings);
    }

    private async Task<FileTranslationResult> XmlToEdifactAsync(Stream content, Stream output, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        var (document, result) = WcoXmlReader.ReadDocument(content, _codeLists);
        var canonical = document.ToCanonical();
        var extra = new List<EdifactDiagnostic>();
        if (document.CustomsErrors.Count > 0)
        {
            extra.Add(new EdifactDiagnostic(CliErrorCodes.NotCarried, EdifactSeverity.Warning,
                $"{document.CustomsErrors.Count} customs error(s) are not written: PortCustoms writes CUSRES without ERP/ERC.", default));
        }
        if (canonical.Count == 0)
        {
            return Result(false, FileFormat.Xml, extra, [], result.Findings);
        }
        var composition = _composer.Compose(canonical, options);
        var check = await EdifactDocument.ReadAsync(composition.Interchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        extra.AddRange(composition.Diagnostics.Concat(check.Validation.Diagnostics));
        if (composition.MessageCount == 0)
        {
            return Result(false, FileFormat.Xml, extra, [], result.Findings);
        }
        await output.WriteAsync(composition.Interchange, cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Xml, extra, [], result.Findings);
    }

    private async Task<(CanonicalDocument Document, FileTranslationResult? Errors)> ReadCanonicalAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await content.CopyToAsync(new BufferWriterStream(buffer), cancellationToken).ConfigureAwait(false);
        var canonical = CanonicalJson.Read(buffer.WrittenSpan, _codeLists);
        var jsonErrors = canonical.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        return (canonical, jsonErrors.Count > 0 ? new FileTranslationResult(false, FileFormat.Json, jsonErrors, [], PortCustomsCli.Findings) : null);
    }

    /// <summary>EDIFACT findings and XML findings in one result; counts from both (EDIFACT counts when given, else counted here).</summary>
    private static FileTranslationResult Result(bool written, FileFormat format, List<EdifactDiagnostic> edifact, IReadOnlyList<FindingCount> edifactCounts, XmlFindings xml)
    {
        var errors = edifact.Where(d => d.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From)
            .Concat(xml.Listed.Where(f => f.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From)).ToList();
        var warnings = edifact.Where(d => d.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From)
            .Concat(xml.Listed.Where(f => f.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From)).ToList();
        var counts = (edifactCounts.Count > 0 ? edifactCounts : edifact.GroupBy(d => (d.Code, d.Severity)).Select(g => new FindingCount(g.Key.Code, g.Key.Severity, g.Count(), g.Count())))
            .Concat(xml.Counts)
            .OrderBy(c => c.Code, StringComparer.Ordinal).ThenByDescending(c => c.Severity).ToList();
        return new FileTranslationResult(written, format, errors, warnings, errors.Count > 0 ? PortCustomsCli.Findings : PortCustomsCli.Success) { Counts = counts };
    }

    /// <summary>Hands the JSON writer's buffer to the output every 64 KB, so memory holds that and never the document.</summary>
    private sealed class FlushingJsonHandler(Utf8JsonWriter json) : WcoXmlHandler
    {
        private readonly CanonicalJsonXmlHandler _inner = new(json);

        public void Complete() => _inner.Complete();

        public override void OnMetadata(WcoXmlMessageKind kind, WcoMetadata metadata) => _inner.OnMetadata(kind, metadata);

        public override void OnDeclarationStart(CargoReportHeader header) => _inner.OnDeclarationStart(header);

        public override void OnConsignment(PortCustoms.Core.Manifests.ManifestConsignment consignment)
        {
            _inner.OnConsignment(consignment);
            FlushIfFull();
        }

        public override void OnTransportEquipment(PortCustoms.Core.Manifests.ManifestContainer container)
        {
            _inner.OnTransportEquipment(container);
            FlushIfFull();
        }

        public override void OnUnverifiedEquipment(PortCustoms.Core.Manifests.ManifestRejectedContainer container) => _inner.OnUnverifiedEquipment(container);

        public override void OnDeclarationEnd() => _inner.OnDeclarationEnd();

        public override void OnStatusEvent(PortCustoms.Core.Events.ContainerStatusEvent statusEvent)
        {
            _inner.OnStatusEvent(statusEvent);
            FlushIfFull();
        }

        public override void OnNotification(PortCustoms.Core.Customs.CustomsNotification notification) => _inner.OnNotification(notification);

        public override void OnCustomsError(string? reference, DateTimeOffset? issuedAt, CustomsResponseError customsError) => _inner.OnCustomsError(reference, issuedAt, customsError);

        private void FlushIfFull()
        {
            if (json.BytesPending > 64 * 1024)
            {
                json.Flush();
            }
        }
    }

    private static FileTranslationResult Result(bool written, FileFormat format, List<EdifactDiagnostic> findings)
    {
        var errors = findings.Where(d => d.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From).ToList();
        var warnings = findings.Where(d => d.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From).ToList();
        var counts = findings.GroupBy(d => (d.Code, d.Severity)).OrderBy(g => g.Key.Code, StringComparer.Ordinal).ThenByDescending(g => g.Key.Severity)
            .Select(g => new FindingCount(g.Key.Code, g.Key.Severity, g.Count(), g.Count())).ToList();
        return new FileTranslationResult(written, format, errors, warnings, errors.Count > 0 ? PortCustomsCli.Findings : PortCustomsCli.Success) { Counts = counts };
    }
}
