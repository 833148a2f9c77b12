using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace PortCustoms.Edifact;

/// <summary>
/// The compact form of a materialised message (or of one envelope segment): every component's unescaped, decoded text
/// in one string, and the structure in flat tables. Per segment the reader allocates no element or component
/// objects; <see cref="EdifactSegment"/> reads these tables and builds <see cref="EdifactElement"/>s only when asked.
/// Nothing in it holds references but <see cref="Text"/> and the shared tag strings, so the collector has almost nothing
/// to trace when a wide message outlives gen 0 (issue 12).
/// </summary>
internal sealed class EdifactMessageData
{
    /// <summary>
    /// Ints per element record: index, repetition, first component, byte offset from the segment's tag. Four, so a
    /// message of a few thousand elements stays below the large object heap (85 000 bytes), whose allocations cost
    /// gen 2 collections. An element's component count is where the next one's components start.
    /// </summary>
    internal const int ElementStride = 4;

    /// <summary>
    /// The last element position kept in the tables. ISO 9735 numbers a segment's data elements 010..990, so no
    /// directory defines more than 99: what lies beyond can only be reported as too many elements, and for that each
    /// segment keeps the first such element with content (<see cref="SegmentRecord.OverflowElement"/>). Keeping them
    /// all cost 16 bytes of table per element, sixteen times an empty element's one byte of input (issue 12).
    /// </summary>
    internal const int MaxStoredElement = 99;

    private char[]? _text;
    private string[]? _tags;
    private SegmentRecord[]? _segments;
    private int[]? _elements;
    private int[]? _components;
    private int[]? _lineDeltas;
    private readonly bool _pooled;
    private int _released;

    /// <summary>
    /// Over arrays that may be longer than what they hold: the text's first <c>textLength</c> chars, <c>segmentCount</c>
    /// tags and segment records, <c>elementCount</c> element records, and <c>componentCount</c> + 1 component offsets
    /// (0 first, then each component's end). <c>pooled</c>: rented from the pool, given back on <see cref="Release"/>.
    /// </summary>
    internal EdifactMessageData(char[] text, int textLength, string[] tags, SegmentRecord[] segments, int segmentCount, int[] elements, int elementCount, int[] components, int componentCount, int[]? lineDeltas, bool pooled)
    {
        _text = text;
        TextLength = textLength;
        _tags = tags;
        _segments = segments;
        SegmentCount = segmentCount;
        _elements = elements;
        ElementCount = elementCount;
        _components = components;
        TotalComponents = componentCount;
        _lineDeltas = lineDeltas;
        _pooled = pooled;
    }

    /// <summary>
    /// Test switch: arrays given back to the pool are first overwritten, so a reader that kept a span or a table past
    /// <see cref="Release"/> sees garbage rather than the next message's values by chance. On in debug builds.
    /// </summary>
    internal static bool PoisonOnRelease { get; set; }
#if DEBUG
        = true;
#endif

    /// <summary>Every component's text, in file order, in the first <see cref="TextLength"/> chars.</summary>
    internal char[] Text => _text ?? ThrowReleased<char[]>();

    internal int TextLength { get; }

    /// <summary>The tag of each segment (shared strings); the first <see cref="SegmentCount"/> entries.</summary>
    internal string[] Tags => _tags ?? ThrowReleased<string[]>();

    /// <summary>One record per segment; the first <see cref="SegmentCount"/> entries (the array may be longer).</summary>
    internal SegmentRecord[] Segments => _segments ?? ThrowReleased<SegmentRecord[]>();

    internal int SegmentCount { get; }

    /// <summary><see cref="ElementStride"/> ints per element occurrence, in file order; <see cref="ElementCount"/> records.</summary>
    internal int[] Elements => _elements ?? ThrowReleased<int[]>();

    internal int ElementCount { get; }

    /// <summary>Where each component starts in <see cref="Text"/>; one more entry than <see cref="TotalComponents"/> (the end of the last).</summary>
    internal int[] Components => _components ?? ThrowReleased<int[]>();

    internal int TotalComponents { get; }

    /// <summary>Lines from the segment's tag to each element, or null when every element starts on its tag's line (almost always).</summary>
    internal int[]? LineDeltas => _released == 0 ? _lineDeltas : ThrowReleased<int[]>();

