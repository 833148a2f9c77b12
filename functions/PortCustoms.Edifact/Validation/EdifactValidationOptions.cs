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
    private int _maxDiagnostics = 1000;
    private int _bufferSize = 64 * 1024;

    public EdifactValidationMode Mode { get; set; }

    /// <summary>Tokenizer settings: segment length guard, delimiters for interchanges without UNA.</summary>
    public EdifactReaderOptions ReaderOptions { get; set; }

    /// <summary>Whether to report characters outside the character set that UNB declares.</summary>
    public bool CheckCharacterSet { get; set; } = true;

    /// <summary>Findings kept before the rest are only counted, so a garbage file cannot exhaust memory.</summary>
    public int MaxDiagnostics
    {
        get => _maxDiagnostics;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDiagnostics = value;
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
