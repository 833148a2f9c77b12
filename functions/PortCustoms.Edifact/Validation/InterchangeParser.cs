using System.Buffers;
using System.Text;

namespace PortCustoms.Edifact;

/// <summary>
/// Drives an <see cref="EdifactReader"/> over successive buffers, feeds the <see cref="EnvelopeValidator"/>, checks the
/// character set, and (when asked) materialises one message at a time. Synchronous per buffer; the async loop is the caller's.
/// </summary>
internal sealed class InterchangeParser
{
    private readonly EdifactValidationOptions _options;
    private readonly DiagnosticSink _sink;
    private readonly EnvelopeValidator _envelope;
    private readonly bool _materializeMessages;
    private readonly Queue<EdifactMessage> _completed = new();
    private readonly List<EdifactSegment> _messageSegments = [];
    private readonly List<EdifactElement> _elements = [];
    private readonly List<string> _components = [];
    private readonly Dictionary<int, string> _tags = [];
    private readonly ValueBuffer _firstValue = new();
    private readonly ValueBuffer _secondValue = new();

    // Shared by every empty simple element; handed out only as IReadOnlyList<string>.
    private static readonly string[] EmptyComponents = [string.Empty];

    private EdifactReaderState _state;
    private bool _skipping;
    private bool _building;
    private EnvelopeKind _kind;
    private string _tag = string.Empty;
    private EdifactPosition _segmentPosition;
    private EdifactPosition _elementPosition;
    private int _elementIndex;
    private int _repetition;
    private bool _charsetReported;
    private bool _repertoireStale = true;
    private EdifactCharacterSet _repertoireFor;
    private EdifactDelimiters _repertoireDelimiters;
    private SearchValues<byte>? _allowedInValues;
    private SearchValues<byte>? _allowedWhenSkipping;
    private EdifactInterchangeHeader? _interchange;
    private EdifactGroupHeader? _group;
    private int _messageDiagnosticsStart;
    private int _messageIndex;
    private bool _ended;
    private EdifactPosition _messageHeader;
    private int _byteOrderMarksSeen;
    private bool _releaseReported;
    private bool _trailingSeparator;
    private bool _lastValueEmpty;
    private EdifactTokenType _lastValueType;
    private int _messageValues;
    private bool _messageRefused;

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

            if (!_materializeMessages && _envelope.InMessage && reader.TokenType == EdifactTokenType.SegmentTerminator
                && (!_options.CheckCharacterSet || reader.CharacterSet != EdifactCharacterSet.Unoy))
            {
                // Inside a message, runs of plain data segments only need counting (and the repertoire check).
                SearchValues<byte>? allowed = _repertoireStale ? AllowedWhenSkipping(ref reader) : _allowedWhenSkipping;
                bool latin1 = _options.CheckCharacterSet && reader.CharacterSet == EdifactCharacterSet.Unoc;
                _envelope.CountMessageSegments(reader.SkipDataSegments(allowed, latin1));
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
        }

        _segmentPosition = reader.TokenPosition;

        // UNH and UNT come once per message: the envelope takes their values as bytes, and only a message reader builds them.
        _building = _materializeMessages || _kind is not (EnvelopeKind.Unh or EnvelopeKind.Unt);
        _firstValue.Clear();
        _secondValue.Clear();
        if (_building)
        {
            _tag = TagString(tag);
            _elements.Clear();
            _elementIndex = 0;
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
            CompleteElement();
            _elementIndex = reader.ElementIndex;
            _repetition = reader.RepetitionIndex;
            _elementPosition = reader.TokenPosition;
        }