    internal bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>
    /// Gives the arrays back to the pool (once; later calls do nothing). Every read after it throws
    /// <see cref="ObjectDisposedException"/>: the arrays are another message's from now on.
    /// </summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        char[]? text = _text;
        string[]? tags = _tags;
        SegmentRecord[]? segments = _segments;
        int[]? elements = _elements;
        int[]? components = _components;
        int[]? lineDeltas = _lineDeltas;
        _text = null;
        _tags = null;
        _segments = null;
        _elements = null;
        _components = null;
        _lineDeltas = null;
        if (!_pooled)
        {
            return;
        }

        if (PoisonOnRelease)
        {
            text.AsSpan().Fill('\u2620');
            tags.AsSpan().Fill("\u2620");
            segments.AsSpan().Fill(new SegmentRecord { Line = -7, ByteOffset = -7, Segment = -7, FirstElement = int.MinValue / 2, ElementCount = 7, ElementPositions = 7, OverflowElement = -7 });
            elements.AsSpan().Fill(int.MinValue / 2);
            components.AsSpan().Fill(int.MinValue / 2);
            lineDeltas.AsSpan().Fill(-7);
        }
        else
        {
            // The tags are shared strings, but a pool should not keep any alive.
            tags.AsSpan(0, SegmentCount).Clear();
        }

        MessageBuffers.Return(text);
        MessageBuffers.Return(tags);
        MessageBuffers.Return(segments);
        MessageBuffers.Return(elements);
        MessageBuffers.Return(components);
        MessageBuffers.Return(lineDeltas);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ThrowReleased<T>() =>
        throw new ObjectDisposedException(nameof(EdifactMessage), "The message was disposed: its segments' tables went back to the pool. Keep what you need (strings, positions) before disposing it.");

    internal EdifactPosition PositionOf(int segment)
    {
        ref readonly SegmentRecord record = ref Segments[segment];
        return new EdifactPosition(record.Line, record.ByteOffset, record.Segment, 0, 0);
    }

    /// <summary>Where an element occurrence's first component starts (what the reader's token position said).</summary>
    internal EdifactPosition ElementPosition(int segment, int element)
    {
        ref readonly SegmentRecord record = ref Segments[segment];
        int at = element * ElementStride;
        return new EdifactPosition(record.Line + (LineDeltas?[element] ?? 0), record.ByteOffset + Elements[at + 3], record.Segment, Elements[at], 1);
    }

    /// <summary>
    /// The element record (absolute, in <see cref="Elements"/> / <see cref="ElementStride"/>) of the first occurrence of
    /// the 1-based element position, or -1. Constant time without repetitions, else a binary search.
    /// </summary>
    internal int FindElement(int segment, int element)
    {
        // Every look-up is one probe, also one answered without looking (the linearity tests count them).
        EdifactWorkCounter.Count();
        if (element > MaxStoredElement)
        {
            return -1;
        }

        ref readonly SegmentRecord record = ref Segments[segment];
        int[] elements = Elements;
        int count = record.ElementCount;
        int first = record.FirstElement;
        if ((uint)(element - 1) < (uint)count)
        {
            int direct = (first + element - 1) * ElementStride;
            if (elements[direct] == element && elements[direct + 1] == 1)
            {
                return first + element - 1;
            }
        }

        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            EdifactWorkCounter.Count();
            if (elements[(first + middle) * ElementStride] < element)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low < count && elements[(first + low) * ElementStride] == element ? first + low : -1;
    }

    /// <summary>The number of element positions of a segment: the last occurrence's index (0 without elements), kept or not.</summary>
    internal int ElementPositions(int segment) => Segments[segment].ElementPositions;

    /// <summary>The element positions of a segment that are in the tables: at most <see cref="MaxStoredElement"/>.</summary>
    internal int StoredElementPositions(int segment) => Math.Min(Segments[segment].ElementPositions, MaxStoredElement);

