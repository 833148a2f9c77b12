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

    internal EdifactMessageData(string text, string[] tags, SegmentRecord[] segments, int[] elements, int[] components, int[]? lineDeltas)
    {
        Text = text;
        Tags = tags;
        Segments = segments;
        Elements = elements;
        Components = components;
        LineDeltas = lineDeltas;
    }

    /// <summary>Every component's text, in file order.</summary>
    internal string Text { get; }

    /// <summary>The tag of each segment (shared strings).</summary>
    internal string[] Tags { get; }

    internal SegmentRecord[] Segments { get; }

    /// <summary><see cref="ElementStride"/> ints per element occurrence, in file order.</summary>
    internal int[] Elements { get; }

    /// <summary>Where each component starts in <see cref="Text"/>; one more entry than components (the end of the last).</summary>
    internal int[] Components { get; }

    /// <summary>Lines from the segment's tag to each element, or null when every element starts on its tag's line (almost always).</summary>
    internal int[]? LineDeltas { get; }

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
        return at < Elements.Length ? Elements[at + 2] : Components.Length - 1;
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
/// Builds <see cref="EdifactMessageData"/> from the reader's tokens into buffers reused from message to message; a
/// message costs one copy of them, exactly sized, when it is complete.
/// </summary>
internal sealed class EdifactMessageBuilder
{
    private const int Stride = EdifactMessageData.ElementStride;

    private char[] _text = new char[1024];
    private int _textLength;
    private string[] _tags = new string[32];
    private EdifactMessageData.SegmentRecord[] _segments = new EdifactMessageData.SegmentRecord[32];
    private int _segmentCount;
    private int[] _elements = new int[128 * Stride];
    private int _elementCount;

    // The end of each component in _text (the data keeps starts plus one final end).
    private int[] _components = new int[256];
    private int _componentCount;
    private int[] _lineDeltas = [];
    private bool _hasLineDeltas;
    private byte[] _scratch = new byte[256];

    // The current element lies beyond MaxStoredElement: its components are not kept. While no element there has had
    // content, the index and position of the current one if it is a first occurrence (else 0).
    private bool _dropping;
    private int _overflowCandidate;
    private EdifactPosition _overflowPosition;

    public int SegmentCount => _segmentCount;

    /// <summary>Creates the segment objects over <paramref name="data"/>.</summary>
    public static EdifactSegment[] CreateSegments(EdifactMessageData data)
    {
        var segments = new EdifactSegment[data.Segments.Length];
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
            Array.Resize(ref _segments, _segments.Length * 2);
            Array.Resize(ref _tags, _tags.Length * 2);
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
        ref EdifactMessageData.SegmentRecord current = ref _segments[_segmentCount - 1];
        current.ElementPositions = index;
        _dropping = index > EdifactMessageData.MaxStoredElement;
        if (_dropping)
        {
            // Only a first occurrence counts (the validator reads no repetition), and only the first with content.
            _overflowCandidate = repetition == 1 && current.OverflowElement == 0 ? index : 0;
            _overflowPosition = position;
            return;
        }

        int at = _elementCount * Stride;
        if (at + Stride > _elements.Length)
        {
            Array.Resize(ref _elements, _elements.Length * 2);
        }

        ref EdifactMessageData.SegmentRecord segment = ref _segments[_segmentCount - 1];
        _elements[at] = index;
        _elements[at + 1] = repetition;
        _elements[at + 2] = _componentCount;
        _elements[at + 3] = (int)Math.Clamp(position.ByteOffset - segment.ByteOffset, int.MinValue, int.MaxValue);
        long lines = position.Line - segment.Line;
        if (lines != 0 || _hasLineDeltas)
        {
            SetLineDelta(_elementCount, (int)Math.Clamp(lines, int.MinValue, int.MaxValue));
        }

        _elementCount++;
        segment.ElementCount++;
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
            Array.Resize(ref _elements, Math.Max(_elements.Length * 2, at + ints));
        }

        other._elements.AsSpan(0, ints).CopyTo(_elements.AsSpan(at));
        for (int e = at; e < at + ints; e += Stride)
        {
            _elements[e + 2] += componentBase;
        }

        if (_componentCount + other._componentCount > _components.Length)
        {
            Array.Resize(ref _components, Math.Max(_components.Length * 2, _componentCount + other._componentCount));
        }

        for (int c = 0; c < other._componentCount; c++)
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

    /// <summary>The tables of the segments since the last reset, exactly sized.</summary>
    public EdifactMessageData Build()
    {
        if (_segmentCount == 0)
        {
            return new EdifactMessageData(string.Empty, [], [], [], [0], null);
        }

        EdifactMessageData.SegmentRecord[] segments = _segments.AsSpan(0, _segmentCount).ToArray();
        string[] tags = _tags.AsSpan(0, _segmentCount).ToArray();
        int[] elements = _elements.AsSpan(0, _elementCount * Stride).ToArray();
        int[] components = new int[_componentCount + 1];
        _components.AsSpan(0, _componentCount).CopyTo(components.AsSpan(1));
        int[]? lineDeltas = _hasLineDeltas ? _lineDeltas.AsSpan(0, _elementCount).ToArray() : null;
        string text = _textLength == 0 ? string.Empty : new string(_text, 0, _textLength);
        return new EdifactMessageData(text, tags, segments, elements, components, lineDeltas);
    }

    /// <summary>Drops everything; buffers grown past <paramref name="keep"/> entries go back to the collector.</summary>
    public void Reset(int keep = int.MaxValue)
    {
        Array.Clear(_tags, 0, _segmentCount);
        if (_hasLineDeltas)
        {
            Array.Clear(_lineDeltas, 0, Math.Min(_lineDeltas.Length, _elementCount));
            _hasLineDeltas = false;
        }

        _dropping = false;
        _overflowCandidate = 0;
        _textLength = 0;
        _segmentCount = 0;
        _elementCount = 0;
        _componentCount = 0;
        if (_text.Length > keep)
        {
            _text = new char[1024];
        }

        if (_elements.Length > keep)
        {
            _elements = new int[128 * Stride];
        }

        if (_components.Length > keep)
        {
            _components = new int[256];
        }

        if (_lineDeltas.Length > keep)
        {
            _lineDeltas = [];
        }

        if (_segments.Length > keep)
        {
            _segments = new EdifactMessageData.SegmentRecord[32];
            _tags = new string[32];
        }
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
        segment.OverflowOffset = (int)Math.Clamp(_overflowPosition.ByteOffset - segment.ByteOffset, int.MinValue, int.MaxValue);
        segment.OverflowLineDelta = (int)Math.Clamp(_overflowPosition.Line - segment.Line, int.MinValue, int.MaxValue);
        _overflowCandidate = 0;
    }

    private void SetLineDelta(int element, int delta)
    {
        if (element >= _lineDeltas.Length)
        {
            Array.Resize(ref _lineDeltas, Math.Max(element + 1, Math.Max(64, _lineDeltas.Length * 2)));
        }

        _lineDeltas[element] = delta;
        _hasLineDeltas = true;
    }

    private void AddComponentEnd()
    {
        if (_componentCount == _components.Length)
        {
            Array.Resize(ref _components, _components.Length * 2);
        }

        _components[_componentCount++] = _textLength;
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
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + more));
        }
    }
}
