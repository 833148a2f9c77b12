using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PortCustoms.Edifact;

public ref partial struct EdifactReader
{
    /// <summary>
    /// The validator's bulk path: between segments, skips whole data segments of the current buffer in one tight loop
    /// (tag, body up to the terminator, the same repertoire check as <see cref="TrySkipSegment(SearchValues{byte}, out int)"/>),
    /// and stops before the first segment that needs a closer look: UNA or an envelope segment (UNB, UNG, UNH, UNT, UNE, UNZ), an unusual tag, a byte
    /// outside the repertoire, a line feed or tab inside or before it, or one not complete in this buffer.
    /// </summary>
    /// <remarks>Per-token bookkeeping is what costs in a tokenizer; here it is paid once per run of segments.</remarks>
    /// <returns>How many segments were skipped; the reader then stands after the last one's terminator.</returns>
    /// <param name="allowed">The repertoire without terminator, release and LF (see TrySkipSegment), or null.</param>
    /// <param name="latin1">Whether the repertoire is ISO 8859-1 (UNOC): then it is checked by byte ranges, in vector registers.</param>
    internal int SkipDataSegments(SearchValues<byte>? allowed, bool latin1 = false)
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
            if ((first == (byte)'U' && second == (byte)'N' && buffer[position + 2] is (byte)'A' or (byte)'B' or (byte)'G' or (byte)'H' or (byte)'T' or (byte)'E' or (byte)'Z')
                || !IsTagCharacter(first) || !IsTagCharacter(second)
                || !IsTagCharacter(buffer[position + 2]) || (afterTag != elementSeparator && afterTag != terminator))
            {
                break;
            }

            int end = position + 3;
            bool complete = false;
            if ((latin1 || !checking) && Vector256.IsHardwareAccelerated)
            {
                complete = TryFindSegmentEnd(buffer, ref end, terminator, release, latin1);
            }
            else
            {
                complete = TryFindSegmentEndWithSearchValues(buffer, ref end, stops, checking, terminator, release);
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

    /// <summary>
    /// Finds the terminator from <paramref name="end"/> 32 bytes at a time: one load and a few compares per segment,
    /// instead of a SearchValues call, whose fixed cost dominates with 20-byte segments.
    /// </summary>
    /// <returns>True on the terminator; false on anything the token path must look at, or the end of the buffer.</returns>
    private static bool TryFindSegmentEnd(ReadOnlySpan<byte> buffer, ref int end, byte terminator, byte release, bool latin1)
    {
        ref byte start = ref MemoryMarshal.GetReference(buffer);
        Vector256<byte> terminators = Vector256.Create(terminator);
        Vector256<byte> releases = Vector256.Create(release);
        Vector256<byte> lineFeeds = Vector256.Create(LineFeed);
        Vector256<byte> space = Vector256.Create((byte)0x20);
        Vector256<byte> delete = Vector256.Create((byte)0x7F);
        Vector256<byte> noBreakSpace = Vector256.Create((byte)0xA0);
        while (true)
        {
            int index;
            if (end + Vector256<byte>.Count <= buffer.Length)
            {
                Vector256<byte> block = Vector256.LoadUnsafe(ref start, (nuint)end);
                Vector256<byte> hits = Vector256.Equals(block, terminators) | Vector256.Equals(block, releases) | Vector256.Equals(block, lineFeeds);
                if (latin1)
                {
                    // Outside ISO 8859-1 text: C0 controls (below 0x20), DEL and C1 controls (0x7F-0x9F).
                    hits |= Vector256.LessThan(block, space) | (Vector256.GreaterThanOrEqual(block, delete) & Vector256.LessThan(block, noBreakSpace));
                }

                uint bits = hits.ExtractMostSignificantBits();
                if (bits == 0)
                {
                    end += Vector256<byte>.Count;
                    continue;
                }

                index = BitOperations.TrailingZeroCount(bits);
            }
            else
            {
                index = IndexOfSegmentStopScalar(buffer[end..], terminator, release, latin1);
                if (index < 0)
                {
                    return false;
                }
            }

            end += index;
            byte stop = Unsafe.Add(ref start, end);
            if (stop == terminator)
            {
                return true;
            }

            if (stop != release || end + 1 >= buffer.Length || buffer[end + 1] == LineFeed)
            {
                return false;
            }

            end += 2;
        }
    }

    private static int IndexOfSegmentStopScalar(ReadOnlySpan<byte> rest, byte terminator, byte release, bool latin1)
    {
        for (int i = 0; i < rest.Length; i++)
        {
            byte b = rest[i];
            if (b == terminator || b == release || b == LineFeed || (latin1 && (b < 0x20 || (b >= 0x7F && b < 0xA0))))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryFindSegmentEndWithSearchValues(ReadOnlySpan<byte> buffer, ref int end, SearchValues<byte> stops, bool checking, byte terminator, byte release)
    {
        while (true)
        {
            int index = checking ? buffer.Slice(end).IndexOfAnyExcept(stops) : buffer.Slice(end).IndexOfAny(stops);
            if (index < 0)
            {
                return false;
            }

            end += index;
            byte stop = buffer[end];
            if (stop == terminator)
            {
                return true;
            }

            if (stop != release || end + 1 >= buffer.Length || buffer[end + 1] == LineFeed)
            {
                // A byte outside the repertoire, a line feed, or a release at the edge: the token path reports it.
                return false;
            }

            end += 2;
        }
    }
}
