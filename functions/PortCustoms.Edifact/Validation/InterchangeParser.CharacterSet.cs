using System.Buffers;

namespace PortCustoms.Edifact;

// The character set check: each value (or skipped segment) against the repertoire of the interchange's syntax identifier.
internal sealed partial class InterchangeParser
{
    private bool _charsetReported;
    private bool _repertoireStale = true;
    private EdifactCharacterSet _repertoireFor;
    private EdifactDelimiters _repertoireDelimiters;
    private SearchValues<byte>? _allowedInValues;
    private SearchValues<byte>? _allowedWhenSkipping;

    private void CheckCharacters(ref EdifactReader reader, ReadOnlySpan<byte> raw)
    {
        if (_charsetReported || !_options.CheckCharacterSet)
        {
            return;
        }

        int invalid;
        if (reader.CharacterSet == EdifactCharacterSet.Unoy)
        {
            invalid = EdifactCharacterSets.IndexOfInvalid(raw, EdifactCharacterSet.Unoy);
        }
        else
        {
            Refresh(ref reader);
            invalid = _allowedInValues is null ? -1 : raw.IndexOfAnyExcept(_allowedInValues);
        }

        if (invalid >= 0)
        {
            ReportInvalidCharacter(ref reader, raw, invalid);
        }
    }

    private void ReportInvalidCharacter(ref EdifactReader reader, ReadOnlySpan<byte> raw, int invalid)
    {
        // One finding per segment is enough to reject it; more would only flood the report.
        _charsetReported = true;

        // A skipped segment's raw bytes end at its terminator; a value's start at the token. Either way, report the
        // line the byte is on.
        EdifactPosition token = reader.TokenPosition;
        EdifactPosition position = reader.TokenType == EdifactTokenType.SegmentTerminator
            ? token with { Line = token.Line - raw[invalid..].Count((byte)'\n'), ByteOffset = token.ByteOffset - raw.Length + invalid, Element = 0, Component = 0 }
            : token with { Line = token.Line + raw[..invalid].Count((byte)'\n'), ByteOffset = token.ByteOffset + invalid };
        _sink.Report(EdifactErrorCodes.InvalidCharacter, $"Byte 0x{raw[invalid]:X2} is outside the character set {reader.CharacterSet}.", position, EdifactSyntaxErrorCodes.InvalidCharacters);
    }

    private SearchValues<byte>? AllowedWhenSkipping(ref EdifactReader reader)
    {
        if (!_options.CheckCharacterSet)
        {
            return null;
        }

        Refresh(ref reader);
        return _allowedWhenSkipping;
    }

    private void Refresh(ref EdifactReader reader)
    {
        if (!_repertoireStale)
        {
            return;
        }

        _repertoireStale = false;
        EdifactDelimiters delimiters = reader.Delimiters;
        if (_allowedInValues is not null && reader.CharacterSet == _repertoireFor && delimiters == _repertoireDelimiters)
        {
            return;
        }

        _repertoireFor = reader.CharacterSet;
        _repertoireDelimiters = delimiters;
        _allowedInValues = EdifactCharacterSets.AllowedBytes(reader.CharacterSet, delimiters, structural: true);
        _allowedWhenSkipping = EdifactCharacterSets.AllowedBytes(reader.CharacterSet, delimiters, structural: false);
    }
}
