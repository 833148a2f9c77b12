using System.Buffers;
using System.Runtime.CompilerServices;

namespace PortCustoms.Edifact;

/// <summary>
/// A forward-only, allocation-free tokenizer for UN/EDIFACT (ISO 9735) over UTF-8/byte data, in the mould of
/// <see cref="System.Text.Json.Utf8JsonReader"/>. Values stay raw (<see cref="ValueSpan"/>) until asked for.
/// </summary>
/// <remarks>
/// <see cref="Read"/> returns false either at the end of the final block or when it needs more data; in the latter case it
/// has rolled back to the start of the incomplete token, so <see cref="BytesConsumed"/> and <see cref="CurrentState"/>
/// resume it on the next buffer. This file holds the single-span path; see the MultiSegment and TryGet partials.
/// </remarks>
public ref partial struct EdifactReader
{
    private const byte LineFeed = (byte)'\n';

    private ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private readonly bool _isMultiSegment;
    private readonly long _startOffset;
    private long _bufferOffset;
    private int _consumed;
    private EdifactReaderState _state;
    private long _tokenLine;
    private long _tokenOffset;

    // Multi-segment only (see EdifactReader.MultiSegment.cs).
    private ReadOnlySequence<byte> _sequence;
    private SequencePosition _currentPosition;
    private SequencePosition _nextPosition;
    private bool _isLastSegment;

    // TrySkipSegment's optional repertoire check (see EdifactReader.TrySkipSegment(SearchValues, out int)).
    private SearchValues<byte>? _skipAllowed;
    private int _firstInvalid;

    /// <summary>Starts or resumes reading <paramref name="data"/>.</summary>
    /// <param name="data">The bytes; when resuming, the bytes from the previous reader's <see cref="BytesConsumed"/> on.</param>
    /// <param name="isFinalBlock">Whether no data follows; if false, an incomplete token makes <see cref="Read"/> return false.</param>
    /// <param name="state">A fresh state, or the previous reader's <see cref="CurrentState"/>.</param>
    public EdifactReader(ReadOnlySpan<byte> data, bool isFinalBlock, EdifactReaderState state)
    {
        _buffer = data;
        _isFinalBlock = isFinalBlock;
        _state = state;
        _state.EnsureInitialized();
        _startOffset = _state._byteOffset;
        _bufferOffset = _startOffset;
        _tokenLine = _state._line;
        _tokenOffset = _startOffset;
    }

    /// <summary>Reads a whole interchange file held in memory.</summary>
    public EdifactReader(ReadOnlySpan<byte> data, EdifactReaderOptions options = default)
        : this(data, isFinalBlock: true, new EdifactReaderState(options))
    {
    }

    /// <summary>The type of the last token read.</summary>
    public readonly EdifactTokenType TokenType => _state._tokenType;

    /// <summary>The raw bytes of the last token: still escaped when <see cref="ValueIsEscaped"/>.</summary>
    public ReadOnlySpan<byte> ValueSpan { get; private set; }

    /// <summary>Whether <see cref="ValueSpan"/> contains release characters; <see cref="GetString"/> and <see cref="CopyUnescaped"/> remove them.</summary>
    public bool ValueIsEscaped { get; private set; }

    /// <summary>Whether no more data follows this buffer.</summary>
    public readonly bool IsFinalBlock => _isFinalBlock;

    /// <summary>The bytes consumed by this reader instance, to slice the unread rest when resuming.</summary>
    public readonly long BytesConsumed => _bufferOffset + _consumed - _startOffset;

    /// <summary>The state to resume from on the next buffer.</summary>
    public readonly EdifactReaderState CurrentState
    {
        get
        {
            EdifactReaderState state = _state;
            state._byteOffset = _bufferOffset + _consumed;
            return state;
        }
    }

    /// <summary>The delimiters in force.</summary>
    public readonly EdifactDelimiters Delimiters => _state._delimiters;

    /// <summary>The character set of the current interchange (from UNB S001).</summary>
    public readonly EdifactCharacterSet CharacterSet => _state._characterSet;

    /// <summary>Where the last token starts: line, byte offset, segment, element and component.</summary>
    public readonly EdifactPosition TokenPosition =>
        new(_tokenLine, _tokenOffset, _state._segment, _state._element, _state._component);

    /// <summary>The 1-based index in the interchange of the current segment (UNB is 1).</summary>
    public readonly int SegmentIndex => _state._segment;

    /// <summary>The 1-based position of the current element in its segment; 0 on the tag.</summary>
    public readonly int ElementIndex => _state._element;

    /// <summary>The 1-based position of the current component in its element; 0 on the tag.</summary>
    public readonly int ComponentIndex => _state._component;

    /// <summary>The 1-based occurrence of the current element (above 1 after a repetition separator).</summary>
    public readonly int RepetitionIndex => _state._repetition;

    /// <summary>How many byte-order marks were skipped after the first byte of the data, for the validator's finding.</summary>
    internal readonly int StrayByteOrderMarks => _state._strayByteOrderMarks;

    /// <summary>Line and byte offset of the last of <see cref="StrayByteOrderMarks"/>.</summary>
    internal readonly (long Line, long ByteOffset) StrayByteOrderMark => (_state._strayByteOrderMarkLine, _state._strayByteOrderMarkOffset);

    /// <summary>The 1-based line of the last token.</summary>
    public readonly long LineNumber => _tokenLine;

    /// <summary>Reads the next token.</summary>
    /// <returns>False at the end of the data, or when the final block has not been given and more data is needed.</returns>
    /// <exception cref="EdifactException">Syntax that cannot be tokenized: an unterminated or over-long segment, an unusable UNA.</exception>
    public bool Read() => _isMultiSegment ? ReadMultiSegment(skipSegment: false) : ReadSingleSegment(skipSegment: false);

    /// <summary>
    /// Skips the rest of the current segment without tokenizing its elements, and leaves the reader on its terminator.
    /// <see cref="ValueSpan"/> then holds the raw skipped bytes (delimiters included), e.g. for a character set check.
    /// </summary>
    /// <returns>False when more data is needed; the reader then stays where it was.</returns>
    public bool TrySkipSegment()
    {
        if (!_state._inSegment)
        {
            return true;
        }

        return _isMultiSegment ? ReadMultiSegment(skipSegment: true) : ReadSingleSegment(skipSegment: true);
    }

    /// <summary>
    /// <see cref="TrySkipSegment()"/> that also finds the first byte outside <paramref name="allowed"/> in the same pass:
    /// the validator's fast path. <paramref name="allowed"/> must not contain the terminator, release character or LF.
    /// </summary>
    /// <param name="allowed">The bytes that need no attention, or null for no check.</param>
    /// <param name="firstInvalid">The index in <see cref="ValueSpan"/> of the first byte outside the set, or -1.</param>
    internal bool TrySkipSegment(SearchValues<byte>? allowed, out int firstInvalid)
    {
        _skipAllowed = allowed;
        _firstInvalid = -1;
        bool skipped = TrySkipSegment();
        _skipAllowed = null;
        firstInvalid = _firstInvalid;
        return skipped;
    }

    private bool ReadSingleSegment(bool skipSegment) => ReadCore(_isFinalBlock, skipSegment) == ConsumeResult.Success;

    /// <summary>Reads one token from <see cref="_buffer"/>; commits nothing but inter-segment whitespace unless it succeeds.</summary>
    private ConsumeResult ReadCore(bool isFinal, bool skipSegment)
    {
        if (!_state._inSegment)
        {
            return ReadSegmentStart(isFinal);
        }

        int position = _consumed;
        ReadOnlySpan<byte> buffer = _buffer;
        if ((uint)position >= (uint)buffer.Length)
        {
            return NeedMoreData(isFinal, position);
        }

        if (skipSegment)
        {
            return SkipToSegmentEnd(position, isFinal);
        }

        byte delimiter = buffer[position];
        EdifactDelimiters delimiters = _state._delimiters;
        if (delimiter == delimiters.SegmentTerminator)
        {
            EndSegment(position, position + 1, default, escaped: false, lines: 0);
            return ConsumeResult.Success;
        }

        EdifactTokenType tokenType;
        if (delimiter == delimiters.ElementSeparator)
        {
            tokenType = EdifactTokenType.Element;
        }
        else if (delimiter == delimiters.ComponentSeparator)
        {
            tokenType = EdifactTokenType.Component;
        }
        else
        {
            // The only other byte a value or tag can stop on.
            tokenType = EdifactTokenType.Repetition;
        }

        return ReadValue(position + 1, tokenType, isFinal);
    }

    private ConsumeResult ReadValue(int start, EdifactTokenType tokenType, bool isFinal)
    {
        ReadOnlySpan<byte> buffer = _buffer;
        SearchValues<byte> stops = _state._valueStops!;
        byte release = _state._delimiters.ReleaseCharacter;
        bool lineFeedIsDelimiter = LineFeedIsDelimiter();
        int position = start;
        int lines = 0;
        bool escaped = false;
        while (true)
        {
            int index = buffer.Slice(position).IndexOfAny(stops);
            if (index < 0)
            {
                return NeedMoreData(isFinal, buffer.Length);
            }

            position += index;
            byte stop = buffer[position];
            if (stop == release && _state._delimiters.HasReleaseCharacter)
            {
                if (position + 1 >= buffer.Length)
                {
                    return NeedMoreData(isFinal, buffer.Length);
                }

                escaped = true;
                if (buffer[position + 1] == LineFeed)
                {
                    lines++;
                }

                position += 2;
                continue;
            }

            if (stop == LineFeed && !lineFeedIsDelimiter)
            {
                lines++;
                position++;
                continue;
            }

            break;
        }

        CheckSegmentLength(position);

        // Commit.
        _tokenLine = _state._line;
        _tokenOffset = _bufferOffset + start;
        _state._line += lines;
        switch (tokenType)
        {
            case EdifactTokenType.Element:
                _state._element++;
                _state._component = 1;
                _state._repetition = 1;
                break;
            case EdifactTokenType.Component:
                _state._component++;
                break;
            default:
                _state._repetition++;
                _state._component = 1;
                break;
        }

        _state._tokenType = tokenType;
        ValueSpan = buffer[start..position];
        ValueIsEscaped = escaped;
        _consumed = position;
        if (_state._inInterchangeHeader && _state._element == 1)
        {
            ReadSyntaxIdentifier();
        }

        return ConsumeResult.Success;
    }

    private ConsumeResult ReadSegmentStart(bool isFinal)
    {
        ReadOnlySpan<byte> buffer = _buffer;
        int position = _consumed;
        int lines = 0;

        // CR, LF and tabs between segments are tolerated, and so is a UTF-8 byte-order mark before UNA/UNB.
        while ((uint)position < (uint)buffer.Length)
        {
            byte b = buffer[position];
            if (b == LineFeed)
            {
                lines++;
                position++;
            }
            else if (b is (byte)'\r' or (byte)'\t')
            {
                position++;
            }
            else if (b == 0xEF && buffer.Length - position >= 3 && buffer[position + 1] == 0xBB && buffer[position + 2] == 0xBF)
            {
                if (_bufferOffset + position != 0)
                {
                    // A file may start with one; anywhere else it is noted, so the validator can report it.
                    _state._strayByteOrderMarks++;
                    _state._strayByteOrderMarkOffset = _bufferOffset + position;
                    _state._strayByteOrderMarkLine = _state._line + lines;
                }

                position += 3;
            }
            else
            {
                break;
            }
        }

        // Whitespace is not part of a token: commit it, so a pipe need not buffer blank lines.
        _consumed = position;
        _state._line += lines;
        if ((uint)(position + 3) < (uint)buffer.Length)
        {
            // Fast path: the usual three-character tag, not UNA or UNB (which change delimiters and counters).
            byte first = buffer[position];
            byte second = buffer[position + 1];
            byte third = buffer[position + 2];
            byte afterTag = buffer[position + 3];
            EdifactDelimiters current = _state._delimiters;
            bool serviceStringOrInterchange = first == (byte)'U' && second == (byte)'N' && third is (byte)'A' or (byte)'B';
            if (!serviceStringOrInterchange && IsTagCharacter(first) && IsTagCharacter(second) && IsTagCharacter(third)
                && (afterTag == current.ElementSeparator || afterTag == current.SegmentTerminator))
            {
                CommitSegmentTag(position, 3, isInterchangeHeader: false);
                return ConsumeResult.Success;
            }
        }

        int available = buffer.Length - position;
        if (available == 0)
        {
            return isFinal ? ConsumeResult.EndOfData : ConsumeResult.NeedMoreData;
        }

        if (available < 3 && !isFinal)
        {
            // Could be the start of a byte-order mark or of "UNA".
            return ConsumeResult.NeedMoreData;
        }

        ReadOnlySpan<byte> rest = buffer[position..];
        if (rest.StartsWith("UNA"u8))
        {
            return ReadServiceStringAdvice(position, isFinal);
        }

        if (!_state._serviceStringAdvicePending && rest.StartsWith("UNB"u8))
        {
            // An interchange without its own UNA uses the defaults, whatever the previous interchange declared.
            _state.SetDelimiters(_state._options.DefaultDelimiters);
        }

        EdifactDelimiters delimiters = _state._delimiters;
        int tagLength = rest.IndexOfAny(delimiters.ElementSeparator, delimiters.SegmentTerminator);
        if (tagLength < 0)
        {
            _state._segmentStart = _bufferOffset + position;
            return NeedMoreData(isFinal, buffer.Length);
        }

        ReadOnlySpan<byte> tag = rest[..tagLength];
        if (tagLength > _state._options.MaxSegmentLength)
        {
            _state._segmentStart = _bufferOffset + position;
            CheckSegmentLength(position + tagLength);
        }

        CommitSegmentTag(position, tagLength, tag.SequenceEqual("UNB"u8));
        return ConsumeResult.Success;
    }

    private void CommitSegmentTag(int position, int tagLength, bool isInterchangeHeader)
    {
        _tokenLine = _state._line;
        _tokenOffset = _bufferOffset + position;
        _state._segmentStart = _tokenOffset;
        _state._segmentLine = _tokenLine;
        if (isInterchangeHeader)
        {
            _state._segment = 1;
            _state._characterSet = EdifactCharacterSet.Unknown;
            _state._syntaxVersion = 0;
            _state._delimitersFromUna = _state._serviceStringAdvicePending;
            _state._serviceStringAdvicePending = false;
        }
        else
        {
            _state._segment++;
        }

        _state._inInterchangeHeader = isInterchangeHeader;
        _state._inSegment = true;
        _state._element = 0;
        _state._component = 0;
        _state._repetition = 0;
        _state._tokenType = EdifactTokenType.SegmentTag;
        ValueSpan = _buffer.Slice(position, tagLength);
        ValueIsEscaped = false;
        _consumed = position + tagLength;
    }

    private ConsumeResult ReadServiceStringAdvice(int position, bool isFinal)
    {
        const int Length = 9; // "UNA" and six service characters; the last is the segment terminator itself.
        if (_buffer.Length - position < Length)
        {
            if (isFinal)
            {
                ThrowHelper.ThrowEdifactException(ExceptionResource.ServiceStringAdviceTruncated, PositionAt(position));
            }

            return ConsumeResult.NeedMoreData;
        }

        ReadOnlySpan<byte> characters = _buffer.Slice(position + 3, 6);
        if (!EdifactDelimiters.TryParse(characters, out EdifactDelimiters delimiters))
        {
            ThrowHelper.ThrowEdifactException(ExceptionResource.ServiceStringAdviceInvalid, PositionAt(position));
        }

        _tokenLine = _state._line;
        _tokenOffset = _bufferOffset + position;
        _state.SetDelimiters(delimiters);
        _state._serviceStringAdvicePending = true;
        _state._element = 0;
        _state._component = 0;
        _state._tokenType = EdifactTokenType.ServiceStringAdvice;
        if (delimiters.SegmentTerminator == LineFeed)
        {
            _state._line++;
        }

        ValueSpan = characters;
        ValueIsEscaped = false;
        _consumed = position + Length;
        return ConsumeResult.Success;
    }

    private ConsumeResult SkipToSegmentEnd(int start, bool isFinal)
    {
        ReadOnlySpan<byte> buffer = _buffer;
        SearchValues<byte> stops = _state._segmentStops!;
        SearchValues<byte>? allowed = _skipAllowed;
        EdifactDelimiters delimiters = _state._delimiters;
        byte terminator = delimiters.SegmentTerminator;
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : terminator;
        int position = start;
        int lines = 0;
        int firstInvalid = -1;
        bool escaped = false;
        while (true)
        {
            // With a repertoire, one pass stops on the structural bytes and on bytes outside it.
            int index = allowed is null ? buffer.Slice(position).IndexOfAny(stops) : buffer.Slice(position).IndexOfAnyExcept(allowed);
            if (index < 0)
            {
                return NeedMoreData(isFinal, buffer.Length);
            }

            position += index;
            byte stop = buffer[position];
            if (stop == terminator)
            {
                break;
            }

            if (stop == release)
            {
                if (position + 1 >= buffer.Length)
                {
                    return NeedMoreData(isFinal, buffer.Length);
                }

                escaped = true;
                byte released = buffer[position + 1];
                if (released == LineFeed)
                {
                    lines++;
                }

                if (allowed is not null && released != terminator && released != release && !allowed.Contains(released))
                {
                    // A released byte must be in the repertoire too.
                    firstInvalid = position + 1 - start;
                    allowed = null;
                }

                position += 2;
                continue;
            }

            if (stop == LineFeed)
            {
                lines++;
            }

            if (allowed is not null)
            {
                // Outside the repertoire: note the first one, then look only for the end.
                firstInvalid = position - start;
                allowed = null;
            }

            position++;
        }

        CheckSegmentLength(position);
        _state._element = 0;
        _state._component = 0;
        _firstInvalid = firstInvalid;
        EndSegment(position, position + 1, buffer[start..position], escaped, lines);
        return ConsumeResult.Success;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndSegment(int terminatorPosition, int consumed, ReadOnlySpan<byte> value, bool escaped, int lines)
    {
        _state._line += lines;
        _tokenLine = _state._line;
        _tokenOffset = _bufferOffset + terminatorPosition;
        if (_state._delimiters.SegmentTerminator == LineFeed)
        {
            _state._line++;
        }

        _state._tokenType = EdifactTokenType.SegmentTerminator;
        _state._inSegment = false;
        _state._inInterchangeHeader = false;
        ValueSpan = value;
        ValueIsEscaped = escaped;
        _consumed = consumed;
    }

    private ConsumeResult NeedMoreData(bool isFinal, int scannedTo)
    {
        CheckSegmentLength(scannedTo);
        if (isFinal)
        {
            ThrowHelper.ThrowEdifactException(ExceptionResource.UnterminatedSegment, SegmentStartPosition());
        }

        return ConsumeResult.NeedMoreData;
    }

    /// <summary>The guard that keeps a missing terminator from swallowing the file (or a pipe's memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CheckSegmentLength(int scannedTo)
    {
        if (_bufferOffset + scannedTo - _state._segmentStart > _state._options.MaxSegmentLength)
        {
            ThrowSegmentTooLong();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowSegmentTooLong()
    {
        ThrowHelper.ThrowEdifactException(ExceptionResource.SegmentTooLong, SegmentStartPosition(), _state._options.MaxSegmentLength);
    }

    /// <summary>Where the segment being read starts: how far the tokenizer got inside it depends on how the data was split.</summary>
    private readonly EdifactPosition SegmentStartPosition() =>
        _state._inSegment
            ? new(_state._segmentLine, _state._segmentStart, _state._segment, 0, 0)
            : new(_state._line, _bufferOffset + _consumed, _state._segment + 1, 0, 0);

    private readonly EdifactPosition PositionAt(int position) =>
        _state._inSegment
            ? new(_state._line, _bufferOffset + position, _state._segment, _state._element, _state._component)
            : new(_state._line, _bufferOffset + position, _state._segment + 1, 0, 0); // the segment that was about to start

    // Delimiters are never letters or digits (see EdifactDelimiters.AreDistinct), so this cannot hide one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsTagCharacter(byte b) => (uint)(b - 'A') <= 'Z' - 'A' || (uint)(b - '0') <= 9;

    /// <summary>The bytes that end or interrupt a value (see <see cref="EdifactDelimiters.CreateValueStops"/>).</summary>
    internal readonly SearchValues<byte> ValueStops => _state._valueStops!;

    internal readonly bool LineFeedIsDelimiter()
    {
        EdifactDelimiters d = _state._delimiters;
        return d.SegmentTerminator == LineFeed || d.ElementSeparator == LineFeed || d.ComponentSeparator == LineFeed
            || (d.HasReleaseCharacter && d.ReleaseCharacter == LineFeed)
            || (d.HasRepetitionSeparator && d.RepetitionSeparator == LineFeed);
    }

    private void ReadSyntaxIdentifier()
    {
        // UNB S001: syntax identifier (0001) then syntax version number (0002).
        if (_state._component == 1 && _state._repetition == 1)
        {
            _state._characterSet = EdifactCharacterSets.FromSyntaxIdentifier(ValueSpan);
        }
        else if (_state._component == 2 && ValueSpan.Length == 1 && char.IsAsciiDigit((char)ValueSpan[0]))
        {
            _state._syntaxVersion = (byte)(ValueSpan[0] - '0');
            if (_state._syntaxVersion >= 4 && !_state._delimitersFromUna)
            {
                // ISO 9735-1 (version 4): without a UNA, '*' is the repetition separator, from the rest of UNB on.
                EdifactDelimiters current = _state._delimiters;
                if (!current.HasRepetitionSeparator && !IsServiceCharacter(EdifactDelimiters.Version4RepetitionSeparator, current))
                {
                    _state.SetDelimiters(current with { RepetitionSeparator = EdifactDelimiters.Version4RepetitionSeparator });
                }
            }
        }
    }

    private enum ConsumeResult : byte
    {
        Success,
        NeedMoreData,
        EndOfData,
    }
}
