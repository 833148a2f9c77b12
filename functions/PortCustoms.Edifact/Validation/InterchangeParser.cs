using System.Buffers;

namespace PortCustoms.Edifact;

/// <summary>
/// Drives an <see cref="EdifactReader"/> over successive buffers, feeds the <see cref="EnvelopeValidator"/>, checks the
/// character set, and (when asked) materialises one message at a time. Synchronous per buffer; the async loop is the caller's.
/// </summary>
/// <remarks>
/// Split by concern, as the reader is: this file drives the tokens and the envelope; <c>InterchangeParser.Messages.cs</c>
/// materialises messages, <c>InterchangeParser.ServiceCharacters.cs</c> holds the ISO 9735 service-character rules and
/// <c>InterchangeParser.CharacterSet.cs</c> the repertoire check.
/// </remarks>
internal sealed partial class InterchangeParser
{
    private readonly EdifactValidationOptions _options;
    private readonly DiagnosticSink _sink;
    private readonly EnvelopeValidator _envelope;
    private readonly bool _materializeMessages;
    private readonly ValueBuffer _firstValue = new();
    private readonly ValueBuffer _secondValue = new();

    private EdifactReaderState _state;
    private bool _skipping;

    // The segment being skipped is a message's data segment, split into the tables once skipped (tag length in bytes).
    private bool _splitting;
    private int _tagLength;
    private bool _building;
    private EnvelopeKind _kind;
    private EdifactPosition _segmentPosition;
    private EdifactInterchangeHeader? _interchange;
    private EdifactGroupHeader? _group;
    private int _messageDiagnosticsStart;
    private bool _ended;
    private EdifactPosition _messageHeader;

    public InterchangeParser(EdifactValidationOptions options, bool materializeMessages)
    {
        _options = options;
        _sink = new DiagnosticSink(options);
        _envelope = new EnvelopeValidator(_sink);
        _materializeMessages = materializeMessages;
        _state = new EdifactReaderState(options.ReaderOptions);
    }

    public DiagnosticSink Sink => _sink;

    public EnvelopeValidator Envelope => _envelope;

    public long BytesRead => _state.ByteOffset;

    public bool TryDequeue(out EdifactMessage message) => _completed.TryDequeue(out message!);

    /// <summary>Tokenizes as much of <paramref name="buffer"/> as forms whole tokens, or up to the end of a message.</summary>
    /// <param name="buffer">The data read so far and not consumed.</param>
    /// <param name="isFinalBlock">Whether no data follows.</param>
    /// <param name="paused">Whether it stopped at a completed message (when materialising) with data left to read:
    /// handing each message on at once keeps memory to one message and lets it die young.</param>
    /// <returns>Where the unread data starts, for the pipe's AdvanceTo.</returns>
    public SequencePosition Process(ReadOnlySequence<byte> buffer, bool isFinalBlock, out bool paused)
    {
        var reader = new EdifactReader(buffer, isFinalBlock, _state);
        paused = ProcessAndEnd(ref reader, isFinalBlock);
        return reader.Position;
    }

    /// <summary>Tokenizes as much of one span as forms whole tokens (or up to the end of a message, see the other overload).</summary>
    /// <returns>The bytes consumed; the rest must be given again, followed by more data.</returns>
    public int Process(ReadOnlySpan<byte> data, bool isFinalBlock, out bool paused)
    {
        var reader = new EdifactReader(data, isFinalBlock, _state);
        paused = ProcessAndEnd(ref reader, isFinalBlock);
        return checked((int)reader.BytesConsumed);
    }

    /// <summary>Tokenizes one whole in-memory block.</summary>
    public void ProcessFinal(ReadOnlySpan<byte> data)
    {
        var reader = new EdifactReader(data, isFinalBlock: true, _state);
        try
        {
            _ = Process(ref reader);
        }
        finally
        {
            _state = reader.CurrentState;
        }

        End();
    }

