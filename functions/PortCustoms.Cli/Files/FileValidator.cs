using System.Buffers;
using PortCustoms.Core.Batch;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

/// <summary>What <c>portcustoms validate</c> found in one file (the contract's <c>--format json</c> object).</summary>
public sealed record FileValidationReport(
    string File,
    FileFormat Format,
    int Interchanges,
    int Messages,
    IReadOnlyList<FileDiagnostic> Errors,
    IReadOnlyList<FileDiagnostic> Warnings)
{
    public bool Valid => Errors.Count == 0 && Format is FileFormat.Edifact or FileFormat.Json or FileFormat.Xml;

    /// <summary>
    /// The exact count per code and severity. <see cref="Errors"/> and <see cref="Warnings"/> list only the first
    /// <see cref="EdifactValidationOptions.MaxFindingsPerCode"/> of each code, so a report's size is bounded.
    /// </summary>
    public IReadOnlyList<FindingCount> Counts { get; init; } = [];
}

/// <summary>
/// The logic of <c>portcustoms validate</c>: detects the format, then EDIFACT goes through the whole engine
/// (syntax, envelopes strict or lenient, each message's structure, and the mapping's checks of container numbers, IMO
/// numbers, size-types and dates), JSON through the canonical readers, XML through the WCO XML reader (well-formedness,
/// DTDs refused, the document's schema, check digits; positions are line, column and XPath). Streams: a file of any
/// size is read once.
/// </summary>
public sealed class FileValidator
{
    private const int HeadLength = 512;

    private readonly EdifactTranslator _translator;
    private readonly CodeListService _codeLists;

    /// <param name="translator">The EDIFACT mappings (with <paramref name="codeLists"/> when null).</param>
    /// <param name="codeLists">The code lists codes are checked against (<c>--code-lists</c>); the shipped ones when null.</param>
    public FileValidator(EdifactTranslator? translator = null, CodeListService? codeLists = null)
    {
        _codeLists = codeLists ?? CodeListService.Shipped;
        _translator = translator ?? new EdifactTranslator { CodeLists = _codeLists };
    }

    public Task<FileValidationReport> ValidateAsync(string name, Stream stream, EdifactValidationMode mode = EdifactValidationMode.Strict, CancellationToken cancellationToken = default) =>
        ValidateAsync(name, stream, new EdifactValidationOptions { Mode = mode }, cancellationToken);

