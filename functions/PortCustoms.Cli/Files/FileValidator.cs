using System.Buffers;
using PortCustoms.Core.Translation;
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
    public bool Valid => Errors.Count == 0 && Format is FileFormat.Edifact or FileFormat.Json;
}

/// <summary>
/// The logic of <c>portcustoms validate</c>: detects the format, then EDIFACT goes through the whole engine
/// (syntax, envelopes strict or lenient, each message's structure, and the mapping's checks of container numbers, IMO
/// numbers, size-types and dates), JSON through the canonical readers. Streams: a file of any size is read once.
/// </summary>
public sealed class FileValidator
{
    private const int HeadLength = 512;

    private readonly EdifactTranslator _translator;

    public FileValidator(EdifactTranslator? translator = null) => _translator = translator ?? new EdifactTranslator();

    public async Task<FileValidationReport> ValidateAsync(string name, Stream stream, EdifactValidationMode mode = EdifactValidationMode.Strict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(stream);
        var (format, content) = await DetectAsync(stream, cancellationToken).ConfigureAwait(false);
        switch (format)
        {
            case FileFormat.Edifact:
                return await ValidateEdifactAsync(name, content, mode, cancellationToken).ConfigureAwait(false);
            case FileFormat.Json:
                return await ValidateJsonAsync(name, content, cancellationToken).ConfigureAwait(false);
            default:
                return new FileValidationReport(name, format, 0, 0,
                    [new FileDiagnostic(CliErrorCodes.FormatUnknown, "The content is neither EDIFACT (UNA/UNB), JSON nor XML.", 1, null, null, null)], []);
        }
    }

    /// <summary>Peeks at the first bytes and gives back a stream that still starts at the beginning.</summary>
    internal static async Task<(FileFormat Format, Stream Content)> DetectAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        var length = 0;
        int read;
        while (length < head.Length && (read = await stream.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        var format = FileFormats.Detect(head.AsSpan(0, length));
        return (format, new PrefixedStream(head.AsMemory(0, length), stream));
    }

    private async Task<FileValidationReport> ValidateEdifactAsync(string name, Stream content, EdifactValidationMode mode, CancellationToken cancellationToken)
    {
        var findings = new List<EdifactDiagnostic>();
        var validation = await new EdifactInterchangeValidator(new EdifactValidationOptions { Mode = mode })
            .ValidateAsync(content, (message, sink) =>
            {
                // Structure and mapping, one message at a time: memory holds one message, never the file.
                var structured = StructuredMessage.Create(message);
                var diagnostics = EdifactTranslator.SupportedTypes.Contains(structured.MessageType)
                    ? _translator.Translate(structured).Diagnostics
                    : structured.StructureDiagnostics;
                foreach (var diagnostic in diagnostics)
                {
                    sink.Add(diagnostic);
                }
            }, cancellationToken).ConfigureAwait(false);
        findings.AddRange(validation.Diagnostics);
        var errors = findings.Where(d => d.Severity == EdifactSeverity.Error).Select(FileDiagnostic.From).ToList();
        var warnings = findings.Where(d => d.Severity == EdifactSeverity.Warning).Select(FileDiagnostic.From).ToList();
        if (validation.DiagnosticsDropped > 0)
        {
            warnings.Add(new FileDiagnostic(CliErrorCodes.FindingsTruncated, $"{validation.DiagnosticsDropped} more findings were counted but not listed.", null, null, null, null));
        }
        return new FileValidationReport(name, FileFormat.Edifact, validation.InterchangeCount, validation.MessageCount, errors, warnings);
    }

    private static async Task<FileValidationReport> ValidateJsonAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await content.CopyToAsync(new BufferWriterStream(buffer), cancellationToken).ConfigureAwait(false);
        var document = CanonicalJson.Read(buffer.WrittenSpan);
        var errors = document.Errors
            .Select(e => new FileDiagnostic(e.Line > 0 ? CliErrorCodes.JsonSyntax : CliErrorCodes.JsonField, e.Message, e.Line > 0 ? e.Line : null, null, null, null, e.Path))
            .ToList();
        return new FileValidationReport(name, FileFormat.Json, 0, document.Count, errors, []);
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
}

/// <summary>A stream that replays bytes already read, then continues with the rest.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

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
        if (!_prefix.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
        return rest.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_prefix.IsEmpty)
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        return rest.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
