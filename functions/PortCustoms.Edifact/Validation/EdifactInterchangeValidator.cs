using System.Buffers;
using System.IO.Pipelines;

namespace PortCustoms.Edifact;

/// <summary>
/// Checks the syntax and envelopes of an EDIFACT file in one streaming pass: what <c>portcustoms validate</c> runs.
/// Never throws for bad input: syntax errors the tokenizer stops on become error diagnostics too.
/// </summary>
public class EdifactInterchangeValidator
{
    private readonly EdifactValidationOptions _options;

    public EdifactInterchangeValidator(EdifactValidationOptions? options = null) =>
        _options = options?.Clone() ?? new EdifactValidationOptions();

    /// <summary>For mocking.</summary>
    protected EdifactInterchangeValidator()
        : this(null)
    {
    }

    /// <summary>Validates <paramref name="stream"/> without keeping its messages (data segments are skipped, not tokenized).</summary>
    public virtual Task<EdifactValidationResult> ValidateAsync(Stream stream, CancellationToken cancellationToken = default) =>
        ValidateAsync(stream, validateMessage: null, cancellationToken);

    /// <summary>
    /// Validates <paramref name="stream"/> and hands each message to <paramref name="validateMessage"/>, e.g. the
    /// structure validator, which adds its own findings to the list it is given.
    /// </summary>
    public virtual async Task<EdifactValidationResult> ValidateAsync(
        Stream stream,
        Action<EdifactMessage, ICollection<EdifactDiagnostic>>? validateMessage,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // One array, refilled behind the unconsumed tail: the reader resumes across blocks from its state, so a stream
        // needs no pipe (whose multi-segment buffers cost a third of the throughput here).
        int minimum = Math.Max(_options.BufferSize, 2 * _options.ReaderOptions.MaxSegmentLength);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(minimum);
        var parser = new InterchangeParser(_options, materializeMessages: validateMessage is not null);
        var messageFindings = new FindingCollection(_options.MaxFindingsPerCode, _options.MaxDiagnostics);
        try
        {
            int start = 0;
            int filled = 0;
            bool final = false;
            bool paused = false;
            while (true)
            {
                if (!paused && !final)
                {
                    // Moved to the front only when more must be read: after each message (a pause) the parser goes
                    // on from where it stopped, so small messages never cost a copy of the buffer each.
                    buffer.AsSpan(start, filled - start).CopyTo(buffer);
                    filled -= start;
                    start = 0;
                    if (filled == buffer.Length)
                    {
                        // Only a token longer than the buffer gets here; the segment length guard bounds it.
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    filled += read;
                    final = read == 0;
                }

                int consumed;
                try
                {
                    consumed = parser.Process(buffer.AsSpan(start, filled - start), final, out paused);
                }
                catch (EdifactException e)
                {
                    parser.ReportSyntaxError(e);
                    HandOnMessages(parser, validateMessage, messageFindings);
                    break;
                }

                HandOnMessages(parser, validateMessage, messageFindings);
                if (final && !paused)
                {
                    break;
                }

                start += consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return CreateResult(parser, messageFindings);
    }

    /// <summary>Validates the data of <paramref name="reader"/>; the caller completes the pipe.</summary>
    public virtual async Task<EdifactValidationResult> ValidateAsync(
        PipeReader reader,
        Action<EdifactMessage, ICollection<EdifactDiagnostic>>? validateMessage = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var parser = new InterchangeParser(_options, materializeMessages: validateMessage is not null);
        var messageFindings = new FindingCollection(_options.MaxFindingsPerCode, _options.MaxDiagnostics);
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            System.Buffers.ReadOnlySequence<byte> buffer = result.Buffer;
            bool paused;
            try
            {
                SequencePosition consumed = parser.Process(buffer, result.IsCompleted, out paused);
                if (paused)
                {
                    reader.AdvanceTo(consumed);
                }
                else
                {
                    reader.AdvanceTo(consumed, buffer.End);
                }
            }
            catch (EdifactException e)
            {
                parser.ReportSyntaxError(e);
                reader.AdvanceTo(buffer.End);
                HandOnMessages(parser, validateMessage, messageFindings);
                break;
            }

            HandOnMessages(parser, validateMessage, messageFindings);

            if (!paused && (result.IsCompleted || result.IsCanceled))
            {
                break;
            }
        }

        return CreateResult(parser, messageFindings);
    }

    /// <summary>Validates an interchange held in memory.</summary>
    public virtual EdifactValidationResult Validate(ReadOnlySpan<byte> data)
    {
        var parser = new InterchangeParser(_options, materializeMessages: false);
        try
        {
            parser.ProcessFinal(data);
        }
        catch (EdifactException e)
        {
            parser.ReportSyntaxError(e);
        }

        return CreateResult(parser, null);
    }

    /// <summary>Validates a file.</summary>
    public virtual async Task<EdifactValidationResult> ValidateFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            return await ValidateAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void HandOnMessages(InterchangeParser parser, Action<EdifactMessage, ICollection<EdifactDiagnostic>>? validateMessage, FindingCollection findings)
    {
        while (parser.TryDequeue(out EdifactMessage message))
        {
            validateMessage!(message, findings);
        }
    }

    private EdifactValidationResult CreateResult(InterchangeParser parser, FindingCollection? messageFindings)
    {
        // Syntax and envelope findings, then structure and mapping ones: each layer capped per code, and the sum too.
        var all = new FindingCollection(_options.MaxFindingsPerCode, _options.MaxDiagnostics);
        all.AddFrom(parser.Sink.Findings);
        if (messageFindings is not null)
        {
            all.AddFrom(messageFindings);
        }

        // File order; a stable sort keeps each layer's own order for findings at the same offset.
        List<EdifactDiagnostic> diagnostics = [.. all.Listed.OrderBy(d => d.Position.ByteOffset)];
        EnvelopeValidator envelope = parser.Envelope;
        return new EdifactValidationResult(
            envelope.InterchangeCount, envelope.GroupCount, envelope.MessageCount, diagnostics, (int)Math.Min(all.Unlisted, int.MaxValue), parser.BytesRead, all.UnlistedErrors > 0, all.Counts);
    }
}