    /// <summary>
    /// The first element position beyond <see cref="MaxStoredElement"/> whose first occurrence has content, or 0; and
    /// where it starts (what <see cref="ElementPosition"/> would say of it).
    /// </summary>
    internal (int Element, EdifactPosition Position) Overflow(int segment)
    {
        ref readonly SegmentRecord record = ref Segments[segment];
        return record.OverflowElement == 0
            ? (0, default)
            : (record.OverflowElement, new EdifactPosition(record.Line + record.OverflowLineDelta, record.ByteOffset + record.OverflowOffset, record.Segment, record.OverflowElement, 1));
    }

    internal int ComponentCount(int elementRecord) => elementRecord < 0 ? 0 : FirstComponent(elementRecord + 1) - Elements[(elementRecord * ElementStride) + 2];

    /// <summary>The first component of an element record; past the last record, the component count.</summary>
    private int FirstComponent(int elementRecord)
    {
        int at = elementRecord * ElementStride;
        return elementRecord < ElementCount ? Elements[at + 2] : TotalComponents;
    }

    /// <summary>The 1-based component of an element record, or empty when absent.</summary>
    internal ReadOnlySpan<char> Component(int elementRecord, int component)
    {
        if (elementRecord < 0)
        {
            return default;
        }

        int first = Elements[(elementRecord * ElementStride) + 2];
        if ((uint)(component - 1) >= (uint)(FirstComponent(elementRecord + 1) - first))
        {
            return default;
        }

        int index = first + component - 1;
        int start = Components[index];
        return Text.AsSpan(start, Components[index + 1] - start);
    }

    /// <summary>The component as a string (built on each call: a mapping reads most values once).</summary>
    internal string ComponentString(int elementRecord, int component)
    {
        ReadOnlySpan<char> value = Component(elementRecord, component);
        return value.IsEmpty ? string.Empty : value.ToString();
    }

    /// <summary>The materialised form of one element record, as the reader used to build it.</summary>
    internal EdifactElement CreateElement(int segment, int elementRecord)
    {
        int at = elementRecord * ElementStride;
        int count = ComponentCount(elementRecord);
        string[] components;
        if (count == 1 && Components[Elements[at + 2]] == Components[Elements[at + 2] + 1])
        {
            components = EdifactElement.EmptyComponents;
        }
        else
        {
            components = new string[count];
            for (int c = 0; c < count; c++)
            {
                components[c] = ComponentString(elementRecord, c + 1);
            }
        }

        return new EdifactElement(Elements[at], Elements[at + 1], components, ElementPosition(segment, elementRecord));
    }

    /// <summary>One segment's place in the tables.</summary>
    internal struct SegmentRecord
    {
        public long Line;
        public long ByteOffset;
        public int Segment;
        public int FirstElement;

        /// <summary>Element occurrences kept in the tables.</summary>
        public int ElementCount;

        /// <summary>The last element's index, kept or not.</summary>
        public int ElementPositions;

        /// <summary>The first element index beyond <see cref="MaxStoredElement"/> whose first occurrence has content, or 0.</summary>
        public int OverflowElement;

        /// <summary>Its byte offset from the tag, and lines from the tag's line.</summary>
        public int OverflowOffset;
        public int OverflowLineDelta;
    }
}

/// <summary>
/// The arrays of materialised messages: rented from <see cref="ArrayPool{T}.Shared"/> (thread-safe: a message may be
/// released on another thread than the one that read it) up to <see cref="MaxPooledLength"/> entries; larger ones, for
/// the rare wide message, are plain arrays left to the collector so the pool never holds megabytes.
/// </summary>
internal static class MessageBuffers
{
    internal const int MaxPooledLength = 64 * 1024;

    public static T[] Rent<T>(int minimum) =>
        minimum <= MaxPooledLength ? ArrayPool<T>.Shared.Rent(minimum) : GC.AllocateUninitializedArray<T>(minimum);

    public static void Return<T>(T[]? array)
    {
        // Only what Rent took from the pool goes back (the pool refuses other lengths).
        if (array is { Length: >= 16 and <= MaxPooledLength } && BitOperations.IsPow2(array.Length))
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }

    /// <summary>A larger array holding the first <paramref name="used"/> entries; the old one goes back.</summary>
    public static T[] Grow<T>(T[] array, int used, int minimum)
    {
        T[] larger = Rent<T>(Math.Max(minimum, array.Length * 2));
        array.AsSpan(0, used).CopyTo(larger);
        Return(array);
        return larger;
    }
}