    /// <summary>Records a syntax error the tokenizer stopped on; stray text after UNZ is reported as such.</summary>
    public void ReportSyntaxError(EdifactException exception)
    {
        if (exception.Code == EdifactErrorCodes.UnterminatedSegment && !_envelope.InInterchange && _envelope.AfterInterchange)
        {
            _sink.Report(EdifactErrorCodes.TextAfterInterchange, "Data after the interchange trailer (UNZ).", exception.Position, EdifactSyntaxErrorCodes.InvalidOccurrenceOutsideMessage);
        }
        else
        {
            _sink.ReportError(exception.Code, exception.Message, exception.Position, exception.SyntaxErrorCode);
        }

        _ended = true;
    }

    /// <returns>True when it stopped early to hand on a completed message.</returns>
    /// <summary>Both overloads: tokenizes, keeps the reader's state for the next call, and ends at the final block.</summary>
    private bool ProcessAndEnd(ref EdifactReader reader, bool isFinalBlock)
    {
        bool paused;
        try
        {
            paused = Process(ref reader);
        }
        finally
        {
            _state = reader.CurrentState;
        }

        if (isFinalBlock && !paused)
        {
            End();
        }
        return paused;
    }

    private bool Process(ref EdifactReader reader)
    {
        while (true)
        {
            if (_completed.Count > 0)
            {
                return true;
            }

            if (_skipping)
            {
                SearchValues<byte>? allowed = _repertoireStale ? AllowedWhenSkipping(ref reader) : _allowedWhenSkipping;
                if (!reader.TrySkipSegment(allowed, out int firstInvalid))
                {
                    return false;
                }

                _skipping = false;
                if (_splitting)
                {
                    _splitting = false;
                    _messageValues += _messageBuilder.AddSegmentBody(reader.ValueSpan, _tagLength, reader.Delimiters, reader.ValueStops, reader.CharacterSet);
                }

                if (firstInvalid >= 0)
                {
                    ReportInvalidCharacter(ref reader, reader.ValueSpan, firstInvalid);
                }
                else if (reader.CharacterSet == EdifactCharacterSet.Unoy && _options.CheckCharacterSet)
                {
                    CheckCharacters(ref reader, reader.ValueSpan);
                }

                CheckSkippedSeparators(ref reader);
                OnSegmentEnd(ref reader);
                continue;
            }

            if (!_materializeMessages && reader.TokenType == EdifactTokenType.SegmentTerminator
                && (_envelope.InMessage || _envelope.AcceptsMessageHeader)
                && (!_options.CheckCharacterSet || reader.CharacterSet != EdifactCharacterSet.Unoy))
            {
                // Runs of plain data segments only need counting (and the repertoire check), and a UNH or UNT that
                // matches needs no more than the envelope's counts: the bulk path takes them, the rest comes here.
                SearchValues<byte>? allowed = _repertoireStale ? AllowedWhenSkipping(ref reader) : _allowedWhenSkipping;
                bool latin1 = _options.CheckCharacterSet && reader.CharacterSet == EdifactCharacterSet.Unoc;
                var run = new MessageRun
                {
                    InMessage = _envelope.InMessage,
                    MayOpen = _envelope.AcceptsMessageHeader,
                    Segments = _envelope.MessageSegments,
                    Reference = _envelope.MessageReference,
                };
                if (reader.SkipDataSegments(allowed, latin1, ref run) > 0)
                {
                    _envelope.OnMessageRun(in run);
                }
            }

            if (!reader.Read())
            {
                return false;
            }

            switch (reader.TokenType)
            {
                case EdifactTokenType.SegmentTag:
                    OnSegmentTag(ref reader);
                    break;
                case EdifactTokenType.Element:
                case EdifactTokenType.Component:
                case EdifactTokenType.Repetition:
                    OnValue(ref reader);
                    break;
                case EdifactTokenType.SegmentTerminator:
                    _trailingSeparator |= _lastValueEmpty && _lastValueType is EdifactTokenType.Element or EdifactTokenType.Component;
                    OnSegmentEnd(ref reader);
                    break;
                default:
                    CheckServiceStringAdvice(ref reader);
                    _repertoireStale = true;
                    _envelope.OnServiceStringAdvice(reader.TokenPosition);
                    FlushMessage(hasTrailer: false);
                    break;
            }
        }
    }

