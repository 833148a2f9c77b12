using System.Buffers;

namespace PortCustoms.Edifact;

public ref partial struct EdifactReader
{
    /// <summary>
    /// The validator's bulk path: between segments, skips whole data segments of the current buffer in one tight loop
    /// (tag, body up to the terminator, the same repertoire check as <see cref="TrySkipSegment(SearchValues{byte}, out int)"/>),
    /// and stops before the first segment that needs a closer look: a service segment (UN*), an unusual tag, a byte
    /// outside the repertoire, a line feed or tab inside or before it, or one not complete in this buffer.
    /// </summary>
    /// <remarks>Per-token bookkeeping is what costs in a tokenizer; here it is paid once per run of segments.</remarks>
    /// <returns>How many segments were skipped; the reader then stands after the last one's terminator.</returns>
    internal int SkipDataSegments(SearchValues<byte>? allowed)
    {
        if (_state._inSegment)
        {
            return 0;
        }

        ReadOnlySpan<byte> buffer = _buffer;
        SearchValues<byte> stops = allowed ?? _state._segmentStops!;
        bool checking = allowed is not null;
        EdifactDelimiters delimiters = _state._delimiters;
        byte terminator = delimiters.SegmentTerminator;
        byte elementSeparator = delimiters.ElementSeparator;
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : terminator;
        int maxLength = _state._options.MaxSegmentLength;
        int committed = _consumed;
        int committedLines = 0;
        int lines = 0;
        int count = 0;
        int position = committed;
        while (true)
        {
            // Line breaks between segments.
            while ((uint)position < (uint)buffer.Length && buffer[position] is (byte)'\n' or (byte)'\r')
            {
                if (buffer[position] == LineFeed)
                {
                    lines++;
                }

                position++;
            }

            if (position + 4 > buffer.Length)
            {
                break;
            }

            byte first = buffer[position];
            byte second = buffer[position + 1];
            byte afterTag = buffer[position + 3];
            if ((first == (byte)'U' && second == (byte)'N') || !IsTagCharacter(first) || !IsTagCharacter(second)
                || !IsTagCharacter(buffer[position + 2]) || (afterTag != elementSeparator && afterTag != terminator))
            {
                break;
            }

            int end = position + 3;
            bool complete = false;
            while (true)
            {
                int index = checking ? buffer.Slice(end).IndexOfAnyExcept(stops) : buffer.Slice(end).IndexOfAny(stops);
                if (index < 0)
                {
                    break;
                }

                end += index;
                byte stop = buffer[end];
                if (stop == terminator)
                {
                    complete = true;
                    break;
                }

                if (stop != release || end + 1 >= buffer.Length || buffer[end + 1] == LineFeed)
                {
                    // A byte outside the repertoire, a line feed, or a release at the edge: the token path reports it.
                    break;
                }

                end += 2;
            }

            if (!complete || end - position > maxLength)
            {
                break;
            }

            position = end + 1;
            committed = position;
            committedLines = lines;
            count++;
        }

        if (count > 0)
        {
            _tokenLine = _state._line + committedLines;
            _tokenOffset = _bufferOffset + committed - 1;
            _state._line += committedLines;
            _state._segment += count;
            _state._element = 0;
            _state._component = 0;
            _state._tokenType = EdifactTokenType.SegmentTerminator;
            ValueSpan = default;
            ValueIsEscaped = false;
            _consumed = committed;
        }

        return count;
    }
}