/// <summary>
/// Builds <see cref="EdifactMessageData"/> from the reader's tokens straight into rented arrays, which a message takes
/// over as they are when it is complete (no copy); the builder then rents the next message's, usually the arrays a
/// released message just gave back.
/// </summary>
internal sealed class EdifactMessageBuilder
{
    private const int Stride = EdifactMessageData.ElementStride;

    private char[] _text = MessageBuffers.Rent<char>(1024);
    private int _textLength;
    private string[] _tags = MessageBuffers.Rent<string>(32);
    private EdifactMessageData.SegmentRecord[] _segments = MessageBuffers.Rent<EdifactMessageData.SegmentRecord>(32);
    private int _segmentCount;
    private int[] _elements = MessageBuffers.Rent<int>(128 * Stride);
    private int _elementCount;

    // 0, then the end of each component in _text: what the data keeps (each component's start, plus one final end).
    private int[] _components = NewComponents(256);
    private int _componentCount;
    private int[] _lineDeltas = [];
    private bool _hasLineDeltas;
    private byte[] _scratch = new byte[256];

    // The current element lies beyond MaxStoredElement: its components are not kept. While no element there has had
    // content, the index and position of the current one if it is a first occurrence (else 0).
    private bool _dropping;
    private int _overflowCandidate;
    private int _overflowOffset;
    private int _overflowLines;

    public int SegmentCount => _segmentCount;

    /// <summary>Creates the segment objects over <paramref name="data"/>.</summary>
    public static EdifactSegment[] CreateSegments(EdifactMessageData data)
    {
        var segments = new EdifactSegment[data.SegmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = new EdifactSegment(data, i);
        }

        return segments;
    }

    public void BeginSegment(string tag, EdifactPosition position)
    {
        if (_segmentCount == _segments.Length)
        {
            _segments = MessageBuffers.Grow(_segments, _segmentCount, _segmentCount + 1);
            _tags = MessageBuffers.Grow(_tags, _segmentCount, _segmentCount + 1);
        }

        _tags[_segmentCount] = tag;
        _segments[_segmentCount++] = new EdifactMessageData.SegmentRecord
        {
            Line = position.Line,
            ByteOffset = position.ByteOffset,
            Segment = position.Segment,
            FirstElement = _elementCount,
        };
        _dropping = false;
        _overflowCandidate = 0;
    }

    /// <summary>Starts an element occurrence at the reader's current token (an Element or Repetition token).</summary>
    public void BeginElement(int index, int repetition, EdifactPosition position)
    {
        ref EdifactMessageData.SegmentRecord segment = ref _segments[_segmentCount - 1];
        BeginElement(
            index,
            repetition,
            (int)Math.Clamp(position.ByteOffset - segment.ByteOffset, int.MinValue, int.MaxValue),
            (int)Math.Clamp(position.Line - segment.Line, int.MinValue, int.MaxValue));
    }

    /// <summary>Starts an element occurrence whose first component starts <paramref name="offset"/> bytes and <paramref name="lines"/> lines from the tag.</summary>
    private void BeginElement(int index, int repetition, int offset, int lines)
    {
        ref EdifactMessageData.SegmentRecord segment = ref _segments[_segmentCount - 1];
        segment.ElementPositions = index;
        _dropping = index > EdifactMessageData.MaxStoredElement;
        if (_dropping)
        {
            // Only a first occurrence counts (the validator reads no repetition), and only the first with content.
            _overflowCandidate = repetition == 1 && segment.OverflowElement == 0 ? index : 0;
            _overflowOffset = offset;
            _overflowLines = lines;
            return;
        }

        int at = _elementCount * Stride;
        if (at + Stride > _elements.Length)
        {
            _elements = MessageBuffers.Grow(_elements, at, at + Stride);
        }

        _elements[at] = index;
        _elements[at + 1] = repetition;
        _elements[at + 2] = _componentCount;
        _elements[at + 3] = offset;
        if (lines != 0 || _hasLineDeltas)
        {
            SetLineDelta(_elementCount, lines);
        }

        _elementCount++;
        segment.ElementCount++;
    }