    private void OnSegmentTag(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> tag = reader.ValueSpan;
        _charsetReported = false;
        _releaseReported = false;
        _trailingSeparator = false;
        _lastValueEmpty = false;
        _lastValueType = EdifactTokenType.None;
        if (reader.StrayByteOrderMarks != _byteOrderMarksSeen)
        {
            ReportByteOrderMark(ref reader, reader.SegmentIndex);
        }

        if (!IsValidTag(tag))
        {
            _sink.Report(EdifactErrorCodes.InvalidSegmentTag, "A segment tag must be three upper-case letters or digits.", reader.TokenPosition, EdifactSyntaxErrorCodes.InvalidValue);
        }

        _kind = EnvelopeKindOf(tag);
        if (_kind == EnvelopeKind.None)
        {
            // Most segments: counted inside a message, else reported (the position is only built then).
            if (!_envelope.TryCountMessageSegment())
            {
                _envelope.OnDataSegment(reader.TokenPosition);
            }

            if (!_materializeMessages || !_envelope.InMessage)
            {
                // The fast path: the envelope needs nothing from data segments but their count.
                _skipping = true;
                return;
            }

            if (_messageRefused || RefuseWhenTooLarge(reader.TokenPosition))
            {
                // Past a limit the rest of the message is only counted and checked, like the fast path.
                _skipping = true;
                return;
            }

            if (!reader.LineFeedIsDelimiter())
            {
                // A message's data segment is skipped like the fast path's (the same checks and findings), then split
                // from its raw bytes into the tables in one pass: no token bookkeeping per value.
                _building = false;
                _splitting = true;
                _skipping = true;
                _tagLength = tag.Length;
                _messageBuilder.BeginSegment(TagString(tag), reader.TokenPosition);
                return;
            }
        }

        _segmentPosition = reader.TokenPosition;

        // UNH and UNT come once per message: the envelope takes their values as bytes, and only a message reader builds them.
        _building = _materializeMessages || _kind is not (EnvelopeKind.Unh or EnvelopeKind.Unt);
        _firstValue.Clear();
        _secondValue.Clear();
        if (_building)
        {
            _builder = _kind == EnvelopeKind.None ? _messageBuilder : _segmentBuilder;
            if (_kind != EnvelopeKind.None)
            {
                _segmentBuilder.Reset();
            }

            _builder.BeginSegment(TagString(tag), _segmentPosition);
        }
    }

    private void OnValue(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (!_charsetReported && _options.CheckCharacterSet)
        {
            CheckCharacters(ref reader, raw);
        }

        // "X:+" ends an element with a separator; "+'" and ":'" are caught at the terminator.
        _trailingSeparator |= reader.TokenType == EdifactTokenType.Element && _lastValueType == EdifactTokenType.Component && _lastValueEmpty;
        _lastValueEmpty = raw.IsEmpty;
        _lastValueType = reader.TokenType;
        if (reader.ValueIsEscaped && !_releaseReported)
        {
            CheckReleases(ref reader, raw, skipped: false);
        }

        if (_kind is EnvelopeKind.Unh or EnvelopeKind.Unt && reader.ComponentIndex == 1 && reader.RepetitionIndex == 1)
        {
            // UNH 0062 (element 1); UNT 0074 (element 1) and 0062 (element 2).
            if (reader.ElementIndex == 1)
            {
                _firstValue.Set(ref reader);
            }
            else if (reader.ElementIndex == 2)
            {
                _secondValue.Set(ref reader);
            }

            if (!_building && reader.ElementIndex == (_kind == EnvelopeKind.Unh ? 1 : 2))
            {
                // The envelope has what it needs from this segment: skip the rest (still checking its characters).
                _skipping = true;
            }
        }

        if (!_building)
        {
            return;
        }

        _messageValues++;
        if (reader.TokenType != EdifactTokenType.Component)
        {
            _builder.BeginElement(reader.ElementIndex, reader.RepetitionIndex, reader.TokenPosition);
        }

        _builder.AddComponent(ref reader);
    }

