using System.Runtime.CompilerServices;
using System.Text;

namespace PortCustoms.Edifact;

/// <summary>
/// The compact form of a materialised message (or of one envelope segment): every component's unescaped, decoded text
/// in one string, and the structure in three flat tables. Per segment the reader allocates no element or component
/// objects; <see cref="EdifactSegment"/> reads these tables and builds <see cref="EdifactElement"/>s only when asked.
/// Nothing in it holds references but <see cref="Text"/> and the shared tag strings, so the collector has almost nothing
/// to trace when a wide message outlives gen 0 (issue 12).
/// </summary>
internal sealed class EdifactMessageData
{
    /// <summary>Ints per element record: index, repetition, first component, component count, byte offset and line from the segment's tag.</summary>
    internal const int ElementStride = 6;

    internal EdifactMessageData(string text, string[] tags, SegmentRecord[] segments, int[] elements, int[] components)
    {
        Text = text;
        Tags = tags;
        Segments = segments;
        Elements = elements;
        Components = components;
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
        return new EdifactPosition(record.Line + Elements[at + 5], record.ByteOffset + Elements[at + 4], record.Segment, Elements[at], 1);
    }

    /// <summary>
    /// The element record (absolute, in <see cref="Elements"/> / <see cref="ElementStride"/>) of the first occurrence of
    /// the 1-based element position, or -1. Constant time without repetitions, else a binary search.
    /// </summary>
    internal int FindElement(int segment, int element)
    {
        ref readonly SegmentRecord record = ref Segments[segment];
        int[] elements = Elements;
        int count = record.ElementCount;
        int first = record.FirstElement;
        EdifactWorkCounter.Count();
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

    /// <summary>The number of element positions of a segment: the last occurrence's index (0 without elements).</summary>
    internal int ElementPositions(int segment)
    {
        ref readonly SegmentRecord record = ref Segments[segment];
        return record.ElementCount == 0 ? 0 : Elements[(record.FirstElement + record.ElementCount - 1) * ElementStride];
    }

    internal int ComponentCount(int elementRecord) => elementRecord < 0 ? 0 : Elements[(elementRecord * ElementStride) + 3];

    /// <summary>The 1-based component of an element record, or empty when absent.</summary>
    internal ReadOnlySpan<char> Component(int elementRecord, int component)
    {
        if (elementRecord < 0)
        {
            return default;
        }

        int at = elementRecord * ElementStride;
        if ((uint)(component - 1) >= (uint)Elements[at + 3])
        {
            return default;
        }

        int index = Elements[at + 2] + component - 1;
        int start = Components[index];
        return Text.AsSpan(start, Components[index + 1] - start);
    }

    internal string ComponentString(int elementRecord, int component)
    {
        ReadOnlySpan<char> value = Component(elementRecord, component);
        return value.IsEmpty ? string.Empty : value.ToString();
    }

    /// <summary>The materialised form of one element record, as the reader used to build it.</summary>
    internal EdifactElement CreateElement(int segment, int elementRecord)
    {
        int at = elementRecord * ElementStride;
        int count = Elements[at + 3];
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
        public int ElementCount;
    }
}

/// <summary>
/// Builds <see cref="EdifactMessageData"/> from the reader's tokens into buffers reused from message to message; a
/// message costs one copy of them, exactly sized, when it is complete.
/// </summary>
internal sealed class EdifactMessageBuilder
{
    private const int ScratchBytes = 256;

    private char[] _text = new char[1024];
    private int _textLength;
    private string[] _tags = new string[32];
    private EdifactMessageData.SegmentRecord[] _segments = new EdifactMessageData.SegmentRecord[32];
    private int _segmentCount;
    private int[] _elements = new int[32 * 4 * EdifactMessageData.ElementStride];
    private int _elementCount;
    private int[] _components = new int[256];
    private int _componentCount;
    private int _currentElement = -1;
    private byte[] _scratch = new byte[ScratchBytes];

    public int SegmentCount => _segmentCount;

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
        _currentElement = -1;
    }

    /// <summary>Appends the one segment <paramref name="other"/> holds (UNH and UNT are read apart, then join their message).</summary>
    public void AppendSegment(EdifactMessageBuilder other)
    {
        EdifactMessageData.SegmentRecord record = other._segments[0];
        BeginSegment(other._tags[0], new EdifactPosition(record.Line, record.ByteOffset, record.Segment, 0, 0));
        int textBase = _textLength;
        int componentBase = _componentCount;
        EnsureText(other._textLength);
        other._text.AsSpan(0, other._textLength).CopyTo(_text.AsSpan(_textLength));
        _textLength += other._textLength;

        int ints = other._elementCount * EdifactMessageData.ElementStride;
        int at = _elementCount * EdifactMessageData.ElementStride;
        if (at + ints > _elements.Length)
        {
            Array.Resize(ref _elements, Math.Max(_elements.Length * 2, at + ints));
        }

        other._elements.AsSpan(0, ints).CopyTo(_elements.AsSpan(at));
        for (int e = at; e < at + ints; e += EdifactMessageData.ElementStride)
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

        _componentCount += other._componentCount;
        _elementCount += other._elementCount;
        _segments[_segmentCount - 1].ElementCount = other._elementCount;
        _currentElement = -1;
    }

