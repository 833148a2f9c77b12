using System.Text;

namespace PortCustoms.Core.Batch;

/// <summary>One CSV record: its fields and the 1-based line it starts on.</summary>
public sealed record CsvRecord(long Line, IReadOnlyList<string> Fields);

/// <summary>Why the CSV could not be read on; the reader stops at the first.</summary>
public sealed class CsvFormatException(string code, string message, long line) : Exception(message)
{
    public string Code { get; } = code;

    public long Line { get; } = line;
}

/// <summary>
/// Reads RFC 4180 CSV (UTF-8, optional BOM, CRLF or LF, quoted fields with <c>""</c>) one record at a time from a
/// stream, so a file of any size is read with one record in memory. Fields are bounded in length: a runaway quote
/// cannot swallow the rest of a gigabyte file into one string.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    public const int MaxFieldLength = 64 * 1024;

    private readonly StreamReader _reader;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private long _line = 1;
    private bool _end;

    public CsvRecordReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Invalid UTF-8 throws rather than turning names into U+FFFD.
        _reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen);
    }

    /// <summary>The next record, or null at the end of the file. Throws <see cref="CsvFormatException"/> on malformed input.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var fields = new List<string>();
        var startLine = _line;
        var quoted = false;
        var afterQuote = false;
        var any = false;
        _field.Clear();
        while (true)
        {
            if (_position == _length)
            {
                if (_end)
                {
                    break;
                }
                try
                {
                    _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
                catch (DecoderFallbackException)
                {
                    throw new CsvFormatException(BatchErrorCodes.CsvNotUtf8, "The file is not valid UTF-8.", _line);
                }
                _position = 0;
                if (_length == 0)
                {
                    _end = true;
                    break;
                }
            }
            var c = _buffer[_position++];
            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    quoted = false;
                    afterQuote = true;
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }
                    Append(c, startLine);
                }
                continue;
            }
            switch (c)
            {
                case '"' when afterQuote:
                    // An escaped quote inside a quoted field ("" -> ").
                    Append('"', startLine);
                    quoted = true;
                    afterQuote = false;
                    break;
                case '"' when _field.Length == 0:
                    quoted = true;
                    break;
                case '"':
                    throw new CsvFormatException(BatchErrorCodes.CsvMalformed, "A quote inside an unquoted field (RFC 4180: quote the whole field and double the quote).", _line);
                case ',':
                    fields.Add(_field.ToString());
                    _field.Clear();
                    afterQuote = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    fields.Add(_field.ToString());
                    return new CsvRecord(startLine, fields);
                default:
                    if (afterQuote)
                    {
                        throw new CsvFormatException(BatchErrorCodes.CsvMalformed, "Text after the closing quote of a field.", _line);
                    }
                    Append(c, startLine);
                    break;
            }
        }
        if (quoted)
        {
            throw new CsvFormatException(BatchErrorCodes.CsvMalformed, "A quoted field is not closed before the end of the file.", startLine);
        }
        if (!any || (fields.Count == 0 && _field.Length == 0 && !afterQuote))
        {
            return null;
        }
        fields.Add(_field.ToString());
        return new CsvRecord(startLine, fields);
    }

    public void Dispose() => _reader.Dispose();

    private void Append(char c, long startLine)
    {
        if (_field.Length >= MaxFieldLength)
        {
            throw new CsvFormatException(BatchErrorCodes.CsvMalformed, $"A field is longer than {MaxFieldLength} characters (an unclosed quote?).", startLine);
        }
        _field.Append(c);
    }
}