    private void OnSegmentEnd(ref EdifactReader reader)
    {
        if (_trailingSeparator)
        {
            _trailingSeparator = false;
            _sink.Report(EdifactErrorCodes.TrailingSeparator, "A separator ends an element or the segment; ISO 9735 wants trailing separators suppressed.", reader.TokenPosition with { Element = 0, Component = 0 }, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
        }

        bool built = _building;
        _building = false;
        bool wasInMessage = _envelope.InMessage;
        switch (_kind)
        {
            case EnvelopeKind.None:
                // A data segment is already in the message's tables.
                return;
            case EnvelopeKind.Unh:
                _envelope.OnMessageHeader(_firstValue.Span, _segmentPosition);
                if (wasInMessage)
                {
                    FlushMessage(hasTrailer: false);
                }

                if (built)
                {
                    _messageBuilder.Reset();
                    _messageBuilder.AppendSegment(_segmentBuilder);
                }

                _messageHeader = _segmentPosition;
                _messageValues = 0;
                _messageRefused = false;

                // Findings raised by this UNH closing the previous message belong to that one.
                _messageDiagnosticsStart = _sink.Count;
                return;
            case EnvelopeKind.Unt:
                _envelope.OnMessageTrailer(_firstValue.Span, _secondValue.Span, _segmentPosition);
                if (wasInMessage && built)
                {
                    _messageBuilder.AppendSegment(_segmentBuilder);
                    FlushMessage(hasTrailer: true);
                }

                return;
        }

        var segment = new EdifactSegment(_segmentBuilder.Build(), 0);

        _envelope.OnEnvelopeSegment(segment);
        switch (_kind)
        {
            case EnvelopeKind.Unb:
                // UNB sets the character set (and may reset the delimiters): look the repertoire up again.
                _repertoireStale = true;
                FlushMessage(hasTrailer: false);
                _interchange = new EdifactInterchangeHeader(segment, reader.Delimiters, reader.CharacterSet);
                _group = null;
                break;
            case EnvelopeKind.Ung:
                FlushMessage(hasTrailer: false);
                _group = new EdifactGroupHeader(segment);
                break;
            case EnvelopeKind.Une:
                FlushMessage(hasTrailer: false);
                _group = null;
                break;
            default:
                FlushMessage(hasTrailer: false);
                break;
        }
    }

    private static EnvelopeKind EnvelopeKindOf(ReadOnlySpan<byte> tag) => tag switch
    {
        [(byte)'U', (byte)'N', (byte)'B'] => EnvelopeKind.Unb,
        [(byte)'U', (byte)'N', (byte)'G'] => EnvelopeKind.Ung,
        [(byte)'U', (byte)'N', (byte)'H'] => EnvelopeKind.Unh,
        [(byte)'U', (byte)'N', (byte)'T'] => EnvelopeKind.Unt,
        [(byte)'U', (byte)'N', (byte)'E'] => EnvelopeKind.Une,
        [(byte)'U', (byte)'N', (byte)'Z'] => EnvelopeKind.Unz,
        _ => EnvelopeKind.None,
    };

    private void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var position = new EdifactPosition(_state.Line, _state.ByteOffset, _state.Segment + 1, 0, 0);
        _envelope.OnEnd(position);
        FlushMessage(hasTrailer: false);
    }

    private enum EnvelopeKind : byte
    {
        None,
        Unb,
        Ung,
        Unh,
        Unt,
        Une,
        Unz,
    }

    /// <summary>An unescaped value kept as bytes, reused from message to message.</summary>
    private sealed class ValueBuffer
    {
        private byte[] _bytes = new byte[32];
        private int _length;

        public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public void Set(ref EdifactReader reader)
        {
            if (reader.ValueSpan.Length > _bytes.Length)
            {
                _bytes = new byte[reader.ValueSpan.Length];
            }

            _length = reader.CopyUnescaped(_bytes);
        }
    }
}
