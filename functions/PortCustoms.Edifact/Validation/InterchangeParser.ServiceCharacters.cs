namespace PortCustoms.Edifact;

// ISO 9735 rules on service characters and tags: trailing separators, releases before ordinary characters, the UNA decimal mark, stray byte-order marks.
internal sealed partial class InterchangeParser
{
    private int _byteOrderMarksSeen;
    private bool _releaseReported;
    private bool _trailingSeparator;
    private bool _lastValueEmpty;
    private EdifactTokenType _lastValueType;

    /// <summary>What the tokens before a skipped remainder and the remainder's raw bytes say about trailing separators and releases.</summary>
    private void CheckSkippedSeparators(ref EdifactReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        EdifactDelimiters delimiters = reader.Delimiters;
        if (raw.IsEmpty)
        {
            _trailingSeparator |= _lastValueEmpty && _lastValueType is EdifactTokenType.Element or EdifactTokenType.Component;
            return;
        }

        byte release = delimiters.HasReleaseCharacter ? delimiters.ReleaseCharacter : delimiters.SegmentTerminator;
        byte last = raw[^1];
        if ((last == delimiters.ElementSeparator || last == delimiters.ComponentSeparator) && !IsReleased(raw, raw.Length - 1, release))
        {
            _trailingSeparator = true;
        }
        else if (raw[0] == delimiters.ElementSeparator && _lastValueType == EdifactTokenType.Component && _lastValueEmpty)
        {
            _trailingSeparator = true;
        }
        else
        {
            ReadOnlySpan<byte> componentThenElement = [delimiters.ComponentSeparator, delimiters.ElementSeparator];
            for (int from = 0, at; (at = raw[from..].IndexOf(componentThenElement)) >= 0; from += at + 1)
            {
                if (!IsReleased(raw, from + at, release))
                {
                    _trailingSeparator = true;
                    break;
                }
            }
        }

        if (reader.ValueIsEscaped && !_releaseReported)
        {
            CheckReleases(ref reader, raw, skipped: true);
        }
    }

    /// <summary>Whether the byte at <paramref name="index"/> follows an odd run of release characters.</summary>
    private static bool IsReleased(ReadOnlySpan<byte> raw, int index, byte release)
    {
        int run = 0;
        while (index - run - 1 >= 0 && raw[index - run - 1] == release)
        {
            run++;
        }

        return (run & 1) == 1;
    }

    /// <summary>A release character may only precede a service character (ISO 9735); one finding per segment.</summary>
    private void CheckReleases(ref EdifactReader reader, ReadOnlySpan<byte> raw, bool skipped)
    {
        EdifactDelimiters delimiters = reader.Delimiters;
        if (!delimiters.HasReleaseCharacter)
        {
            return;
        }

        for (int i = raw.IndexOf(delimiters.ReleaseCharacter); i >= 0 && i + 1 < raw.Length; i = NextRelease(raw, i + 2, delimiters.ReleaseCharacter))
        {
            if (EdifactReader.IsServiceCharacter(raw[i + 1], delimiters))
            {
                continue;
            }

            _releaseReported = true;
            EdifactPosition token = reader.TokenPosition;
            EdifactPosition position = skipped
                ? token with { Line = token.Line - raw[i..].Count((byte)'\n'), ByteOffset = token.ByteOffset - raw.Length + i, Element = 0, Component = 0 }
                : token with { Line = token.Line + raw[..i].Count((byte)'\n'), ByteOffset = token.ByteOffset + i, Element = 0, Component = 0 };
            _sink.Report(EdifactErrorCodes.ReleaseBeforeOrdinaryCharacter, $"The release character precedes byte 0x{raw[i + 1]:X2}, which is not a service character: it was read as data.", position, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
            return;
        }

        static int NextRelease(ReadOnlySpan<byte> raw, int from, byte release)
        {
            if (from >= raw.Length)
            {
                return -1;
            }

            int next = raw[from..].IndexOf(release);
            return next < 0 ? -1 : from + next;
        }
    }

    private void CheckServiceStringAdvice(ref EdifactReader reader)
    {
        if (reader.StrayByteOrderMarks != _byteOrderMarksSeen)
        {
            ReportByteOrderMark(ref reader, reader.SegmentIndex + 1);
        }

        // UNA position 3: only comma or full stop may be the decimal mark.
        ReadOnlySpan<byte> advice = reader.ValueSpan;
        if (advice.Length == 6 && advice[2] is not ((byte)',' or (byte)'.'))
        {
            EdifactPosition position = reader.TokenPosition;
            _sink.Report(EdifactErrorCodes.DecimalMarkInvalid, $"UNA gives 0x{advice[2]:X2} as the decimal mark; only comma or full stop are allowed.", position with { ByteOffset = position.ByteOffset + 5, Segment = position.Segment + 1 }, EdifactSyntaxErrorCodes.InvalidServiceCharacters);
        }
    }

    private void ReportByteOrderMark(ref EdifactReader reader, int segment)
    {
        _byteOrderMarksSeen = reader.StrayByteOrderMarks;
        (long line, long offset) = reader.StrayByteOrderMark;
        _sink.Report(EdifactErrorCodes.ByteOrderMarkInside, "A UTF-8 byte-order mark inside the data (only the first bytes of a file may hold one).", new EdifactPosition(line, offset, segment, 0, 0), EdifactSyntaxErrorCodes.InvalidCharacters);
    }

    private static bool IsValidTag(ReadOnlySpan<byte> tag) =>
        tag.Length == 3 && IsTagCharacter(tag[0]) && IsTagCharacter(tag[1]) && IsTagCharacter(tag[2]);

    private static bool IsTagCharacter(byte b) => (uint)(b - 'A') <= 'Z' - 'A' || (uint)(b - '0') <= 9;
}
