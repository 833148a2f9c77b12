namespace PortCustoms.Edifact;

/// <summary>How envelope findings count.</summary>
public enum EdifactValidationMode : byte
{
    /// <summary>Any envelope count or reference mismatch is an error (the <c>portcustoms validate</c> default).</summary>
    Strict = 0,

    /// <summary>Envelope findings are warnings and reading carries on.</summary>
    Lenient = 1,
}

/// <summary>How <see cref="EdifactInterchangeValidator"/> and <see cref="EdifactStreamReader"/> check an interchange.</summary>
public sealed class EdifactValidationOptions
{
    private int _maxDiagnostics = 10_000;
    private int _maxFindingsPerCode = FindingCollection.DefaultMaxPerCode;
    private long _maxMessageBytes = 64L * 1024 * 1024;
    private int _maxMessageSegments = 100_000;
    private int _maxMessageValues = 1_000_000;
    private int _bufferSize = 64 * 1024;

    public EdifactValidationMode Mode { get; set; }

    /// <summary>Tokenizer settings: segment length guard, delimiters for interchanges without UNA.</summary>
    public EdifactReaderOptions ReaderOptions { get; set; }

    /// <summary>Whether to report characters outside the character set that UNB declares.</summary>
    public bool CheckCharacterSet { get; set; } = true;

    /// <summary>Findings kept in all before the rest are only counted, so a garbage file cannot exhaust memory.</summary>
    public int MaxDiagnostics
    {
        get => _maxDiagnostics;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDiagnostics = value;
        }
    }

    /// <summary>Findings listed (with positions) per code and severity; the rest are counted exactly.</summary>
    public int MaxFindingsPerCode
    {
        get => _maxFindingsPerCode;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxFindingsPerCode = value;
        }
    }

    /// <summary>
    /// Input bytes of one message (UNH to UNT) beyond which it is refused (<c>EDI-MSG-TOO-LARGE</c>) instead of
    /// materialised for the structure and mapping layers; syntax and envelope checks still cover it. 64 MB.
    /// </summary>
    public long MaxMessageBytes
    {
        get => _maxMessageBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxMessageBytes = value;
        }
    }

    /// <summary>
    /// Segments of one message beyond which it is refused like <see cref="MaxMessageBytes"/>. A materialised segment
    /// costs far more than its bytes, so this, not the byte limit, is what bounds memory for messages of short
    /// segments; 100 000 holds a CUSCAR for the largest container ships with room to spare.
    /// </summary>
    public int MaxMessageSegments
    {
        get => _maxMessageSegments;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxMessageSegments = value;
        }
    }

    /// <summary>Data values (element and component occurrences) of one message beyond which it is refused, for messages of few, very wide segments.</summary>
    public int MaxMessageValues
    {
        get => _maxMessageValues;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxMessageValues = value;
        }
    }

    /// <summary>The read buffer size when reading a <see cref="Stream"/>.</summary>
    public int BufferSize
    {
        get => _bufferSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 256);
            _bufferSize = value;
        }
    }

    internal EdifactValidationOptions Clone() => (EdifactValidationOptions)MemberwiseClone();
}
