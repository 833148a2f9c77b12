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
    /// and stops before the first segment that needs a closer look: UNA or an envelope segment (UNB, UNG, UNE, UNZ),
    /// an unusual tag, a byte outside the repertoire, a line feed inside it or a tab before it, or a segment not
    /// complete in this buffer. The vectorized loop also takes UNH and UNT that raise no envelope finding (see
    /// <see cref="MessageRun"/>); any other UNH or UNT, or a data segment outside a message, stops it too.
    /// </summary>
    /// <remarks>Per-token bookkeeping is what costs in a tokenizer; here it is paid once per run of segments.</remarks>
    /// <returns>How many segments were skipped; the reader then stands after the last one's terminator.</returns>
    /// <param name="allowed">The repertoire without terminator, release and LF (see TrySkipSegment), or null.</param>
    /// <param name="latin1">Whether the repertoire is ISO 8859-1 (UNOC): then it is checked by byte ranges, in vector registers.</param>
    /// <param name="run">The envelope's open message in, the messages opened and closed out.</param>
    internal int SkipDataSegments(SearchValues<byte>? allowed, bool latin1, ref MessageRun run)
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
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : terminator;
        int maxLength = _state._options.MaxSegmentLength;
        int committed = _consumed;
        int committedLines = 0;
        int lines = 0;
        int count = 0;
        int position = committed;
        bool vectorized = (latin1 || !checking) && Vector256.IsHardwareAccelerated;
        if (vectorized)
        {
            count = SkipDataSegmentsVectorized(buffer, position, latin1, maxLength, ref run, out committed, out committedLines);
        }

        while (!vectorized && run.InMessage)
        {
            if (StartSegment(buffer, ref position, ref lines, delimiters) != SegmentStart.Data)
            {
                break;
            }

            int end = position + 3;
            bool complete = TryFindSegmentEndWithSearchValues(buffer, ref end, stops, checking, delimiters);

            if (!complete || end - position > maxLength || HasTrailingSeparator(buffer[(position + 3)..end], delimiters))
            {
                break;
            }

            if (terminator == LineFeed)
            {
                lines++; // a line-feed terminator ends a line too
            }

            position = end + 1;
            committed = position;
            committedLines = lines;
            count++;
            run.Segments++;
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
    /// The same walk as the per-segment loop, but over 32-byte blocks: one load and compare finds every terminator,
    /// release character, line feed and (UNOC) control byte of the block, and the set bits are walked in order, as the
    /// separator scan does. Per segment only the tag is checked byte by byte.
    /// </summary>
    /// <remarks>
    /// Trailing separators (ISO 9735 wants them suppressed) cost no second load: the separators' bit masks of the block,
    /// shifted by one, give ":+" (flagged at the ':', a stop for the token path to judge) and "+'" / ":'" (flagged at
    /// the terminator, read there from the mask), with the last byte's bit carried into the next block.
    /// UNH and UNT are walked like data segments (same checks); their values are read where they start, and a UNT is
    /// taken only when its count and reference match, so the envelope's findings all stay with the token path.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one hot loop: full optimization at once, the same in every caller
    private readonly int SkipDataSegmentsVectorized(ReadOnlySpan<byte> buffer, int position, bool latin1, int maxLength, ref MessageRun run, out int committed, out int committedLines)
    {
        EdifactDelimiters delimiters = _state._delimiters;
        byte terminator = delimiters.SegmentTerminator;
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : terminator;
        byte elementSeparator = delimiters.ElementSeparator;
        ref byte start = ref MemoryMarshal.GetReference(buffer);
        Vector256<byte> terminators = Vector256.Create(terminator);
        Vector256<byte> releases = Vector256.Create(release);
        Vector256<byte> lineFeeds = Vector256.Create(LineFeed);
        Vector256<byte> space = Vector256.Create((byte)0x20);
        Vector256<byte> delete = Vector256.Create((byte)0x7F);
        Vector256<byte> noBreakSpace = Vector256.Create((byte)0xA0);
        Vector256<byte> elementSeparators = Vector256.Create(elementSeparator);
        Vector256<byte> componentSeparators = Vector256.Create(delimiters.ComponentSeparator);
        committed = position;
        committedLines = 0;
        int lines = 0;
        int count = 0;
        SegmentStart kind = StartSegment(buffer, ref position, ref lines, delimiters);
        if (!Admits(kind, buffer, position, delimiters, ref run, out Range value))
        {
            return 0;
        }

        int segmentLines = lines;
        int segmentStart = position;
        int skipUntil = position + 3; // bits before this are whitespace, the tag, or a released byte
        int scanFrom = skipUntil;
        uint separatorBefore = 0; // bit 0: the byte before the block is a separator (the one before the first is a tag letter)
        // One byte more than the block: ":+" looks at the successor of the block's last byte.
        while (scanFrom + Vector256<byte>.Count < buffer.Length)
        {
            Vector256<byte> block = Vector256.LoadUnsafe(ref start, (nuint)scanFrom);
            uint terminatorBits = Vector256.Equals(block, terminators).ExtractMostSignificantBits();
            uint componentBits = Vector256.Equals(block, componentSeparators).ExtractMostSignificantBits();
            uint elementBits = Vector256.Equals(block, elementSeparators).ExtractMostSignificantBits();
            Vector256<byte> hits = Vector256.Equals(block, releases) | Vector256.Equals(block, lineFeeds);
            if (latin1)
            {
                // Outside ISO 8859-1 text: C0 controls (below 0x20), DEL and C1 controls (0x7F-0x9F).
                hits |= Vector256.LessThan(block, space) | (Vector256.GreaterThanOrEqual(block, delete) & Vector256.LessThan(block, noBreakSpace));
            }

            // ":+" (a trailing component separator inside an element), flagged at the ':': rare, a stop for the token
            // path to judge unless the ':' is released. "+'" and ":'" are flagged at the terminator, judged there.
            uint elementNext = (elementBits >> 1) | (Unsafe.Add(ref start, scanFrom + Vector256<byte>.Count) == elementSeparator ? 0x8000_0000u : 0u);
            uint separatorBits = componentBits | elementBits;
            uint trailing = terminatorBits & ((separatorBits << 1) | separatorBefore);
            separatorBefore = separatorBits >> 31;
            uint bits = hits.ExtractMostSignificantBits() | terminatorBits | (componentBits & elementNext);
            while (bits != 0)
            {
                uint lowest = bits & (0u - bits);
                int at = scanFrom + BitOperations.TrailingZeroCount(bits);
                bits ^= lowest;
                if (at < skipUntil)
                {
                    continue;
                }

                byte stop = Unsafe.Add(ref start, at);
                if (stop == terminator)
                {
                    if (at - segmentStart > maxLength)
                    {
                        return count; // the token path throws the length guard
                    }

                    if ((trailing & lowest) != 0 && at - 1 >= skipUntil)
                    {
                        return count; // a trailing separator, unless released: the token path judges
                    }

                    count++;
                    if (terminator == LineFeed)
                    {
                        lines++; // a line-feed terminator ends a line too
                    }

                    committed = at + 1;
                    committedLines = lines;
                    if (kind == SegmentStart.Data)
                    {
                        run.Segments++;
                    }
                    else
                    {
                        CommitEnvelopeSegment(kind, buffer, value, segmentStart, segmentLines, count, ref run);
                    }

                    int next = at + 1;
                    kind = StartSegment(buffer, ref next, ref lines, delimiters);
                    if (!Admits(kind, buffer, next, delimiters, ref run, out value))
                    {
                        return count;
                    }

                    segmentLines = lines;
                    segmentStart = next;
                    skipUntil = next + 3;
                    bits = DropBitsBefore(bits, skipUntil - scanFrom); // the line feed after the terminator, the tag
                    continue;
                }

                if (stop == release && at + 1 < buffer.Length && IsPlainReleased(Unsafe.Add(ref start, at + 1), delimiters, latin1))
                {
                    skipUntil = at + 2;
                    bits = DropBitsBefore(bits, skipUntil - scanFrom);
                    continue;
                }

                // A line feed, a byte outside the repertoire, a trailing separator or a release before a byte that
                // needs none, inside a segment: the token path reports it.
                return count;
            }

            scanFrom += Vector256<byte>.Count;
        }

        return count;
    }

    /// <summary>The bits at <paramref name="offset"/> and after (none when it is past the block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint DropBitsBefore(uint bits, int offset) => offset >= 32 ? 0 : bits & (uint.MaxValue << offset);

    /// <summary>Whether a released byte needs no closer look: a service character (the release makes it data).</summary>
    /// <remarks>Anything else after a release is an ISO 9735 error the token path reports; line feeds and control bytes included.</remarks>
    private static bool IsPlainReleased(byte released, EdifactDelimiters delimiters, bool latin1) =>
        IsServiceCharacter(released, delimiters) && (!latin1 || released >= 0x20);

    /// <summary>The bytes a release character may precede: the separators, the terminator and itself.</summary>
    internal static bool IsServiceCharacter(byte b, EdifactDelimiters delimiters) =>
        b == delimiters.ElementSeparator || b == delimiters.ComponentSeparator || b == delimiters.SegmentTerminator
        || b == delimiters.ReleaseCharacter || (delimiters.HasRepetitionSeparator && b == delimiters.RepetitionSeparator);

    /// <summary>What starts after the line breaks at a position: a plain data segment, UNH, UNT, or something the token path reads.</summary>
    private enum SegmentStart : byte
    {
        Stop,
        Data,
        MessageHeader,
        MessageTrailer,
    }

    /// <summary>Skips line breaks and says which segment starts there: a usual tag followed by a separator or terminator, else a stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SegmentStart StartSegment(ReadOnlySpan<byte> buffer, ref int position, ref int lines, EdifactDelimiters delimiters)
    {
        ref byte start = ref MemoryMarshal.GetReference(buffer);
        int at = position;
        int end = buffer.Length;
        while (at < end)
        {
            byte b = Unsafe.Add(ref start, at);
            if (b == LineFeed)
            {
                lines++;
            }
            else if (b != (byte)'\r')
            {
                break;
            }

            at++;
        }

        position = at;
        if (at + 4 > end)
        {
            return SegmentStart.Stop;
        }

        byte afterTag = Unsafe.Add(ref start, at + 3);
        if (afterTag != delimiters.ElementSeparator && afterTag != delimiters.SegmentTerminator)
        {
            return SegmentStart.Stop;
        }

        byte first = Unsafe.Add(ref start, at);
        byte second = Unsafe.Add(ref start, at + 1);
        byte third = Unsafe.Add(ref start, at + 2);
        if (!IsTagCharacter(first) || !IsTagCharacter(second) || !IsTagCharacter(third))
        {
            return SegmentStart.Stop;
        }

        if (first != (byte)'U' || second != (byte)'N')
        {
            return SegmentStart.Data;
        }

        // UNA and the other envelope segments go through the token path; UNS and the like are plain data here.
        return third switch
        {
            (byte)'H' => SegmentStart.MessageHeader,
            (byte)'T' => SegmentStart.MessageTrailer,
            (byte)'A' or (byte)'B' or (byte)'G' or (byte)'E' or (byte)'Z' => SegmentStart.Stop,
            _ => SegmentStart.Data,
        };
    }

    /// <summary>
    /// Whether the loop may walk the segment whose tag is at <paramref name="tag"/>: a data segment inside a message,
    /// a UNH where a message may open (its reference read into <paramref name="value"/>), or a UNT whose count and
    /// reference match the open message's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Admits(SegmentStart kind, ReadOnlySpan<byte> buffer, int tag, EdifactDelimiters delimiters, scoped ref MessageRun run, out Range value)
    {
        value = default;
        return kind == SegmentStart.Data ? run.InMessage
            : kind == SegmentStart.MessageHeader ? !run.InMessage && run.MayOpen && TryReadEnvelopeValue(buffer, tag + 3, delimiters, out value)
            : kind == SegmentStart.MessageTrailer && run.InMessage && TrailerMatches(buffer, tag, delimiters, ref run);
    }

    /// <summary>A UNH opens the message, a UNT (already matched) closes it.</summary>
    private readonly void CommitEnvelopeSegment(SegmentStart kind, ReadOnlySpan<byte> buffer, Range value, int segmentStart, int segmentLines, int count, scoped ref MessageRun run)
    {
        if (kind == SegmentStart.MessageHeader)
        {
            run.InMessage = true;
            run.Opened = true;
            run.Segments = 1;
            run.Reference = buffer[value];
            run.Header = new EdifactPosition(_state._line + segmentLines, _bufferOffset + segmentStart, _state._segment + count, 0, 0);
        }
        else
        {
            run.InMessage = false;
            run.Opened = false;
            run.Closed++;
            run.Segments = 0;
        }
    }

    /// <summary>The longest envelope value read in the loop; a longer one (no finding in itself) is left to the token path.</summary>
    private const int MaxEnvelopeValue = 35;

    /// <summary>
    /// The first component of the element that starts at the element separator at <paramref name="separator"/>, as
    /// the token path would read it: up to the next separator or terminator. False when it holds a release character
    /// (the token path unescapes it), is long, or is not complete in the buffer.
    /// </summary>
    private static bool TryReadEnvelopeValue(ReadOnlySpan<byte> buffer, int separator, EdifactDelimiters delimiters, out Range value)
    {
        value = default;
        if ((uint)separator >= (uint)buffer.Length || buffer[separator] != delimiters.ElementSeparator)
        {
            return false;
        }

        int start = separator + 1;
        int limit = Math.Min(buffer.Length, start + MaxEnvelopeValue + 1);
        for (int at = start; at < limit; at++)
        {
            byte b = buffer[at];
            if (b == delimiters.ElementSeparator || b == delimiters.ComponentSeparator || b == delimiters.SegmentTerminator
                || (delimiters.HasRepetitionSeparator && b == delimiters.RepetitionSeparator))
            {
                value = start..at;
                return true;
            }

            if (delimiters.HasReleaseCharacter && b == delimiters.ReleaseCharacter)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Whether the UNT at <paramref name="tag"/> closes the open message with no finding: its count (0074) and reference (0062) match.</summary>
    private static bool TrailerMatches(ReadOnlySpan<byte> buffer, int tag, EdifactDelimiters delimiters, scoped ref MessageRun run)
    {
        if (!TryReadEnvelopeValue(buffer, tag + 3, delimiters, out Range countRange))
        {
            return false;
        }

        ReadOnlySpan<byte> count = buffer[countRange];
        if (count.Length is 0 or > 9)
        {
            return false;
        }

        int declared = 0;
        foreach (byte digit in count)
        {
            if ((uint)(digit - '0') > 9)
            {
                return false;
            }

            declared = (declared * 10) + (digit - '0');
        }

        // The UNT itself is one of the message's segments.
        return declared == run.Segments + 1
            && TryReadEnvelopeValue(buffer, countRange.End.Value, delimiters, out Range reference)
            && buffer[reference].SequenceEqual(run.Reference);
    }

    /// <summary>Whether a segment body might end an element or the segment with a separator (the token path judges).</summary>
    private static bool HasTrailingSeparator(ReadOnlySpan<byte> body, EdifactDelimiters delimiters)
    {
        if (body.Length > 0 && (body[^1] == delimiters.ElementSeparator || body[^1] == delimiters.ComponentSeparator))
        {
            return true;
        }

        ReadOnlySpan<byte> componentThenElement = [delimiters.ComponentSeparator, delimiters.ElementSeparator];
        return body.IndexOf(componentThenElement) >= 0;
    }

    private static bool TryFindSegmentEndWithSearchValues(ReadOnlySpan<byte> buffer, ref int end, SearchValues<byte> stops, bool checking, EdifactDelimiters delimiters)
    {
        byte terminator = delimiters.SegmentTerminator;
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : terminator;
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

            if (stop != release || end + 1 >= buffer.Length || !IsServiceCharacter(buffer[end + 1], delimiters))
            {
                // A byte outside the repertoire, a release before anything but a service character, or a release at
                // the edge: the token path reports it.
                return false;
            }

            end += 2;
        }
    }

}
