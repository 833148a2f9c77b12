using System.Buffers;

namespace PortCustoms.Edifact;

/// <summary>
/// Everything an <see cref="EdifactReader"/> needs to resume: delimiters, syntax identifier, counters and offsets.
/// A plain struct, so it survives <c>await</c> in a <see cref="System.IO.Pipelines.PipeReader"/> loop.
/// </summary>
public struct EdifactReaderState
{
    internal EdifactReaderOptions _options;
    internal EdifactDelimiters _delimiters;
    internal SearchValues<byte>? _valueStops;
    internal SearchValues<byte>? _segmentStops;
    internal EdifactCharacterSet _characterSet;
    internal byte _syntaxVersion;
    internal long _line;
    internal long _byteOffset;
    internal long _segmentStart;
    internal long _segmentLine;
    internal int _segment;
    internal int _element;
    internal int _component;
    internal int _repetition;
    internal EdifactTokenType _tokenType;
    internal bool _inSegment;
    internal bool _inInterchangeHeader;
    internal bool _serviceStringAdvicePending;
    internal bool _delimitersFromUna;
    internal bool _initialized;

    // Byte-order marks skipped anywhere but at the start of the data (ISO 9735 has none): counted, the last one kept.
    internal int _strayByteOrderMarks;
    internal long _strayByteOrderMarkOffset;
    internal long _strayByteOrderMarkLine;

    /// <summary>A fresh state: line 1, offset 0, the options' default delimiters.</summary>
    public EdifactReaderState(EdifactReaderOptions options = default)
    {
        _options = options;
        _delimiters = options.DefaultDelimiters;
        _line = 1;
        _initialized = true;
    }

    public readonly EdifactReaderOptions Options => _options;

    /// <summary>The delimiters in force: from the last UNA, or the defaults.</summary>
    public readonly EdifactDelimiters Delimiters => _initialized ? _delimiters : EdifactDelimiters.Default;

    /// <summary>The character set from the current interchange's UNB syntax identifier.</summary>
    public readonly EdifactCharacterSet CharacterSet => _characterSet;

    /// <summary>The syntax version number from UNB (S001/0002), e.g. 3 or 4; 0 before it is read.</summary>
    public readonly int SyntaxVersion => _syntaxVersion;

    /// <summary>The 1-based line of the next unread byte.</summary>
    public readonly long Line => _initialized ? _line : 1;

    /// <summary>The 0-based offset of the next unread byte, counted from the start of the file.</summary>
    public readonly long ByteOffset => _byteOffset;

    /// <summary>The 1-based index in the interchange of the last segment started (UNB is 1).</summary>
    public readonly int Segment => _segment;

    /// <summary>The 1-based element position of the last value read; 0 on a tag.</summary>
    public readonly int Element => _element;

    /// <summary>The 1-based component position of the last value read; 0 on a tag.</summary>
    public readonly int Component => _component;

    internal void EnsureInitialized()
    {
        if (!_initialized)
        {
            this = new EdifactReaderState(_options);
        }

        _valueStops ??= _delimiters.CreateValueStops();
        _segmentStops ??= _delimiters.CreateSegmentStops();
    }

    private static readonly (SearchValues<byte> Value, SearchValues<byte> Segment) DefaultStops =
        (EdifactDelimiters.Default.CreateValueStops(), EdifactDelimiters.Default.CreateSegmentStops());

    private static readonly (SearchValues<byte> Value, SearchValues<byte> Segment) Version4DefaultStops =
        (EdifactDelimiters.Version4Default.CreateValueStops(), EdifactDelimiters.Version4Default.CreateSegmentStops());

    internal void SetDelimiters(EdifactDelimiters delimiters)
    {
        if (delimiters == _delimiters && _valueStops is not null)
        {
            return;
        }

        // Rebuilt only when a UNA (or a version 4 UNB without one) changes them: SearchValues creation is the expensive
        // part, so the two sets of defaults share theirs (files of many small version 4 interchanges switch each time).
        _delimiters = delimiters;
        if (delimiters == EdifactDelimiters.Default)
        {
            (_valueStops, _segmentStops) = (DefaultStops.Value, DefaultStops.Segment);
        }
        else if (delimiters == EdifactDelimiters.Version4Default)
        {
            (_valueStops, _segmentStops) = (Version4DefaultStops.Value, Version4DefaultStops.Segment);
        }
        else
        {
            _valueStops = delimiters.CreateValueStops();
            _segmentStops = delimiters.CreateSegmentStops();
        }
    }
}
