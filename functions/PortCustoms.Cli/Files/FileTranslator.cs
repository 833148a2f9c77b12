using System.Buffers;
using System.Text.Json;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

/// <summary>The target of <c>portcustoms translate --to</c>.</summary>
public enum TranslationTarget : byte
{
    Json = 1,
    Edifact = 2,
    Xml = 3,
}

/// <summary>The output bytes (null when nothing could be produced) and the findings; <see cref="ExitCode"/> per contracts/cli.md.</summary>
public sealed record FileTranslationResult(byte[]? Output, FileFormat InputFormat, IReadOnlyList<FileDiagnostic> Errors, IReadOnlyList<FileDiagnostic> Warnings, int ExitCode);

/// <summary>
/// The logic of <c>portcustoms translate</c>: EDIFACT to the canonical JSON (contracts/cli.md), and canonical or
/// terminal JSON to one EDIFACT interchange. What the writer produced is read back through the engine, so an output
/// that breaks its published structure (a value too long for its element) is reported, never handed on silently.
/// </summary>
public sealed class FileTranslator
{
    private readonly EdifactTranslator _translator;
    private readonly EdifactComposer _composer;

    public FileTranslator(EdifactTranslator? translator = null, EdifactComposer? composer = null)
    {
        _translator = translator ?? new EdifactTranslator();
        _composer = composer ?? new EdifactComposer();
    }

    public async Task<FileTranslationResult> TranslateAsync(Stream input, TranslationTarget target, EdifactInterchangeOptions? interchange = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (format, content) = await FileValidator.DetectAsync(input, cancellationToken).ConfigureAwait(false);
        if (target == TranslationTarget.Xml || format == FileFormat.Xml)
        {
            return Usage(format, CliErrorCodes.FormatNotSupported, "WCO XML is not supported yet: translate between EDIFACT and JSON.");
        }
        switch (format, target)
        {
            case (FileFormat.Edifact, TranslationTarget.Json):
                return await ToJsonAsync(content, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Json, TranslationTarget.Edifact):
                return await ToEdifactAsync(content, interchange ?? new EdifactInterchangeOptions(), cancellationToken).ConfigureAwait(false);
            case (FileFormat.Edifact, TranslationTarget.Edifact):
            case (FileFormat.Json, TranslationTarget.Json):
                return Usage(format, CliErrorCodes.FormatNotSupported, $"The input is already {format.Name()}.");
            default:
                return new FileTranslationResult(null, format, [new FileDiagnostic(CliErrorCodes.FormatUnknown, "The content is neither EDIFACT (UNA/UNB), JSON nor XML.", 1, null, null, null)], [], PortCustomsCli.Findings);
        }
    }

    private static FileTranslationResult Usage(FileFormat format, string code, string message) =>
        new(null, format, [new FileDiagnostic(code, message, null, null, null, null)], [], PortCustomsCli.UsageOrFailure);

    private async Task<FileTranslationResult> ToJsonAsync(Stream content, CancellationToken cancellationToken)
    {
        var document = await EdifactDocument.ReadAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        var messages = document.Messages.Select(_translator.Translate).ToList();
        // Envelope and syntax findings from the document, structure and mapping findings from each message.
        var findings = document.Validation.Diagnostics
            .Where(d => !d.Code.StartsWith("EDI-STR-", StringComparison.Ordinal))
            .Concat(messages.SelectMany(m => m.Diagnostics))
            .OrderBy(d => d.Position.ByteOffset)
            .ToList();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            CanonicalJson.Write(writer, messages);
        }
        buffer.Write("\n"u8);
        return Result(buffer.WrittenSpan.ToArray(), FileFormat.Edifact, findings);
    }

    private async Task<FileTranslationResult> ToEdifactAsync(Stream content, EdifactInterchangeOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await content.CopyToAsync(new BufferWriterStream(buffer), cancellationToken).ConfigureAwait(false);
        var canonical = CanonicalJson.Read(buffer.WrittenSpan);
        var jsonErrors = canonical.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        if (jsonErrors.Count > 0)
        {
            return new FileTranslationResult(null, FileFormat.Json, jsonErrors, [], PortCustomsCli.Findings);
        }
        var composition = _composer.Compose(canonical, options);
        var check = await EdifactDocument.ReadAsync(composition.Interchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        var findings = composition.Diagnostics.Concat(check.Validation.Diagnostics).ToList();
        return Result(composition.MessageCount > 0 ? composition.Interchange : null, FileFormat.Json, findings);
    }

    private static FileTranslationResult Result(byte[]? output, FileFormat format, List<EdifactDiagnostic> findings)
    {
        var errors = findings.Where(d => d.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From).ToList();
        var warnings = findings.Where(d => d.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From).ToList();
        return new FileTranslationResult(output, format, errors, warnings, errors.Count > 0 ? PortCustomsCli.Findings : PortCustomsCli.Success);
    }
}
