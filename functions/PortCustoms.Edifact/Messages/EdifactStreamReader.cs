using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace PortCustoms.Edifact;

/// <summary>
/// Reads an EDIFACT file of any size one message at a time: memory holds the current buffer and message, never the file.
/// Envelope findings are collected in <see cref="Diagnostics"/> as the messages go by.
/// </summary>
public sealed class EdifactStreamReader : IAsyncDisposable
{
    private readonly PipeReader _pipe;
    private readonly bool _ownsPipe;
    private readonly InterchangeParser _parser;
    private bool _started;

    /// <summary>Reads <paramref name="stream"/> (seekable or not) from its current position.</summary>
    public EdifactStreamReader(Stream stream, EdifactValidationOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options = options?.Clone() ?? new EdifactValidationOptions();
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: options.BufferSize, minimumReadSize: Math.Min(options.BufferSize, 4096), leaveOpen: leaveOpen));
        _ownsPipe = true;
        _parser = new InterchangeParser(options, materializeMessages: true);
    }

    /// <summary>Reads from a pipe the caller owns (it is not completed on dispose).</summary>
    public EdifactStreamReader(PipeReader reader, EdifactValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _pipe = reader;
        _parser = new InterchangeParser(options?.Clone() ?? new EdifactValidationOptions(), materializeMessages: true);
    }

    /// <summary>Envelope and character set findings so far, in file order.</summary>
    public IReadOnlyList<EdifactDiagnostic> Diagnostics => _parser.Sink.Diagnostics;

    public int InterchangeCount => _parser.Envelope.InterchangeCount;

    public int MessageCount => _parser.Envelope.MessageCount;

    /// <summary>The messages in file order. Can be enumerated once.</summary>
    /// <exception cref="EdifactException">Syntax the tokenizer cannot continue past.</exception>
    public async IAsyncEnumerable<EdifactMessage> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The messages can be read once.");
        }

        _started = true;
        while (true)
        {
            ReadResult result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            System.Buffers.ReadOnlySequence<byte> buffer = result.Buffer;
            System.SequencePosition consumed = buffer.Start;
            bool advanced = false;
            try
            {
                while (true)
                {
                    consumed = _parser.Process(buffer, result.IsCompleted, out bool paused);
                    while (_parser.TryDequeue(out EdifactMessage message))
                    {
                        // A message holds copies of its values, never the pipe's memory: the buffer may stay unadvanced.
                        yield return message;
                    }

                    if (!paused)
                    {
                        advanced = true;
                        _pipe.AdvanceTo(consumed, buffer.End);
                        break;
                    }

                    // Stopped at a message with data left: go on in the same buffer (a pipe round trip per message,
                    // with its lock, cost a quarter of reading small messages).
                    buffer = buffer.Slice(consumed);
                }
            }
            finally
            {
                if (!advanced)
                {
                    // Left early (the caller stopped, or a syntax error): the caller's pipe stays usable.
                    _pipe.AdvanceTo(consumed);
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                yield break;
            }
        }
    }

    /// <summary>The counts and findings once every message has been read.</summary>
    public EdifactValidationResult GetResult()
    {
        FindingCollection findings = _parser.Sink.Findings;
        return new(_parser.Envelope.InterchangeCount, _parser.Envelope.GroupCount, _parser.Envelope.MessageCount, [.. findings.Listed], (int)Math.Min(findings.Unlisted, int.MaxValue), _parser.BytesRead, findings.UnlistedErrors > 0, findings.Counts);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsPipe)
        {
            await _pipe.CompleteAsync().ConfigureAwait(false);
        }
    }
}