    /// <summary>
    /// Appends a data segment's elements from its raw bytes after the tag (what <see cref="EdifactReader.TrySkipSegment()"/>
    /// skipped, without the terminator), split exactly as the tokenizer splits them: the same element, repetition and
    /// component numbers, offsets and lines, values unescaped and decoded alike. One pass over the bytes, no token
    /// bookkeeping. The caller makes sure no delimiter is a line feed (the tokenizer counts lines differently then).
    /// </summary>
    /// <returns>How many values (element, repetition and component tokens) the segment holds.</returns>
    public int AddSegmentBody(ReadOnlySpan<byte> raw, int tagLength, EdifactDelimiters delimiters, SearchValues<byte> valueStops, EdifactCharacterSet characterSet)
    {
        byte elementSeparator = delimiters.ElementSeparator;
        byte componentSeparator = delimiters.ComponentSeparator;
        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : delimiters.SegmentTerminator;
        int element = 0;
        int repetition = 0;
        int lines = 0;
        int values = 0;
        int position = 0;
        while (position < raw.Length)
        {
            // What ends one value starts the next: an element, component or repetition separator.
            byte delimiter = raw[position];
            bool component = delimiter == componentSeparator;
            if (delimiter == elementSeparator)
            {
                element++;
                repetition = 1;
            }
            else if (!component)
            {
                repetition++;
            }

            int start = position + 1;
            int valueLines = lines;
            bool escaped = false;
            int end = start;
            while (true)
            {
                int index = raw[end..].IndexOfAny(valueStops);
                if (index < 0)
                {
                    end = raw.Length;
                    break;
                }

                end += index;
                byte stop = raw[end];
                if (stop == release)
                {
                    // The released byte is data (a line feed still ends a line).
                    escaped = true;
                    if (end + 1 < raw.Length && raw[end + 1] == (byte)'\n')
                    {
                        lines++;
                    }

                    end = Math.Min(end + 2, raw.Length);
                    continue;
                }

                if (stop == (byte)'\n')
                {
                    lines++;
                    end++;
                    continue;
                }

                break;
            }

            if (!component)
            {
                BeginElement(element, repetition, tagLength + start, valueLines);
            }

            AddValue(raw[start..end], escaped, release, characterSet);
            values++;
            position = end;
        }

        return values;
    }

    private void AddValue(ReadOnlySpan<byte> raw, bool escaped, byte release, EdifactCharacterSet characterSet)
    {
        if (_dropping)
        {
            if (_overflowCandidate != 0 && !raw.IsEmpty)
            {
                // A non-empty raw value is never empty unescaped: a release character always has its byte.
                RecordOverflow();
            }

            return;
        }

        if (!raw.IsEmpty)
        {
            if (escaped)
            {
                if (_scratch.Length < raw.Length)
                {
                    _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
                }

                _ = EdifactEscaping.TryUnescape(raw, release, _scratch, out int length);
                Append(_scratch.AsSpan(0, length), characterSet);
            }
            else
            {
                Append(raw, characterSet);
            }
        }

        AddComponentEnd();
    }

    /// <summary>Appends the reader's current value, unescaped and decoded as <see cref="EdifactReader.GetString"/> decodes it, to the current element.</summary>
    public void AddComponent(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (_dropping)
        {
            if (_overflowCandidate != 0 && !raw.IsEmpty && (!reader.ValueIsEscaped || Unescape(ref reader, raw.Length) > 0))
            {
                RecordOverflow();
            }

            return;
        }

        if (!raw.IsEmpty)
        {
            if (reader.ValueIsEscaped)
            {
                int length = Unescape(ref reader, raw.Length);
                Append(_scratch.AsSpan(0, length), reader.CharacterSet);
            }
            else
            {
                Append(raw, reader.CharacterSet);
            }
        }

        AddComponentEnd();
    }

    /// <summary>Appends a value already decoded (for segments built by hand).</summary>
    public void AddComponent(string value)
    {
        if (_dropping)
        {
            if (_overflowCandidate != 0 && value.Length > 0)
            {
                RecordOverflow();
            }

            return;
        }

        EnsureText(value.Length);
        value.CopyTo(_text.AsSpan(_textLength));
        _textLength += value.Length;
        AddComponentEnd();
    }

