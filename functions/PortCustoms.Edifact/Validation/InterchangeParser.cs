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

    private EdifactReaderState _state;
    private bool _skipping;
    private bool _building;
    private bool _buildingEnvelope;
    private string _tag = string.Empty;
    private EdifactPosition _segmentPosition;
    private EdifactPosition _elementPosition;
    private int _elementIndex;
    private int _repetition;
    private bool _charsetReported;
    private EdifactCharacterSet _allowedFor;
    private EdifactDelimiters _allowedDelimiters;
    private SearchValues<byte>? _allowed;
    private EdifactInterchangeHeader? _interchange;
    private EdifactGroupHeader? _group;
    private int _messageDiagnosticsStart;
    private int _messageIndex;
    private bool _ended;

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

    /// <summary>Tokenizes as much of <paramref name="buffer"/> as forms whole tokens.</summary>
    /// <returns>Where the unread data starts, for the pipe's AdvanceTo.</returns>
    public SequencePosition Process(ReadOnlySequence<byte> buffer, bool isFinalBlock)
    {
        var reader = new EdifactReader(buffer, isFinalBlock, _state);
        try
        {
            Process(ref reader);
        }
        finally
        {
            _state = reader.CurrentState;
        }

        if (isFinalBlock)
        {
            End();
        }

        return reader.Position;
    }

    /// <summary>Tokenizes one whole in-memory block.</summary>
    public void ProcessFinal(ReadOnlySpan<byte> data)
    {
        var reader = new EdifactReader(data, isFinalBlock: true, _state);
        try
        {
            Process(ref reader);
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

    private void Process(ref EdifactReader reader)
    {
        while (true)
        {
            if (_skipping)
            {
                if (!reader.TrySkipSegment())
                {
                    return;
                }

                _skipping = false;
                CheckCharacters(ref reader, reader.ValueSpan, reader.TokenPosition.ByteOffset - reader.ValueSpan.Length);
                continue;
            }

            if (!reader.Read())
            {
                return;
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
                    OnSegmentEnd(ref reader);
                    break;
                default:
                    _envelope.OnServiceStringAdvice(reader.TokenPosition);
                    FlushMessage(hasTrailer: false);
                    break;
            }
        }
    }

    private void OnSegmentTag(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> tag = reader.ValueSpan;
        EdifactPosition position = reader.TokenPosition;
        _charsetReported = false;
        if (tag.Length != 3 || tag.ContainsAnyExcept(s_tagCharacters))
        {
            _sink.Report(EdifactErrorCodes.InvalidSegmentTag, "A segment tag must be three upper-case letters or digits.", position, EdifactSyntaxErrorCodes.InvalidValue);
        }

        bool envelope = EnvelopeValidator.IsEnvelopeTag(tag);
        if (!envelope)
        {
            _envelope.OnDataSegment(position);
            if (!_materializeMessages || !_envelope.InMessage)
            {
                // The fast path: the envelope needs nothing from data segments but their count.
                _skipping = true;
                return;
            }
        }

        _building = true;
        _buildingEnvelope = envelope;
        _tag = Encoding.ASCII.GetString(tag);
        _segmentPosition = position;
        _elements.Clear();
        _elementIndex = 0;
    }

    private void OnValue(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (!_charsetReported && _options.CheckCharacterSet)
        {
            CheckCharacters(ref reader, raw, reader.TokenPosition.ByteOffset);
        }

        if (!_building)
        {
            return;
        }

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
        if (!_building)
        {
            return;
        }

        CompleteElement();
        var segment = new EdifactSegment(_tag, _segmentPosition, [.. _elements]);
        _building = false;
        if (!_buildingEnvelope)
        {
            _messageSegments.Add(segment);
            return;
        }

        bool wasInMessage = _envelope.InMessage;
        _envelope.OnEnvelopeSegment(segment);
        switch (segment.Tag)
        {
            case "UNB":
                FlushMessage(hasTrailer: false);
                _interchange = new EdifactInterchangeHeader(segment, reader.Delimiters, reader.CharacterSet);
                _group = null;
                break;
            case "UNG":
                FlushMessage(hasTrailer: false);
                _group = new EdifactGroupHeader(segment);
                break;
            case "UNH":
                if (wasInMessage)
                {
                    FlushMessage(hasTrailer: false);
                }

                _messageSegments.Clear();
                _messageSegments.Add(segment);

                // Findings raised by this UNH closing the previous message belong to that one.
                _messageDiagnosticsStart = _sink.Count;
                break;
            case "UNT":
                if (wasInMessage)
                {
                    _messageSegments.Add(segment);
                    FlushMessage(hasTrailer: true);
                }

                break;
            default:
                FlushMessage(hasTrailer: false);
                if (segment.Tag == "UNE")
                {
                    _group = null;
                }

                break;
        }
    }

    private void CompleteElement()
    {
        if (_components.Count == 0)
        {
            return;
        }

        _elements.Add(new EdifactElement(_elementIndex, _repetition, [.. _components], _elementPosition));
        _components.Clear();
    }

    private void FlushMessage(bool hasTrailer)
    {
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

    private void CheckCharacters(ref EdifactReader reader, ReadOnlySpan<byte> raw, long rawOffset)
    {
        if (_charsetReported || !_options.CheckCharacterSet)
        {
            return;
        }

        EdifactCharacterSet characterSet = reader.CharacterSet;
        int invalid;
        if (characterSet == EdifactCharacterSet.Unoy)
        {
            invalid = EdifactCharacterSets.IndexOfInvalid(raw, characterSet);
        }
        else
        {
            SearchValues<byte>? allowed = AllowedBytes(characterSet, reader.Delimiters);
            invalid = allowed is null ? -1 : raw.IndexOfAnyExcept(allowed);
        }

        if (invalid < 0)
        {
            return;
        }

        // One finding per segment is enough to reject it; more would only flood the report.
        _charsetReported = true;
        EdifactPosition position = reader.TokenType == EdifactTokenType.SegmentTerminator
            ? reader.TokenPosition with { Element = 0, Component = 0, ByteOffset = rawOffset + invalid }
            : reader.TokenPosition with { ByteOffset = rawOffset + invalid };
        _sink.Report(EdifactErrorCodes.InvalidCharacter, $"Byte 0x{raw[invalid]:X2} is outside the character set {characterSet}.", position, EdifactSyntaxErrorCodes.InvalidCharacters);
    }

    private SearchValues<byte>? AllowedBytes(EdifactCharacterSet characterSet, EdifactDelimiters delimiters)
    {
        if (characterSet != _allowedFor || delimiters != _allowedDelimiters)
        {
            _allowed = EdifactCharacterSets.AllowedBytes(characterSet, delimiters);
            _allowedFor = characterSet;
            _allowedDelimiters = delimiters;
        }

        return _allowed;
    }

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

    private static readonly SearchValues<byte> s_tagCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"u8);
}
