using System.Buffers;

namespace PortCustoms.Edifact;

/// <summary>The service characters of an interchange: from its UNA, or the ISO 9735 defaults <c>:+.? '</c>.</summary>
public readonly record struct EdifactDelimiters
{
    /// <summary>ISO 9735 level A defaults, used when an interchange has no UNA.</summary>
    public static EdifactDelimiters Default { get; } = new((byte)':', (byte)'+', (byte)'.', (byte)'?', (byte)' ', (byte)'\'');

    /// <summary>The repetition separator syntax version 4 (ISO 9735-1:2002) uses when an interchange has no UNA.</summary>
    public const byte Version4RepetitionSeparator = (byte)'*';

    /// <summary>The defaults of a syntax version 4 interchange without UNA: level A's, with <c>*</c> separating repetitions.</summary>
    public static EdifactDelimiters Version4Default { get; } = Default with { RepetitionSeparator = Version4RepetitionSeparator };

    public EdifactDelimiters(
        byte componentSeparator,
        byte elementSeparator,
        byte decimalMark,
        byte releaseCharacter,
        byte repetitionSeparator,
        byte segmentTerminator)
    {
        ComponentSeparator = componentSeparator;
        ElementSeparator = elementSeparator;
        DecimalMark = decimalMark;
        ReleaseCharacter = releaseCharacter;
        RepetitionSeparator = repetitionSeparator;
        SegmentTerminator = segmentTerminator;
    }

    public byte ComponentSeparator { get; init; }

    public byte ElementSeparator { get; init; }

    public byte DecimalMark { get; init; }

    /// <summary>The release (escape) character; a space means the interchange has none.</summary>
    public byte ReleaseCharacter { get; init; }

    /// <summary>The repetition separator (version 4); a space (the version 3 "reserved" value) means none.</summary>
    public byte RepetitionSeparator { get; init; }

    public byte SegmentTerminator { get; init; }

    /// <summary>Whether the interchange uses a release character (UNA position 4 is not a space).</summary>
    public bool HasReleaseCharacter => ReleaseCharacter != (byte)' ';

    /// <summary>Whether the interchange uses a repetition separator (UNA position 5 is not a space).</summary>
    public bool HasRepetitionSeparator => RepetitionSeparator != (byte)' ';

    /// <summary>Reads the six characters that follow <c>UNA</c>.</summary>
    /// <returns>False when the service characters are not usable: the separators, release and terminator must differ and be neither letters nor digits.</returns>
    public static bool TryParse(ReadOnlySpan<byte> serviceStringAdvice, out EdifactDelimiters delimiters)
    {
        delimiters = default;
        if (serviceStringAdvice.Length != 6)
        {
            return false;
        }

        var candidate = new EdifactDelimiters(
            serviceStringAdvice[0],
            serviceStringAdvice[1],
            serviceStringAdvice[2],
            serviceStringAdvice[3],
            serviceStringAdvice[4],
            serviceStringAdvice[5]);
        if (!candidate.AreDistinct())
        {
            return false;
        }

        delimiters = candidate;
        return true;
    }

    /// <summary>The six characters of a UNA carrying these delimiters.</summary>
    public void CopyTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 6, nameof(destination));
        destination[0] = ComponentSeparator;
        destination[1] = ElementSeparator;
        destination[2] = DecimalMark;
        destination[3] = ReleaseCharacter;
        destination[4] = RepetitionSeparator;
        destination[5] = SegmentTerminator;
    }

    internal bool AreDistinct()
    {
        Span<byte> used = stackalloc byte[5];
        int count = 0;
        used[count++] = ComponentSeparator;
        used[count++] = ElementSeparator;
        used[count++] = SegmentTerminator;
        if (HasReleaseCharacter)
        {
            used[count++] = ReleaseCharacter;
        }

        if (HasRepetitionSeparator)
        {
            used[count++] = RepetitionSeparator;
        }

        for (int i = 0; i < count; i++)
        {
            // Separators and terminator must be visible characters: a space one would collide with data.
            if (i < 3 && used[i] == (byte)' ')
            {
                return false;
            }

            // A letter or digit would be read as data (and segment tags are letters and digits).
            if (char.IsAsciiLetterOrDigit((char)used[i]))
            {
                return false;
            }

            if (used[(i + 1)..count].Contains(used[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes that end or interrupt a value: separators, terminator, release character, and LF (to count lines).</summary>
    internal SearchValues<byte> CreateValueStops()
    {
        Span<byte> stops = stackalloc byte[6];
        int count = 0;
        stops[count++] = ComponentSeparator;
        stops[count++] = ElementSeparator;
        stops[count++] = SegmentTerminator;
        if (HasReleaseCharacter)
        {
            stops[count++] = ReleaseCharacter;
        }

        if (HasRepetitionSeparator)
        {
            stops[count++] = RepetitionSeparator;
        }

        if (!stops[..count].Contains((byte)'\n'))
        {
            stops[count++] = (byte)'\n';
        }

        return SearchValues.Create(stops[..count]);
    }

    /// <summary>The bytes that matter when skipping a whole segment: terminator, release character and LF.</summary>
    internal SearchValues<byte> CreateSegmentStops()
    {
        Span<byte> stops = stackalloc byte[3];
        int count = 0;
        stops[count++] = SegmentTerminator;
        if (HasReleaseCharacter)
        {
            stops[count++] = ReleaseCharacter;
        }

        if (SegmentTerminator != (byte)'\n')
        {
            stops[count++] = (byte)'\n';
        }

        return SearchValues.Create(stops[..count]);
    }
}
