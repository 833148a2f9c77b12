using System.Buffers;
using System.Globalization;
using System.Text;

namespace PortCustoms.Edifact;

/// <summary>
/// Writes UN/EDIFACT into an <see cref="IBufferWriter{T}"/>, releasing special characters, and counting segments itself
/// so UNT, UNE and UNZ are always right: <see cref="WriteMessageTrailer"/>, <see cref="WriteGroupTrailer"/> and
/// <see cref="WriteInterchangeTrailer"/> take their counts and references from what was written.
/// </summary>
public sealed class EdifactWriter
{
    private const int StackallocByteThreshold = 256;

    private readonly IBufferWriter<byte> _output;
    private readonly EdifactDelimiters _delimiters;
    private readonly Encoding _encoding;
    private readonly EdifactCharacterSet _characterSet;
    private readonly bool _newLineAfterSegment;
    private readonly SearchValues<byte> _special;

    private Envelope _segment;
    private bool _inSegment;
    private int _element;
    private int _component;
    private string? _interchangeReference;
    private string? _groupReference;
    private string? _messageReference;
    private int _messageSegments;
    private int _interchangeCount;
    private int _groupMessages;
    private bool _inGroup;

    public EdifactWriter(IBufferWriter<byte> output, EdifactWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options = options?.Clone() ?? new EdifactWriterOptions();
        if (!options.Delimiters.AreDistinct())
        {
            throw new ArgumentException("The delimiters must be distinct, and neither spaces (separators) nor letters or digits.", nameof(options));
        }

        _output = output;
        _delimiters = options.Delimiters;
        _encoding = options.CharacterSet == EdifactCharacterSet.Unoy
            ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
            : Encoding.GetEncoding("iso-8859-1", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        _characterSet = options.CharacterSet;
        _newLineAfterSegment = options.NewLineAfterSegment;
        Span<byte> special = stackalloc byte[5];
        int count = 0;
        special[count++] = _delimiters.ComponentSeparator;
        special[count++] = _delimiters.ElementSeparator;
        special[count++] = _delimiters.SegmentTerminator;
        if (_delimiters.HasReleaseCharacter)
        {
            special[count++] = _delimiters.ReleaseCharacter;
        }

        if (_delimiters.HasRepetitionSeparator)
        {
            special[count++] = _delimiters.RepetitionSeparator;
        }

        _special = SearchValues.Create(special[..count]);
    }

    /// <summary>Segments written since the last UNH, that UNH included.</summary>
    public int MessageSegmentCount => _messageSegments;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    private enum Envelope : byte
    {
        Other,
        Unb,
        Ung,
        Unh,
    }

    /// <summary>Writes the UNA service string advice carrying this writer's delimiters.</summary>
    public void WriteServiceStringAdvice()
    {
        EnsureOutsideSegment();
        Span<byte> una = stackalloc byte[9];
        "UNA"u8.CopyTo(una);
        _delimiters.CopyTo(una[3..]);
        WriteRaw(una);
        WriteNewLine();
    }

    /// <summary>
    /// Starts an interchange, the one way every interchange this project writes starts: UNA with this writer's
    /// delimiters, then UNB with the writer's character set (S001), <paramref name="syntaxVersion"/>, the parties, the
    /// date and time of preparation (UTC; YYMMDD before syntax version 4, CCYYMMDD from it) and the control reference
    /// that <see cref="WriteInterchangeTrailer"/> repeats in UNZ.
    /// </summary>
    /// <param name="sender">S002; its qualifier and routing address are written only when given.</param>
    /// <param name="recipient">S003, likewise.</param>
    /// <param name="preparedAt">S004, written in UTC.</param>
    /// <param name="controlReference">0020 (an..14), unique per sender.</param>
    /// <param name="syntaxVersion">S001 0002: 1 to 4.</param>
    public void WriteInterchangeHeader(EdifactParty sender, EdifactParty recipient, DateTimeOffset preparedAt, string controlReference, int syntaxVersion = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(controlReference);
        ArgumentOutOfRangeException.ThrowIfLessThan(syntaxVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(syntaxVersion, 4);
        WriteServiceStringAdvice();
        DateTimeOffset at = preparedAt.ToUniversalTime();
        WriteSegmentStart("UNB"u8);
        WriteElement(EdifactCharacterSets.ToSyntaxIdentifier(_characterSet));
        WriteComponent(syntaxVersion.ToString(CultureInfo.InvariantCulture));
        WriteParty(sender);
        WriteParty(recipient);
        WriteElement(at.ToString(syntaxVersion >= 4 ? "yyyyMMdd" : "yyMMdd", CultureInfo.InvariantCulture));
        WriteComponent(at.ToString("HHmm", CultureInfo.InvariantCulture));
        WriteElement(controlReference);
        WriteSegmentEnd();
    }

    /// <summary>Starts a segment. UNB, UNG and UNH start envelopes whose references the trailers repeat.</summary>
    public void WriteSegmentStart(ReadOnlySpan<byte> tag)
    {
        EnsureOutsideSegment();
        if (tag.IsEmpty || tag.ContainsAnyExcept(s_tagCharacters))
        {
            throw new ArgumentException("A segment tag is upper-case letters and digits.", nameof(tag));
        }

        _segment = tag switch
        {
            [(byte)'U', (byte)'N', (byte)'B'] => Envelope.Unb,
            [(byte)'U', (byte)'N', (byte)'G'] => Envelope.Ung,
            [(byte)'U', (byte)'N', (byte)'H'] => Envelope.Unh,
            _ => Envelope.Other,
        };
        switch (_segment)
        {
            case Envelope.Unb:
                _interchangeReference = null;
                _interchangeCount = 0;
                _inGroup = false;
                break;
            case Envelope.Ung:
                _groupReference = null;
                _groupMessages = 0;
                _inGroup = true;
                break;
            case Envelope.Unh:
                _messageReference = null;
                _messageSegments = 0;
                break;
        }

        _messageSegments++;
        WriteRaw(tag);
        _inSegment = true;
        _element = 0;
        _component = 0;
    }

    /// <inheritdoc cref="WriteSegmentStart(ReadOnlySpan{byte})"/>
    public void WriteSegmentStart(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        Span<byte> bytes = stackalloc byte[tag.Length];
        if (Encoding.ASCII.GetBytes(tag, bytes) != tag.Length)
        {
            throw new ArgumentException("A segment tag is upper-case letters and digits.", nameof(tag));
        }

        WriteSegmentStart(bytes);
    }

    /// <summary>Starts a new data element with <paramref name="value"/> as its first component (already encoded bytes).</summary>
    public void WriteElement(ReadOnlySpan<byte> value)
    {
        EnsureInSegment();
        _element++;
        _component = 1;
        WriteSeparatedValue(_delimiters.ElementSeparator, value);
    }

    /// <summary>Starts a new data element with <paramref name="value"/> as its first component.</summary>
    public void WriteElement(string? value) => WriteText(value, EdifactTokenType.Element);

    /// <summary>Starts a new data element holding an integer, e.g. a count.</summary>
    public void WriteElement(int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
        WriteElement(digits[..written]);
    }

    /// <summary>Adds a component to the current element (already encoded bytes).</summary>
    public void WriteComponent(ReadOnlySpan<byte> value)
    {
        EnsureInSegment();
        if (_element == 0)
        {
            throw new InvalidOperationException("Write an element before its further components.");
        }

        _component++;
        WriteSeparatedValue(_delimiters.ComponentSeparator, value);
    }

    /// <summary>Adds a component to the current element.</summary>
    public void WriteComponent(string? value) => WriteText(value, EdifactTokenType.Component);

    /// <summary>Starts a repeated occurrence of the current element (ISO 9735 version 4).</summary>
    public void WriteRepetition(ReadOnlySpan<byte> value)
    {
        EnsureInSegment();
        if (!_delimiters.HasRepetitionSeparator)
        {
            throw new InvalidOperationException("These delimiters have no repetition separator.");
        }

        if (_element == 0)
        {
            throw new InvalidOperationException("Write an element before repeating it.");
        }

        _component = 1;
        WriteSeparatedValue(_delimiters.RepetitionSeparator, value);
    }

    /// <summary>Ends the current segment.</summary>
    public void WriteSegmentEnd()
    {
        EnsureInSegment();
        Span<byte> end = [_delimiters.SegmentTerminator, (byte)'\n'];
        WriteRaw(_newLineAfterSegment && _delimiters.SegmentTerminator != (byte)'\n' ? end : end[..1]);
        _inSegment = false;
        _segment = Envelope.Other;
    }

    /// <summary>Writes a whole segment of simple elements.</summary>
    public void WriteSegment(string tag, params ReadOnlySpan<string?> elements)
    {
        WriteSegmentStart(tag);
        foreach (string? element in elements)
        {
            WriteElement(element);
        }

        WriteSegmentEnd();
    }

    /// <summary>Writes UNT with the number of segments since UNH (both included) and UNH's message reference.</summary>
    public void WriteMessageTrailer()
    {
        string reference = _messageReference ?? throw new InvalidOperationException("No UNH with a message reference was written.");
        WriteSegmentStart("UNT"u8);
        WriteElement(_messageSegments);
        WriteElement(reference);
        WriteSegmentEnd();
        _messageReference = null;
        if (_inGroup)
        {
            _groupMessages++;
        }
        else
        {
            _interchangeCount++;
        }
    }

    /// <summary>Writes UNE with the number of messages since UNG and UNG's group reference.</summary>
    public void WriteGroupTrailer()
    {
        string reference = _groupReference ?? throw new InvalidOperationException("No UNG with a group reference was written.");
        WriteSegmentStart("UNE"u8);
        WriteElement(_groupMessages);
        WriteElement(reference);
        WriteSegmentEnd();
        _groupReference = null;
        _inGroup = false;
        _interchangeCount++;
    }

    /// <summary>Writes UNZ with the number of messages (or groups) since UNB and UNB's control reference.</summary>
    public void WriteInterchangeTrailer()
    {
        string reference = _interchangeReference ?? throw new InvalidOperationException("No UNB with a control reference was written.");
        WriteSegmentStart("UNZ"u8);
        WriteElement(_interchangeCount);
        WriteElement(reference);
        WriteSegmentEnd();
        _interchangeReference = null;
    }

    private void WriteParty(EdifactParty party)
    {
        WriteElement(party.Identification);
        if (!string.IsNullOrEmpty(party.CodeQualifier) || !string.IsNullOrEmpty(party.RoutingAddress))
        {
            WriteComponent(party.CodeQualifier);
        }

        if (!string.IsNullOrEmpty(party.RoutingAddress))
        {
            WriteComponent(party.RoutingAddress);
        }
    }

    private static readonly SearchValues<byte> s_tagCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"u8);

    private void WriteText(string? value, EdifactTokenType tokenType)
    {
        value ??= string.Empty;
        int maxLength = _encoding.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> bytes = maxLength <= StackallocByteThreshold
            ? stackalloc byte[StackallocByteThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            int length;
            try
            {
                length = _encoding.GetBytes(value, bytes);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("The value has characters outside the writer's character set.", nameof(value), e);
            }

            if (tokenType == EdifactTokenType.Element)
            {
                WriteElement(bytes[..length]);
            }
            else
            {
                WriteComponent(bytes[..length]);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void WriteSeparatedValue(byte separator, ReadOnlySpan<byte> value)
    {
        RememberReference(value);
        int firstSpecial = value.IndexOfAny(_special);
        if (firstSpecial < 0)
        {
            // Fast path: nothing to release, one copy.
            Span<byte> span = _output.GetSpan(value.Length + 1);
            span[0] = separator;
            value.CopyTo(span[1..]);
            Advance(value.Length + 1);
            return;
        }

        // At most every remaining byte needs a release character.
        int maxLength = 1 + value.Length + (value.Length - firstSpecial);
        Span<byte> destination = _output.GetSpan(maxLength);
        destination[0] = separator;
        value[..firstSpecial].CopyTo(destination[1..]);
        int written = 1 + firstSpecial;
        byte release = _delimiters.ReleaseCharacter;
        for (int i = firstSpecial; i < value.Length; i++)
        {
            byte b = value[i];
            if (_special.Contains(b))
            {
                if (!_delimiters.HasReleaseCharacter)
                {
                    throw new ArgumentException("The value holds a delimiter and these delimiters have no release character.", nameof(value));
                }

                destination[written++] = release;
            }

            destination[written++] = b;
        }

        Advance(written);
    }

    private void RememberReference(ReadOnlySpan<byte> value)
    {
        // UNB 0020 and UNG 0048 are element 5, UNH 0062 is element 1; each the first component.
        if (_segment == Envelope.Other || _component != 1)
        {
            return;
        }

        switch (_segment)
        {
            case Envelope.Unb when _element == 5:
                _interchangeReference = _encoding.GetString(value);
                break;
            case Envelope.Ung when _element == 5:
                _groupReference = _encoding.GetString(value);
                break;
            case Envelope.Unh when _element == 1:
                _messageReference = _encoding.GetString(value);
                break;
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    private void WriteNewLine()
    {
        if (_newLineAfterSegment && _delimiters.SegmentTerminator != (byte)'\n')
        {
            WriteRaw("\n"u8);
        }
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        BytesWritten += count;
    }

    private void EnsureInSegment()
    {
        if (!_inSegment)
        {
            throw new InvalidOperationException("Start a segment first.");
        }
    }

    private void EnsureOutsideSegment()
    {
        if (_inSegment)
        {
            throw new InvalidOperationException("End the current segment first.");
        }
    }
}