        _components.Add(raw.IsEmpty ? string.Empty : reader.GetString());
    }

    private void OnSegmentEnd(ref EdifactReader reader)
    {
        if (_trailingSeparator)
        {
            _trailingSeparator = false;
            _sink.Report(EdifactErrorCodes.TrailingSeparator, "A separator ends an element or the segment; ISO 9735 wants trailing separators suppressed.", reader.TokenPosition with { Element = 0, Component = 0 }, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
        }

        EdifactSegment? segment = null;
        if (_building)
        {
            CompleteElement();
            segment = new EdifactSegment(_tag, _segmentPosition, [.. _elements]);
            _building = false;
        }

        bool wasInMessage = _envelope.InMessage;
        switch (_kind)
        {
            case EnvelopeKind.None:
                if (segment is not null)
                {
                    _messageSegments.Add(segment);
                }

                return;
            case EnvelopeKind.Unh:
                _envelope.OnMessageHeader(_firstValue.Span, _segmentPosition);
                if (wasInMessage)
                {
                    FlushMessage(hasTrailer: false);
                }

                if (segment is not null)
                {
                    _messageSegments.Clear();
                    _messageSegments.Add(segment);
                }

                _messageHeader = _segmentPosition;
                _messageValues = 0;
                _messageRefused = false;

                // Findings raised by this UNH closing the previous message belong to that one.
                _messageDiagnosticsStart = _sink.Count;
                return;
            case EnvelopeKind.Unt:
                _envelope.OnMessageTrailer(_firstValue.Span, _secondValue.Span, _segmentPosition);
                if (wasInMessage && segment is not null)
                {
                    _messageSegments.Add(segment);
                    FlushMessage(hasTrailer: true);
                }

                return;
        }

        _envelope.OnEnvelopeSegment(segment!);
        switch (_kind)
        {
            case EnvelopeKind.Unb:
                // UNB sets the character set (and may reset the delimiters): look the repertoire up again.
                _repertoireStale = true;
                FlushMessage(hasTrailer: false);
                _interchange = new EdifactInterchangeHeader(segment!, reader.Delimiters, reader.CharacterSet);
                _group = null;
                break;
            case EnvelopeKind.Ung:
                FlushMessage(hasTrailer: false);
                _group = new EdifactGroupHeader(segment!);
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

    /// <summary>The tag as a string, shared between segments: a message reader sees the same few dozen tags millions of times.</summary>
    private string TagString(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 3)
        {
            return Encoding.Latin1.GetString(tag);
        }

        int key = (tag[0] << 16) | (tag[1] << 8) | tag[2];
        if (!_tags.TryGetValue(key, out string? text))
        {
            text = Encoding.Latin1.GetString(tag);
            if (_tags.Count < 4096)
            {
                _tags[key] = text;
            }
        }

        return text;
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

    private void CompleteElement()
    {
        if (_components.Count == 0)
        {
            return;
        }

        // Empty simple elements are the bulk of a hostile segment ("+++..."): they share one array.
        string[] components = _components is [{ Length: 0 }] ? EmptyComponents : [.. _components];
        _elements.Add(new EdifactElement(_elementIndex, _repetition, components, _elementPosition));
        _components.Clear();
    }

    /// <summary>
    /// Refuses the open message when it has passed a limit: memory is bounded by the options, never by the input.
    /// Its segments so far are dropped and the rest are skipped; envelope and syntax checks go on.
    /// </summary>
    private bool RefuseWhenTooLarge(EdifactPosition position)
    {
        string? limit =
            _messageSegments.Count >= _options.MaxMessageSegments ? $"{_options.MaxMessageSegments} segments"
            : position.ByteOffset - _messageHeader.ByteOffset >= _options.MaxMessageBytes ? $"{_options.MaxMessageBytes} bytes"
            : _messageValues >= _options.MaxMessageValues ? $"{_options.MaxMessageValues} data values"
            : null;
        if (limit is null)
        {
            return false;
        }

        _messageRefused = true;
        _messageSegments.Clear();
        _messageSegments.TrimExcess();
        _sink.ReportError(EdifactErrorCodes.MessageTooLarge, $"The message is larger than the limit of {limit} (at segment {position.Segment}): it is refused, its structure and content not read.", _messageHeader, null);
        return true;
    }

    private void FlushMessage(bool hasTrailer)
    {
        if (_messageRefused)
        {
            _messageRefused = false;
            _messageSegments.Clear();
            return;
        }

        if (_messageSegments.Count == 0)
        {
            return;
        }

        if (_materializeMessages)
        {
            _completed.Enqueue(new EdifactMessage(_interchange, _group, [.. _messageSegments], hasTrailer, _sink.Slice(_messageDiagnosticsStart), ++_messageIndex));
        }

        _messageSegments.Clear();
    }

    /// <summary>What the tokens before a skipped remainder and the remainder's raw bytes say about trailing separators and releases.</summary>
    private void CheckSkippedSeparators(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        EdifactDelimiters delimiters = reader.Delimiters;
        if (raw.IsEmpty)
        {
            _trailingSeparator |= _lastValueEmpty && _lastValueType is EdifactTokenType.Element or EdifactTokenType.Component;
            return;
        }

        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : delimiters.SegmentTerminator;
        byte last = raw[^1];
        if ((last == delimiters.ElementSeparator || last == delimiters.ComponentSeparator) && !IsReleased(raw, raw.Length - 1, release))
        {
            _trailingSeparator = true;
        }
        else if (raw[0] == delimiters.ElementSeparator && _lastValueType == EdifactTokenType.Component && _lastValueEmpty)
        {
            _trailingSeparator = true;
        }
        else
        {
            ReadOnlySpan<byte> componentThenElement = [delimiters.ComponentSeparator, delimiters.ElementSeparator];
            for (int from = 0, at; (at = raw[from..].IndexOf(componentThenElement)) >= 0; from += at + 1)
            {
                if (!IsReleased(raw, from + at, release))
                {
                    _trailingSeparator = true;
                    break;
                }
            }
        }

        if (reader.ValueIsEscaped && !_releaseReported)
        {
            CheckReleases(ref reader, raw, skipped: true);
        }
    }

    /// <summary>Whether the byte at <paramref name="index"/> follows an odd run of release characters.</summary>
    private static bool IsReleased(ReadOnlySpan<byte> raw, int index, byte release)
    {
        int run = 0;
        while (index - run - 1 >= 0 && raw[index - run - 1] == release)
        {
            run++;
        }

        return (run & 1) == 1;
    }

    /// <summary>A release character may only precede a service character (ISO 9735); one finding per segment.</summary>
    private void CheckReleases(ref EdifactReader reader, ReadOnlySpan<byte> raw, bool skipped)
    {
        EdifactDelimiters delimiters = reader.Delimiters;
        if (!delimiters.HasReleaseCharacter)
        {
            return;
        }

        for (int i = raw.IndexOf(delimiters.ReleaseCharacter); i >= 0 && i + 1 < raw.Length; i = NextRelease(raw, i + 2, delimiters.ReleaseCharacter))
        {
            if (EdifactReader.IsServiceCharacter(raw[i + 1], delimiters))
            {
                continue;
            }

            _releaseReported = true;
            EdifactPosition token = reader.TokenPosition;
            EdifactPosition position = skipped
                ? token with { Line = token.Line - raw[i..].Count((byte)'\n'), ByteOffset = token.ByteOffset - raw.Length + i, Element = 0, Component = 0 }
                : token with { Line = token.Line + raw[..i].Count((byte)'\n'), ByteOffset = token.ByteOffset + i, Element = 0, Component = 0 };
            _sink.Report(EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter, $"The release character precedes byte 0x{raw[i + 1]:X2}, which is not a service character: it was read as data.", position, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
            return;
        }

        static int NextRelease(ReadOnlySpan<byte> raw, int from, byte release)
        {
            if (from >= raw.Length)
            {
                return -1;
            }

            int next = raw[from..].IndexOf(release);
            return next < 0 ? -1 : from + next;
        }
    }

    private void CheckServiceStringAdvice(ref EdifactReader reader)
    {
        if (reader.StrayByteOrderMarks != _byteOrderMarksSeen)
        {
            ReportByteOrderMark(ref reader, reader.SegmentIndex + 1);
        }

        // UNA position 3: only comma or full stop may be the decimal mark.
        ReadOnlySpan<byte> advice = reader.ValueSpan;
        if (advice.Length == 6 && advice[2] is not ((byte)',' or (byte)'.'))
        {
            EdifactPosition position = reader.TokenPosition;
            _sink.Report(EdifactErrorCodes.DecimalMarkInvalid, $"UNA gives 0x{advice[2]:X2} as the decimal mark; only comma or full stop are allowed.", position with { ByteOffset = position.ByteOffset + 5, Segment = position.Segment + 1 }, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
        }
    }

    private void ReportByteOrderMark(ref EdifactReader reader, int segment)
    {
        _byteOrderMarksSeen = reader.StrayByteOrderMarks;
        (long line, long offset) = reader.StrayByteOrderMark;
        _sink.Report(EdifactErrorCodes.ByteOrderMarkInside, "A UTF-8 byte-order mark inside the data (only the first bytes of a file may hold one).", new EdifactPosition(line, offset, segment, 0, 0), EdifactSyntaxErrorCodes.InvalidCharacters);
    }

    private void CheckCharacters(ref EdifactReader reader, ReadOnlySpan<byte> raw)
    {
        if (_charsetReported || !_options.CheckCharacterSet)
        {
            return;
        }

        int invalid;
        if (reader.CharacterSet == EdifactCharacterSet.Unoy)
        {
            invalid = EdifactCharacterSets.IndexOfInvalid(raw, EdifactCharacterSet.Unoy);
        }
        else
        {
            Refresh(ref reader);
            invalid = _allowedInValues is null ? -1 : raw.IndexOfAnyExcept(_allowedInValues);
        }

        if (invalid >= 0)
        {
            ReportInvalidCharacter(ref reader, raw, invalid);
        }
    }

    private void ReportInvalidCharacter(ref EdifactReader reader, ReadOnlySpan<byte> raw, int invalid)
    {
        // One finding per segment is enough to reject it; more would only flood the report.
        _charsetReported = true;

        // A skipped segment's raw bytes end at its terminator; a value's start at the token. Either way, report the
        // line the byte is on.
        EdifactPosition token = reader.TokenPosition;
        EdifactPosition position = reader.TokenType == EdifactTokenType.SegmentTerminator
            ? token with { Line = token.Line - raw[invalid..].Count((byte)'\n'), ByteOffset = token.ByteOffset - raw.Length + invalid, Element = 0, Component = 0 }
            : token with { Line = token.Line + raw[..invalid].Count((byte)'\n'), ByteOffset = token.ByteOffset + invalid };
        _sink.Report(EdifactErrorCodes.InvalidCharacter, $"Byte 0x{raw[invalid]:X2} is outside the character set {reader.CharacterSet}.", position, EdifactSyntaxErrorCodes.InvalidCharacters);
    }

    private SearchValues<byte>? AllowedWhenSkipping(ref EdifactReader reader)
    {
        if (!_options.CheckCharacterSet)
        {
            return null;
        }

        Refresh(ref reader);
        return _allowedWhenSkipping;
    }

    private void Refresh(ref EdifactReader reader)
    {
        if (!_repertoireStale)
        {
            return;
        }

        _repertoireStale = false;
        EdifactDelimiters delimiters = reader.Delimiters;
        if (_allowedInValues is not null && reader.CharacterSet == _repertoireFor && delimiters == _repertoireDelimiters)
        {
            return;
        }

        _repertoireFor = reader.CharacterSet;
        _repertoireDelimiters = delimiters;
        _allowedInValues = EdifactCharacterSets.AllowedBytes(reader.CharacterSet, delimiters, structural: true);
        _allowedWhenSkipping = EdifactCharacterSets.AllowedBytes(reader.CharacterSet, delimiters, structural: false);
    }

    private static bool IsValidTag(ReadOnlySpan<byte> tag) =>
        tag.Length == 3 && IsTagCharacter(tag[0]) && IsTagCharacter(tag[1]) && IsTagCharacter(tag[2]);

    private static bool IsTagCharacter(byte b) => (uint)(b - 'A') <= 'Z' - 'A' || (uint)(b - '0') <= 9;

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
