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

/// <summary>Whether output was written, and the findings; <see cref="ExitCode"/> per contracts/cli.md.</summary>
public sealed record FileTranslationResult(bool Written, FileFormat InputFormat, IReadOnlyList<FileDiagnostic> Errors, IReadOnlyList<FileDiagnostic> Warnings, int ExitCode)
{
    /// <summary>The exact count per code; <see cref="Errors"/> and <see cref="Warnings"/> list the first of each code only.</summary>
    public IReadOnlyList<FindingCount> Counts { get; init; } = [];
}

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

    /// <summary>Translates <paramref name="input"/> into <paramref name="output"/>; EDIFACT is read and written one message at a time.</summary>
    public async Task<FileTranslationResult> TranslateAsync(Stream input, Stream output, TranslationTarget target, EdifactInterchangeOptions? interchange = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (format, content) = await FileValidator.DetectAsync(input, cancellationToken).ConfigureAwait(false);
        if (target == TranslationTarget.Xml || format == FileFormat.Xml)
        {
            return Usage(format, CliErrorCodes.FormatNotSupported, "WCO XML is not supported yet: translate between EDIFACT and JSON.");
        }
        switch (format, target)
        {
            case (FileFormat.Edifact, TranslationTarget.Json):
                return await ToJsonAsync(content, output, cancellationToken).ConfigureAwait(false);
            case (FileFormat.Json, TranslationTarget.Edifact):
                return await ToEdifactAsync(content, output, interchange ?? new EdifactInterchangeOptions(), cancellationToken).ConfigureAwait(false);
            case (FileFormat.Edifact, TranslationTarget.Edifact):
            case (FileFormat.Json, TranslationTarget.Json):
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
                var translated = _translator.Translate(StructuredMessage.Create(message));
                CanonicalJson.WriteMessage(json, translated);
                foreach (var diagnostic in translated.Diagnostics)
                {
                    findings.Add(diagnostic);
                }
                if (json.BytesPending > 64 * 1024)
                {
                    json.Flush();
                }
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
        var canonical = CanonicalJson.Read(buffer.WrittenSpan);
        var jsonErrors = canonical.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        if (jsonErrors.Count > 0)
        {
            return new FileTranslationResult(false, FileFormat.Json, jsonErrors, [], PortCustomsCli.Findings);
        }
        var composition = _composer.Compose(canonical, options);
        var check = await EdifactDocument.ReadAsync(composition.Interchange, cancellationToken: cancellationToken).ConfigureAwait(false);
        var findings = composition.Diagnostics.Concat(check.Validation.Diagnostics).ToList();
        if (composition.MessageCount == 0)
        {
            return Result(false, FileFormat.Json, findings);
        }
        await output.WriteAsync(composition.Interchange, cancellationToken).ConfigureAwait(false);
        return Result(true, FileFormat.Json, findings);
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
