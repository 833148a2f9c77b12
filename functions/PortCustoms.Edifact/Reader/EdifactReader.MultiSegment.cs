using System.Buffers;

namespace PortCustoms.Edifact;

public ref partial struct EdifactReader
{
    /// <summary>Starts or resumes reading a multi-segment buffer, such as a <see cref="System.IO.Pipelines.PipeReader"/>'s.</summary>
    public EdifactReader(ReadOnlySequence<byte> data, bool isFinalBlock, EdifactReaderState state)
        : this(data.First.Span, isFinalBlock, state)
    {
        _sequence = data;
        _currentPosition = data.Start;
        if (data.IsSingleSegment)
        {
            _nextPosition = data.End;
            _isLastSegment = true;
            return;
        }

        _isMultiSegment = true;
        _nextPosition = data.Start;
        _sequence.TryGet(ref _nextPosition, out _);
        _isLastSegment = !HasNonEmptySegmentAfter(_nextPosition);
    }

    /// <summary>Reads a whole interchange held in a sequence.</summary>
    public EdifactReader(ReadOnlySequence<byte> data, EdifactReaderOptions options = default)
        : this(data, isFinalBlock: true, new EdifactReaderState(options))
    {
    }

    /// <summary>
    /// The position after the last token in the <see cref="ReadOnlySequence{T}"/> given to the constructor, for
    /// <see cref="System.IO.Pipelines.PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>. Use <see cref="BytesConsumed"/> with a span.
    /// </summary>
    public readonly SequencePosition Position =>
        _sequence.IsEmpty && !_isMultiSegment
            ? _sequence.GetPosition(0)
            : _sequence.GetPosition(_consumed, _currentPosition);

    private bool ReadMultiSegment(bool skipSegment)
    {
        while (true)
        {
            ConsumeResult result = ReadCore(_isFinalBlock && _isLastSegment, skipSegment);
            if (result == ConsumeResult.Success)
            {
                return true;
            }

            if (result == ConsumeResult.EndOfData || _isLastSegment)
            {
                return false;
            }

            if (_consumed == _buffer.Length)
            {
                // Only whitespace was left in this segment.
                MoveTo(_sequence.GetPosition(_consumed, _currentPosition), _bufferOffset + _consumed);
                continue;
            }

            return ReadAcrossSegments(skipSegment);
        }
    }

    /// <summary>
    /// Reads a token that crosses segment boundaries by copying it into one array, so <see cref="ValueSpan"/> stays one span.
    /// Unlike Utf8JsonReader's ValueSequence this allocates, but only once per boundary crossed, and callers keep one code path.
    /// </summary>
    private bool ReadAcrossSegments(bool skipSegment)
    {
        long tokenOffset = _bufferOffset + _consumed;
        SequencePosition tokenStart = _sequence.GetPosition(_consumed, _currentPosition);
        ReadOnlySequence<byte> rest = _sequence.Slice(tokenStart);
        ReadOnlySpan<byte> savedBuffer = _buffer;
        int savedConsumed = _consumed;
        long savedOffset = _bufferOffset;
        long want = Math.Max(256, 2L * (savedBuffer.Length - savedConsumed));
        while (true)
        {
            bool all = want >= rest.Length;
            var copy = new byte[all ? rest.Length : want];
            rest.Slice(0, copy.Length).CopyTo(copy);
            _buffer = copy;
            _consumed = 0;
            _bufferOffset = tokenOffset;
            ConsumeResult result = ReadCore(_isFinalBlock && all, skipSegment);
            if (result == ConsumeResult.Success || all)
            {
                // Whitespace may have been committed even without a token.
                MoveTo(rest.GetPosition(_consumed), tokenOffset + _consumed);
                return result == ConsumeResult.Success;
            }

            if (_consumed > 0)
            {
                // The copy began with whitespace, now committed; start again at the token itself.
                MoveTo(rest.GetPosition(_consumed), tokenOffset + _consumed);
                return ReadMultiSegment(skipSegment);
            }

            _buffer = savedBuffer;
            _consumed = savedConsumed;
            _bufferOffset = savedOffset;
            want *= 2;
        }
    }

    /// <summary>Makes the sequence from <paramref name="position"/> the current buffer.</summary>
    private void MoveTo(SequencePosition position, long absoluteOffset)
    {
        SequencePosition next = position;
        ReadOnlyMemory<byte> memory = default;
        SequencePosition start = position;
        while (_sequence.TryGet(ref next, out memory))
        {
            if (!memory.IsEmpty)
            {
                break;
            }

            start = next;
        }

        _currentPosition = memory.IsEmpty ? _sequence.End : start;
        _nextPosition = next;
        _buffer = memory.Span;
        _consumed = 0;
        _bufferOffset = absoluteOffset;
        _isLastSegment = memory.IsEmpty || !HasNonEmptySegmentAfter(next);
    }

    private readonly bool HasNonEmptySegmentAfter(SequencePosition position)
    {
        while (_sequence.TryGet(ref position, out ReadOnlyMemory<byte> memory))
        {
            if (!memory.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