    /// <summary>Appends the one segment <paramref name="other"/> holds (UNH and UNT are read apart, then join their message).</summary>
    public void AppendSegment(EdifactMessageBuilder other)
    {
        EdifactMessageData.SegmentRecord record = other._segments[0];
        BeginSegment(other._tags[0], new EdifactPosition(record.Line, record.ByteOffset, record.Segment, 0, 0));
        int textBase = _textLength;
        int componentBase = _componentCount;
        int elementBase = _elementCount;
        EnsureText(other._textLength);
        other._text.AsSpan(0, other._textLength).CopyTo(_text.AsSpan(_textLength));
        _textLength += other._textLength;

        int ints = other._elementCount * Stride;
        int at = elementBase * Stride;
        if (at + ints > _elements.Length)
        {
            _elements = MessageBuffers.Grow(_elements, at, at + ints);
        }

        other._elements.AsSpan(0, ints).CopyTo(_elements.AsSpan(at));
        for (int e = at; e < at + ints; e += Stride)
        {
            _elements[e + 2] += componentBase;
        }

        if (_componentCount + other._componentCount + 1 > _components.Length)
        {
            _components = MessageBuffers.Grow(_components, _componentCount + 1, _componentCount + other._componentCount + 1);
        }

        for (int c = 1; c <= other._componentCount; c++)
        {
            _components[_componentCount + c] = other._components[c] + textBase;
        }

        for (int e = 0; e < other._elementCount; e++)
        {
            int delta = other._hasLineDeltas ? other._lineDeltas[e] : 0;
            if (delta != 0 || _hasLineDeltas)
            {
                SetLineDelta(elementBase + e, delta);
            }
        }

        _componentCount += other._componentCount;
        _elementCount += other._elementCount;
        ref EdifactMessageData.SegmentRecord appended = ref _segments[_segmentCount - 1];
        appended.ElementCount = other._elementCount;
        appended.ElementPositions = record.ElementPositions;
        appended.OverflowElement = record.OverflowElement;
        appended.OverflowOffset = record.OverflowOffset;
        appended.OverflowLineDelta = record.OverflowLineDelta;
    }

    /// <summary>
    /// The tables of the segments since the last reset. A message takes the builder's arrays over (<paramref name="handOver"/>:
    /// no copy; they go back to the pool when it is released) and the builder rents new ones; an envelope segment, kept
    /// for the whole interchange, gets exactly sized copies.
    /// </summary>
    public EdifactMessageData Build(bool handOver = false)
    {
        if (_segmentCount == 0)
        {
            return new EdifactMessageData([], 0, [], [], 0, [], 0, [0], 0, null, pooled: false);
        }

        if (!handOver)
        {
            return new EdifactMessageData(
                _text.AsSpan(0, _textLength).ToArray(),
                _textLength,
                _tags.AsSpan(0, _segmentCount).ToArray(),
                _segments.AsSpan(0, _segmentCount).ToArray(),
                _segmentCount,
                _elements.AsSpan(0, _elementCount * Stride).ToArray(),
                _elementCount,
                _components.AsSpan(0, _componentCount + 1).ToArray(),
                _componentCount,
                _hasLineDeltas ? _lineDeltas.AsSpan(0, _elementCount).ToArray() : null,
                pooled: false);
        }

        var data = new EdifactMessageData(_text, _textLength, _tags, _segments, _segmentCount, _elements, _elementCount, _components, _componentCount, _hasLineDeltas ? _lineDeltas : null, pooled: true);

        // The next message is likely the same size: rent as much (the pool's buckets hold what released messages gave back).
        _text = MessageBuffers.Rent<char>(Math.Min(_text.Length, MessageBuffers.MaxPooledLength));
        _tags = MessageBuffers.Rent<string>(Math.Min(_tags.Length, MessageBuffers.MaxPooledLength));
        _segments = MessageBuffers.Rent<EdifactMessageData.SegmentRecord>(Math.Min(_segments.Length, MessageBuffers.MaxPooledLength));
        _elements = MessageBuffers.Rent<int>(Math.Min(_elements.Length, MessageBuffers.MaxPooledLength));
        _components = NewComponents(Math.Min(_components.Length, MessageBuffers.MaxPooledLength));
        if (_hasLineDeltas)
        {
            _lineDeltas = [];
            _hasLineDeltas = false;
        }

        Clear();
        return data;
    }

