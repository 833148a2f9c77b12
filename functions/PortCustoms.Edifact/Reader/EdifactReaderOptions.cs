namespace PortCustoms.Edifact;

/// <summary>How an <see cref="EdifactReader"/> tokenizes.</summary>
public readonly record struct EdifactReaderOptions
{
    /// <summary>64 KiB: far above any real segment, small enough that a missing terminator cannot swallow the file.</summary>
    public const int DefaultMaxSegmentLength = 64 * 1024;

    private readonly int _maxSegmentLength;
    private readonly EdifactDelimiters? _defaultDelimiters;

    /// <summary>The longest segment accepted, tag to terminator, in bytes.</summary>
    public int MaxSegmentLength
    {
        get => _maxSegmentLength == 0 ? DefaultMaxSegmentLength : _maxSegmentLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16);
            _maxSegmentLength = value;
        }
    }

    /// <summary>The delimiters of an interchange without UNA; ISO 9735's <c>:+.? '</c> unless a partner agreement says otherwise.</summary>
    public EdifactDelimiters DefaultDelimiters
    {
        get => _defaultDelimiters ?? EdifactDelimiters.Default;
        init
        {
            if (!value.AreDistinct())
            {
                throw new ArgumentException("The delimiters must be distinct.", nameof(value));
            }

            _defaultDelimiters = value;
        }
    }
}