    /// <summary>Starts an element occurrence at the reader's current token (an Element or Repetition token).</summary>
    public void BeginElement(int index, int repetition, EdifactPosition position)
    {
        int at = _elementCount * EdifactMessageData.ElementStride;
        if (at + EdifactMessageData.ElementStride > _elements.Length)
        {
            Array.Resize(ref _elements, _elements.Length * 2);
        }

        ref EdifactMessageData.SegmentRecord segment = ref _segments[_segmentCount - 1];
        _elements[at] = index;
        _elements[at + 1] = repetition;
        _elements[at + 2] = _componentCount;
        _elements[at + 3] = 0;
        _elements[at + 4] = (int)Math.Clamp(position.ByteOffset - segment.ByteOffset, int.MinValue, int.MaxValue);
        _elements[at + 5] = (int)Math.Clamp(position.Line - segment.Line, int.MinValue, int.MaxValue);
        _currentElement = _elementCount++;
        segment.ElementCount++;
    }

    /// <summary>Appends the reader's current value, unescaped and decoded as <see cref="EdifactReader.GetString"/> decodes it, to the current element.</summary>
    public void AddComponent(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (!raw.IsEmpty)
        {
            if (reader.ValueIsEscaped)
            {
                if (_scratch.Length < raw.Length)
                {
                    _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
                }

                int length = reader.CopyUnescaped(_scratch);
                Append(_scratch.AsSpan(0, length), reader.CharacterSet);
            }
            else
            {
                Append(raw, reader.CharacterSet);
            }
        }

        AddComponentStart(_textLength);
    }

    /// <summary>Appends a value already decoded (for segments built by hand).</summary>
    public void AddComponent(string value)
    {
        EnsureText(value.Length);
        value.CopyTo(_text.AsSpan(_textLength));
        _textLength += value.Length;
        AddComponentStart(_textLength);
    }

    /// <summary>The tables of the segments since the last reset, exactly sized.</summary>
    public EdifactMessageData Build() => Build(0, _segmentCount);

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

    /// <summary>Drops everything; buffers grown past <paramref name="keep"/> entries go back to the collector.</summary>
    public void Reset(int keep = int.MaxValue)
    {
        Array.Clear(_tags, 0, _segmentCount);
        _textLength = 0;
        _segmentCount = 0;
        _elementCount = 0;
        _componentCount = 0;
        _currentElement = -1;
        if (_text.Length > keep)
        {
            _text = new char[1024];
        }

        if (_elements.Length > keep)
        {
            _elements = new int[32 * 4 * EdifactMessageData.ElementStride];
        }

        if (_components.Length > keep)
        {
            _components = new int[256];
        }

        if (_segments.Length > keep)
        {
            _segments = new EdifactMessageData.SegmentRecord[32];
            _tags = new string[32];
        }
    }

    private EdifactMessageData Build(int firstSegment, int segmentCount)
    {
        if (segmentCount == 0)
        {
            return new EdifactMessageData(string.Empty, [], [], [], [0]);
        }

        var segments = new EdifactMessageData.SegmentRecord[segmentCount];
        var tags = new string[segmentCount];
        Array.Copy(_segments, firstSegment, segments, 0, segmentCount);
        Array.Copy(_tags, firstSegment, tags, 0, segmentCount);
        int firstElement = segments[0].FirstElement;
        ref EdifactMessageData.SegmentRecord lastSegment = ref segments[^1];
        int elementCount = lastSegment.FirstElement + lastSegment.ElementCount - firstElement;
        int firstComponent = elementCount == 0 ? 0 : _elements[(firstElement * EdifactMessageData.ElementStride) + 2];
        int componentCount = 0;
        if (elementCount > 0)
        {
            int last = (firstElement + elementCount - 1) * EdifactMessageData.ElementStride;
            componentCount = _elements[last + 2] + _elements[last + 3] - firstComponent;
        }

        int textStart = firstComponent == 0 ? 0 : _components[firstComponent - 1];
        int textEnd = componentCount == 0 ? textStart : _components[firstComponent + componentCount - 1];

        // Rebase the tables on this data's own start.
        for (int s = 0; s < segments.Length; s++)
        {
            segments[s].FirstElement -= firstElement;
        }

        int[] elements = _elements.AsSpan(firstElement * EdifactMessageData.ElementStride, elementCount * EdifactMessageData.ElementStride).ToArray();
        if (firstComponent != 0)
        {
            for (int e = 0; e < elements.Length; e += EdifactMessageData.ElementStride)
            {
                elements[e + 2] -= firstComponent;
            }
        }

        // Components hold each one's end in the builder (start of the next); the data holds starts plus a final end.
        int[] components = new int[componentCount + 1];
        components[0] = 0;
        for (int c = 0; c < componentCount; c++)
        {
            components[c + 1] = _components[firstComponent + c] - textStart;
        }

        string text = textEnd == textStart ? string.Empty : new string(_text, textStart, textEnd - textStart);
        return new EdifactMessageData(text, tags, segments, elements, components);
    }

    private void AddComponentStart(int end)
    {
        if (_componentCount == _components.Length)
        {
            Array.Resize(ref _components, _components.Length * 2);
        }

        // The end of this component (where the next starts).
        _components[_componentCount++] = end;
        _elements[(_currentElement * EdifactMessageData.ElementStride) + 3]++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(ReadOnlySpan<byte> bytes, EdifactCharacterSet characterSet)
    {
        // Latin-1 (UNOA/B/C and unknown sets) is one char per byte, UTF-8 at most one per byte: the byte count is enough room.
        EnsureText(bytes.Length);
        Encoding encoding = EdifactCharacterSets.GetEncoding(characterSet);
        _textLength += encoding.GetChars(bytes, _text.AsSpan(_textLength));
    }

    private void EnsureText(int more)
    {
        if (_textLength + more > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + more));
        }
    }
}