    /// <summary>Drops everything; buffers grown past <paramref name="keep"/> entries are let go.</summary>
    public void Reset(int keep = int.MaxValue)
    {
        Array.Clear(_tags, 0, _segmentCount);
        _hasLineDeltas = false;
        Clear();
        if (_text.Length > keep)
        {
            MessageBuffers.Return(_text);
            _text = MessageBuffers.Rent<char>(1024);
        }

        if (_elements.Length > keep)
        {
            MessageBuffers.Return(_elements);
            _elements = MessageBuffers.Rent<int>(128 * Stride);
        }

        if (_components.Length > keep)
        {
            MessageBuffers.Return(_components);
            _components = NewComponents(256);
        }

        if (_lineDeltas.Length > keep)
        {
            MessageBuffers.Return(_lineDeltas);
            _lineDeltas = [];
        }

        if (_segments.Length > keep)
        {
            MessageBuffers.Return(_segments);
            MessageBuffers.Return(_tags);
            _segments = MessageBuffers.Rent<EdifactMessageData.SegmentRecord>(32);
            _tags = MessageBuffers.Rent<string>(32);
        }
    }

    private static int[] NewComponents(int minimum)
    {
        int[] components = MessageBuffers.Rent<int>(minimum);
        components[0] = 0;
        return components;
    }

    private void Clear()
    {
        _dropping = false;
        _overflowCandidate = 0;
        _textLength = 0;
        _segmentCount = 0;
        _elementCount = 0;
        _componentCount = 0;
    }

    private int Unescape(ref EdifactReader reader, int rawLength)
    {
        if (_scratch.Length < rawLength)
        {
            _scratch = new byte[Math.Max(rawLength, _scratch.Length * 2)];
        }

        return reader.CopyUnescaped(_scratch);
    }

    private void RecordOverflow()
    {
        ref EdifactMessageData.SegmentRecord segment = ref _segments[_segmentCount - 1];
        segment.OverflowElement = _overflowCandidate;
        segment.OverflowOffset = _overflowOffset;
        segment.OverflowLineDelta = _overflowLines;
        _overflowCandidate = 0;
    }

    private void SetLineDelta(int element, int delta)
    {
        if (element >= _lineDeltas.Length)
        {
            int[] larger = MessageBuffers.Rent<int>(Math.Max(element + 1, Math.Max(64, _lineDeltas.Length * 2)));
            _lineDeltas.AsSpan(0, _hasLineDeltas ? element : 0).CopyTo(larger);
            MessageBuffers.Return(_lineDeltas);
            _lineDeltas = larger;
        }

        if (!_hasLineDeltas)
        {
            // The elements before the first on a later line are on their tag's line (rented arrays are not cleared).
            _lineDeltas.AsSpan(0, element).Clear();
            _hasLineDeltas = true;
        }

        _lineDeltas[element] = delta;
    }

    private void AddComponentEnd()
    {
        if (_componentCount + 1 == _components.Length)
        {
            _components = MessageBuffers.Grow(_components, _componentCount + 1, _componentCount + 2);
        }

        _components[++_componentCount] = _textLength;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(ReadOnlySpan<byte> bytes, EdifactCharacterSet characterSet)
    {
        // Latin-1 (UNOA/B/C and unknown sets) is one char per byte, UTF-8 at most one per byte: the byte count is enough room.
        EnsureText(bytes.Length);
        if (characterSet == EdifactCharacterSet.Unoy)
        {
            _textLength += Encoding.UTF8.GetChars(bytes, _text.AsSpan(_textLength));
        }
        else if (bytes.Length <= 16)
        {
            // Most values are a few bytes: widening them in place beats the encoder's call overhead.
            Span<char> destination = _text.AsSpan(_textLength, bytes.Length);
            for (int i = 0; i < bytes.Length; i++)
            {
                destination[i] = (char)bytes[i];
            }

            _textLength += bytes.Length;
        }
        else
        {
            _textLength += Encoding.Latin1.GetChars(bytes, _text.AsSpan(_textLength));
        }
    }

    private void EnsureText(int more)
    {
        if (_textLength + more > _text.Length)
        {
            _text = MessageBuffers.Grow(_text, _textLength, _textLength + more);
        }
    }
}
