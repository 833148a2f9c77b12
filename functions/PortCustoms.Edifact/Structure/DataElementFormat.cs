using System.Globalization;

namespace PortCustoms.Edifact.Structure;

/// <summary>The character class of a data element, as the directories write it (a, n, an).</summary>
public enum DataElementType
{
    /// <summary><c>an</c>: any character of the character set.</summary>
    Alphanumeric = 0,

    /// <summary><c>a</c>: no digits.</summary>
    Alphabetic = 1,

    /// <summary><c>n</c>: digits, with an optional leading minus and one decimal mark, neither counted in the length.</summary>
    Numeric = 2,
}

/// <summary>A data element format in directory notation: <c>an..35</c> (up to 35) or <c>n3</c> (exactly 3).</summary>
public readonly record struct DataElementFormat
{
    private DataElementFormat(DataElementType type, int maxLength, bool isFixedLength)
    {
        Type = type;
        MaxLength = maxLength;
        IsFixedLength = isFixedLength;
    }

    /// <summary>The character class.</summary>
    public DataElementType Type { get; }

    /// <summary>The minimum length: <see cref="MaxLength"/> for a fixed length, else 1.</summary>
    public int MinLength => IsFixedLength ? MaxLength : 1;

    /// <summary>The maximum length.</summary>
    public int MaxLength { get; }

    /// <summary>True when the length is fixed (<c>n3</c>), false when it is a maximum (<c>n..3</c>).</summary>
    public bool IsFixedLength { get; }

    /// <summary>Parses directory notation (<c>an..35</c>, <c>n3</c>, <c>a1</c>).</summary>
    /// <exception cref="FormatException">The notation is not one of those forms.</exception>
    public static DataElementFormat Parse(string notation)
    {
        ArgumentNullException.ThrowIfNull(notation);
        int typeEnd = 0;
        while (typeEnd < notation.Length && char.IsAsciiLetterLower(notation[typeEnd]))
        {
            typeEnd++;
        }

        DataElementType type = notation[..typeEnd] switch
        {
            "an" => DataElementType.Alphanumeric,
            "a" => DataElementType.Alphabetic,
            "n" => DataElementType.Numeric,
            _ => throw new FormatException($"Unknown data element type in '{notation}'."),
        };
        bool variable = notation.AsSpan(typeEnd).StartsWith("..", StringComparison.Ordinal);
        ReadOnlySpan<char> digits = notation.AsSpan(typeEnd + (variable ? 2 : 0));
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length < 1)
        {
            throw new FormatException($"Bad length in data element format '{notation}'.");
        }

        return new DataElementFormat(type, length, !variable);
    }

    /// <summary>The directory notation.</summary>
    public override string ToString()
    {
        string type = Type switch
        {
            DataElementType.Alphabetic => "a",
            DataElementType.Numeric => "n",
            _ => "an",
        };
        return IsFixedLength
            ? string.Create(CultureInfo.InvariantCulture, $"{type}{MaxLength}")
            : string.Create(CultureInfo.InvariantCulture, $"{type}..{MaxLength}");
    }
}