    /// <param name="name">The file name reported.</param>
    /// <param name="stream">The content.</param>
    /// <param name="options">Strict or lenient, the findings listed per code, the message size limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<FileValidationReport> ValidateAsync(string name, Stream stream, EdifactValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var (format, content, liveQueryRoot) = await DetectAsync(stream, cancellationToken).ConfigureAwait(false);
        switch (format)
        {
            case FileFormat.Xml when liveQueryRoot is not null:
                return await ValidateLiveQueryXmlAsync(name, content, liveQueryRoot, cancellationToken).ConfigureAwait(false);
            case FileFormat.Edifact:
                return await ValidateEdifactAsync(name, content, options, cancellationToken).ConfigureAwait(false);
            case FileFormat.Json:
                return await ValidateJsonAsync(name, content, _codeLists, cancellationToken).ConfigureAwait(false);
            case FileFormat.Xml:
                return ValidateXml(name, content, options, _codeLists);
            default:
                FileDiagnostic[] unknown = [new FileDiagnostic(CliErrorCodes.FormatUnknown, "The content is neither EDIFACT (UNA/UNB), JSON nor XML.", 1, null, null, null)];
                return new FileValidationReport(name, format, 0, 0, unknown, []) { Counts = CountsOf(unknown) };
        }
    }

    private static FindingCount[] CountsOf(IReadOnlyList<FileDiagnostic> errors) =>
        [.. errors.GroupBy(e => e.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new FindingCount(g.Key, EdifactSeverity.Error, g.Count(), g.Count()))];

    /// <summary>
    /// Peeks at the first bytes and gives back a stream that still starts at the beginning; for XML in the live
    /// query's namespace, its root (<c>StatusQuery</c> or <c>StatusAnswer</c>).
    /// </summary>
    internal static async Task<(FileFormat Format, Stream Content, string? LiveQueryRoot)> DetectAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        var length = 0;
        int read;
        while (length < head.Length && (read = await stream.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        var format = FileFormats.Detect(head.AsSpan(0, length));
        var liveQueryRoot = format == FileFormat.Xml ? WcoStatusQueryXml.RootOf(head.AsSpan(0, length)) : null;
        return (format, new PrefixedStream(head.AsMemory(0, length), stream), liveQueryRoot);
    }

    private async Task<FileValidationReport> ValidateEdifactAsync(string name, Stream content, EdifactValidationOptions options, CancellationToken cancellationToken)
    {
        Func<string, bool>? keeps = null;
        ICollection<EdifactDiagnostic>? keepsFor = null;
        var validation = await new EdifactInterchangeValidator(options)
            .ValidateAsync(content, (message, sink) =>
            {
                // Structure and mapping, one message at a time: memory holds one message, never the file; the sink
                // keeps the first findings of each code and counts the rest, so a text is formatted only for those it keeps.
                if (!ReferenceEquals(keepsFor, sink))
                {
                    keepsFor = sink;
                    keeps = sink is FindingCollection findings
                        ? code => findings.WouldList(code, EdifactSeverity.Error) || findings.WouldList(code, EdifactSeverity.Warning)
                        : null;
                }
                var structured = StructuredMessage.Create(message);
                var diagnostics = EdifactTranslator.SupportedTypes.Contains(structured.MessageType)
                    // A live query is checked as a query, not translated as a manifest.
                    ? _translator.TranslateLiveQuery(structured, cusresIsAnswer: false)?.Diagnostics ?? _translator.Check(structured, null, keeps)
                    : structured.StructureDiagnosticsFor(keeps);
                for (var i = 0; i < diagnostics.Count; i++)
                {
                    sink.Add(diagnostics[i]);
                }
                // Nothing kept reads the message (findings are copies): its tables go back to the pool for the next.
                message.Dispose();
            }, cancellationToken).ConfigureAwait(false);
        var errors = validation.Errors.Select(FileDiagnostic.From).ToList();
        var warnings = validation.Warnings.Select(FileDiagnostic.From).ToList();
        if (validation.DiagnosticsDropped > 0)
        {
            warnings.Add(new FileDiagnostic(CliErrorCodes.FindingsTruncated, $"{validation.DiagnosticsDropped} more findings were counted but not listed (see counts).", null, null, null, null));
        }
        return new FileValidationReport(name, FileFormat.Edifact, validation.InterchangeCount, validation.MessageCount, errors, warnings) { Counts = validation.FindingCounts };
    }

    private static FileValidationReport ValidateXml(string name, Stream content, EdifactValidationOptions options, CodeListService codeLists)
    {
        // XmlReader pulls synchronously: one pass, element by element, nothing but the current item held.
        var result = WcoXmlReader.Read(content, new ValidationOnly(), options.MaxFindingsPerCode, codeLists);
        var errors = result.Findings.Listed.Where(f => f.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From).ToList();
        var warnings = result.Findings.Listed.Where(f => f.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From).ToList();
        if (result.Findings.Total > result.Findings.Listed.Count)
        {
            warnings.Add(new FileDiagnostic(CliErrorCodes.FindingsTruncated, $"{result.Findings.Total - result.Findings.Listed.Count} more findings were counted but not listed (see counts).", null, null, null, null));
        }
        // A WCO XML file is one document ("interchanges" in the report's shape), holding declarations or responses.
        return new FileValidationReport(name, FileFormat.Xml, result.Kind == WcoXmlMessageKind.None ? 0 : 1, result.MessageCount, errors, warnings) { Counts = result.Findings.Counts };
    }

    /// <summary>Reading is the validation; nothing read is kept.</summary>
    private sealed class ValidationOnly : WcoXmlHandler
    {
    }

    private static async Task<FileValidationReport> ValidateJsonAsync(string name, Stream content, CodeListService codeLists, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await content.CopyToAsync(new BufferWriterStream(buffer), cancellationToken).ConfigureAwait(false);
        var document = CanonicalJson.Read(buffer.WrittenSpan, codeLists);
        var errors = document.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        return new FileValidationReport(name, FileFormat.Json, 0, document.Count + document.LiveQueryCount, errors, []) { Counts = CountsOf(errors) };
    }

    /// <summary>A live query or answer document (small: read whole), validated against status-query-1.xsd with positions.</summary>
    private static async Task<FileValidationReport> ValidateLiveQueryXmlAsync(string name, Stream content, string root, CancellationToken cancellationToken)
    {
        var body = await LiveQueryFiles.ReadAllAsync(content, cancellationToken).ConfigureAwait(false);
        bool valid;
        XmlFindings findings;
        if (root == WcoStatusQueryXml.QueryRoot)
        {
            var query = WcoStatusQueryXml.ReadQuery(body);
            (valid, findings) = (query.IsValid, query.Findings);
        }
        else
        {
            var answer = WcoStatusQueryXml.ReadAnswer(body);
            (valid, findings) = (answer.IsValid, answer.Findings);
        }
        var errors = findings.Listed.Where(f => f.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From).ToList();
        var warnings = findings.Listed.Where(f => f.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From).ToList();
        return new FileValidationReport(name, FileFormat.Xml, 1, valid ? 1 : 0, errors, warnings) { Counts = findings.Counts };
    }
}

/// <summary>Stable codes of findings the CLI itself reports (the engine's are EDI-*).</summary>
public static class CliErrorCodes
{
    public const string FormatUnknown = "FILE-FORMAT-UNKNOWN";
    public const string FormatNotSupported = "FILE-FORMAT-NOT-SUPPORTED";
    public const string FindingsTruncated = "FILE-FINDINGS-TRUNCATED";
    public const string JsonSyntax = "JSON-SYNTAX";
    public const string JsonField = "JSON-FIELD";
    public const string NotCarried = "FILE-NOT-CARRIED";
    public const string MixedMessages = "FILE-MIXED-MESSAGES";
}

/// <summary>Writes into an <see cref="IBufferWriter{T}"/>.</summary>
internal sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        output.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }
}

/// <summary>Reports the bytes read through it (the progress bar of <c>validate</c>).</summary>
internal sealed class ProgressStream(Stream inner, Action<int> read) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        read(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        read(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>UTF-8 bytes written through it arrive as text in a <see cref="TextWriter"/> (a test's writer, or a redirected one).</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var needed = _decoder.GetCharCount(buffer, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }
        var written = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, written);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        writer.Flush();
        return Task.CompletedTask;
    }
}
