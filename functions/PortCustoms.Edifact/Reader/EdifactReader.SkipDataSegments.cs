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
    /// separator scan does. Per segment only the tag is checked byte by byte. Runs of blocks holding nothing but plain
    /// data segments are taken whole, from their bit masks alone (<see cref="TakeWholeBlocks"/>).
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

        // Whole blocks need every segment inside one shorter than the length guard, and line breaks that are only line breaks.
        bool wholeBlocks = maxLength >= 2 * Vector256<byte>.Count && !HasLineBreakDelimiter(delimiters);
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
        bool afterTerminator = false; // whole blocks ended between a terminator and the next tag, still to be read

        // One byte more than the block: ":+" looks at the successor of the block's last byte.
        while (scanFrom + Vector256<byte>.Count < buffer.Length)
        {
            if (wholeBlocks && kind == SegmentStart.Data && run.InMessage
                && segmentStart < scanFrom // not a tag the walk read ahead of the block
                && (skipUntil <= scanFrom || skipUntil == segmentStart + 3)) // nor a released byte at its start
            {
                var walk = new BlockWalk
                {
                    SegmentStart = segmentStart,
                    SeparatorBefore = separatorBefore,
                    Count = count,
                    Lines = lines,
                    Committed = committed,
                    CommittedLines = committedLines,
                };
                int from = scanFrom;
                scanFrom = TakeWholeBlocks(ref start, buffer.Length, scanFrom, delimiters, latin1, maxLength, ref walk);
                if (scanFrom != from)
                {
                    run.Segments += walk.Count - count;
                    count = walk.Count;
                    lines = walk.Lines;
                    committed = walk.Committed;
                    committedLines = walk.CommittedLines;
                    separatorBefore = walk.SeparatorBefore;
                    afterTerminator = walk.AfterTerminator;
                    segmentStart = walk.SegmentStart;
                    skipUntil = Math.Max(skipUntil, segmentStart + 3);
                    if (scanFrom + Vector256<byte>.Count >= buffer.Length)
                    {
                        break;
                    }
                }
            }

            if (afterTerminator)
            {
                // The whole blocks ended between a terminator and the next tag: read the tag here, as after any terminator.
                int tag = scanFrom;
                afterTerminator = false;
                kind = StartSegment(buffer, ref tag, ref lines, delimiters);
                if (!Admits(kind, buffer, tag, delimiters, ref run, out value))
                {
                    return count;
                }

                segmentLines = lines;
                segmentStart = tag;
                skipUntil = tag + 3;
            }

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
            int resumeAt = 0;
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
                    bool envelope = kind != SegmentStart.Data;
                    if (envelope)
                    {
                        CommitEnvelopeSegment(kind, buffer, value, segmentStart, segmentLines, count, ref run);
                    }
                    else
                    {
                        run.Segments++;
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
                    if (envelope && wholeBlocks && kind == SegmentStart.Data && run.InMessage)
                    {
                        // Plain data after UNH: whole blocks go on from its tag, not from the next block boundary.
                        resumeAt = skipUntil;
                        break;
                    }

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

            if (resumeAt != 0)
            {
                scanFrom = resumeAt;
                separatorBefore = 0; // the byte before is the tag's last
                continue;
            }

            scanFrom += Vector256<byte>.Count;
        }

        return count;
    }

    /// <summary>Where the walk stands when whole blocks are taken, and how far they got.</summary>
    private struct BlockWalk
    {
        public int SegmentStart;
        public uint SeparatorBefore;
        public bool AfterTerminator;
        public int Count;
        public int Lines;
        public int Committed;
        public int CommittedLines;
    }

    /// <summary>
    /// Takes blocks of plain data segments whole, from their bit masks and the next block's (the look-ahead for tags
    /// and ":+"), with no branch per segment: every terminator ends a segment. Segment starts come from one addition
    /// (the bit after each terminator, carried through the line breaks that follow it, lands on the next tag); each
    /// tag is checked from the tag character masks. It stops, for the bit walk to judge, at a block with a release
    /// character, line feed or control byte inside a segment, a trailing separator, a tag that is not three letters
    /// or digits followed by a separator or terminator, a tag starting with U (UNH, UNT and the envelope), or a
    /// segment that may pass the length guard.
    /// </summary>
    /// <returns>Where the first block not taken starts.</returns>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int TakeWholeBlocks(ref byte start, int length, int blockStart, EdifactDelimiters delimiters, bool latin1, int maxLength, ref BlockWalk walk)
    {
        const int Size = 32;
        var classifier = new BlockClassifier(delimiters, latin1);
        int segmentStart = walk.SegmentStart;
        uint separatorBefore = walk.SeparatorBefore;
        ulong afterTerminator = walk.AfterTerminator ? 1ul : 0ul;
        int count = walk.Count;
        int lines = walk.Lines;
        int committed = walk.Committed;
        int committedLines = walk.CommittedLines;
        classifier.Classify(ref start, blockStart, out uint terminators, out uint elements, out uint components, out uint stops, out uint lineBreaks, out uint lineFeeds, out uint tagFirsts, out uint tagCharacters);
        while (blockStart + (2 * Size) <= length)
        {
            if (afterTerminator == 0 && blockStart + Size - segmentStart > maxLength)
            {
                break;
            }

            classifier.Classify(ref start, blockStart + Size, out uint nextTerminators, out uint nextElements, out uint nextComponents, out uint nextStops, out uint nextLineBreaks, out uint nextLineFeeds, out uint nextTagFirsts, out uint nextTagCharacters);
            ulong allTerminators = terminators | ((ulong)nextTerminators << Size);
            ulong allElements = elements | ((ulong)nextElements << Size);
            ulong allLineBreaks = lineBreaks | ((ulong)nextLineBreaks << Size);
            ulong allTagCharacters = tagCharacters | ((ulong)nextTagCharacters << Size);
            ulong afterTerminators = (allTerminators << 1) | afterTerminator;
            ulong sum = afterTerminators + allLineBreaks;
            ulong between = allLineBreaks & ~sum; // the line breaks after a terminator
            ulong starts = sum & ~allLineBreaks; // the first byte after them: a tag
            ulong plainTags = tagFirsts & (allTagCharacters >> 1) & (allTagCharacters >> 2) & ((allElements | allTerminators) >> 3);
            uint startsHere = (uint)starts;
            uint betweenHere = (uint)between;
            uint separators = elements | components;
            uint problems = (stops & ~betweenHere)
                | (startsHere & ~(uint)plainTags)
                | (components & (uint)(allElements >> 1))
                | (terminators & ((separators << 1) | separatorBefore));
            if (problems != 0)
            {
                break;
            }

            uint counted = lineFeeds & betweenHere;
            if (terminators != 0)
            {
                int last = 31 - BitOperations.LeadingZeroCount(terminators);
                count += BitOperations.PopCount(terminators);
                committed = blockStart + last + 1;
                committedLines = lines + BitOperations.PopCount(counted & (uint)((2ul << last) - 1));
            }

            lines += BitOperations.PopCount(counted);

            // The next block starts after a terminator when its first byte is a line break after one, or a tag.
            afterTerminator = ((afterTerminators | between | starts) >> Size) & 1;
            if (afterTerminator == 0 && startsHere != 0)
            {
                segmentStart = blockStart + 31 - BitOperations.LeadingZeroCount(startsHere);
            }

            separatorBefore = separators >> 31;
            terminators = nextTerminators;
            elements = nextElements;
            components = nextComponents;
            stops = nextStops;
            lineBreaks = nextLineBreaks;
            lineFeeds = nextLineFeeds;
            tagFirsts = nextTagFirsts;
            tagCharacters = nextTagCharacters;
            blockStart += Size;
        }

        walk.SegmentStart = segmentStart;
        walk.SeparatorBefore = separatorBefore;
        walk.AfterTerminator = afterTerminator != 0;
        walk.Count = count;
        walk.Lines = lines;
        walk.Committed = committed;
        walk.CommittedLines = committedLines;
        return blockStart;
    }

    /// <summary>The compare vectors of one delimiter set and repertoire, for whole blocks.</summary>
    private readonly struct BlockClassifier
    {
        private readonly Vector256<byte> _terminators;
        private readonly Vector256<byte> _elements;
        private readonly Vector256<byte> _components;
        private readonly Vector256<byte> _releases;
        private readonly bool _hasRelease;
        private readonly bool _latin1;

        public BlockClassifier(EdifactDelimiters delimiters, bool latin1)
        {
            _terminators = Vector256.Create(delimiters.SegmentTerminator);
            _elements = Vector256.Create(delimiters.ElementSeparator);
            _components = Vector256.Create(delimiters.ComponentSeparator);
            _hasRelease = delimiters.HasReleaseCharacter;
            _releases = Vector256.Create(delimiters.ReleaseCharacter);
            _latin1 = latin1;
        }

        /// <summary>
        /// Bit i for byte i of the block at <c>offset</c>: terminators, element and component separators, stops (release
        /// characters, line feeds and (UNOC) control bytes), line breaks (CR, LF), line feeds, the first characters of
        /// a tag the whole blocks take (letters and digits but U) and tag characters (letters and digits).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Classify(ref byte start, int offset, out uint terminators, out uint elements, out uint components, out uint stops, out uint lineBreaks, out uint lineFeeds, out uint tagFirsts, out uint tagCharacters)
        {
            Vector256<byte> block = Vector256.LoadUnsafe(ref start, (nuint)offset);
            Vector256<byte> feeds = Vector256.Equals(block, Vector256.Create(LineFeed));
            Vector256<byte> stopBytes = feeds;
            if (_hasRelease)
            {
                stopBytes |= Vector256.Equals(block, _releases);
            }

            if (_latin1)
            {
                // Outside ISO 8859-1 text: C0 controls (below 0x20), DEL and C1 controls (0x7F-0x9F).
                stopBytes |= Vector256.LessThan(block, Vector256.Create((byte)0x20))
                    | (Vector256.GreaterThanOrEqual(block, Vector256.Create((byte)0x7F)) & Vector256.LessThan(block, Vector256.Create((byte)0xA0)));
            }

            Vector256<byte> tags = Vector256.LessThan(block - Vector256.Create((byte)'A'), Vector256.Create((byte)26))
                | Vector256.LessThan(block - Vector256.Create((byte)'0'), Vector256.Create((byte)10));
            terminators = Vector256.Equals(block, _terminators).ExtractMostSignificantBits();
            elements = Vector256.Equals(block, _elements).ExtractMostSignificantBits();
            components = Vector256.Equals(block, _components).ExtractMostSignificantBits();
            stops = stopBytes.ExtractMostSignificantBits();
            lineFeeds = feeds.ExtractMostSignificantBits();
            lineBreaks = (feeds | Vector256.Equals(block, Vector256.Create((byte)'\r'))).ExtractMostSignificantBits();
            tagCharacters = tags.ExtractMostSignificantBits();
            tagFirsts = Vector256.AndNot(tags, Vector256.Equals(block, Vector256.Create((byte)'U'))).ExtractMostSignificantBits();
        }
    }

    /// <summary>Whether a delimiter is CR or LF: then a line break is not only a line break, and blocks are walked bit by bit.</summary>
    private static bool HasLineBreakDelimiter(EdifactDelimiters delimiters) =>
        IsLineBreak(delimiters.SegmentTerminator) || IsLineBreak(delimiters.ElementSeparator) || IsLineBreak(delimiters.ComponentSeparator)
        || (delimiters.HasReleaseCharacter && IsLineBreak(delimiters.ReleaseCharacter))
        || (delimiters.HasRepetitionSeparator && IsLineBreak(delimiters.RepetitionSeparator));

    private static bool IsLineBreak(byte b) => b is LineFeed or (byte)'\r';

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
