using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace PortCustoms.Core.Model;

/// <summary>Why a text is not an ISO 6346 container number.</summary>
public enum ContainerNumberError : byte
{
    None = 0,
    Empty,
    Length,
    OwnerCode,
    Category,
    Serial,
    CheckDigit,
}

/// <summary>
/// An ISO 6346 container number: owner code (3 letters), equipment category (U, J or Z), serial (6 digits) and check digit,
/// e.g. <c>MSCU1234566</c>. <c>default</c> means "no value" and is rejected wherever a container is required.
/// </summary>
public readonly record struct ContainerNumber : ISpanFormattable, IUtf8SpanFormattable
{
    public const int Length = 11;

    private readonly string? _value;

    private ContainerNumber(string value) => _value = value;

    /// <summary>True for <c>default</c>: no container number.</summary>
    public bool IsEmpty => _value is null;

    public string OwnerCode => Value[..3];

    public char Category => Value[3];

    public string Serial => Value[4..10];

    public int CheckDigit => Value[10] - '0';

    private string Value => _value ?? throw new InvalidOperationException("The container number is empty (default).");

    public static ContainerNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParse(text.AsSpan(), out var result);
        return error == ContainerNumberError.None
            ? result
            : throw new FormatException($"'{text}' is not an ISO 6346 container number: {Describe(error)}.");
    }

    /// <summary>Parses upper-case text exactly (no trimming, no case folding: what the TOS sent is what customs gets).</summary>
    public static ContainerNumberError TryParse(ReadOnlySpan<char> text, out ContainerNumber result)
    {
        result = default;
        var error = Validate(text);
        if (error == ContainerNumberError.None)
        {
            result = new ContainerNumber(text.ToString());
        }
        return error;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out ContainerNumber result)
    {
        result = default;
        return text is not null && TryParse(text.AsSpan(), out result) == ContainerNumberError.None;
    }

    /// <summary>Parses straight from UTF-8 bytes (an EDIFACT or JSON value span) without an intermediate string on failure.</summary>
    public static ContainerNumberError TryParse(ReadOnlySpan<byte> utf8, out ContainerNumber result)
    {
        result = default;
        if (utf8.Length != Length)
        {
            return utf8.IsEmpty ? ContainerNumberError.Empty : ContainerNumberError.Length;
        }
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            // Non-ASCII bytes can never be valid; map them to a character that fails the position's rule.
            chars[i] = utf8[i] < 0x80 ? (char)utf8[i] : '\0';
        }
        return TryParse(chars, out result);
    }

    public static ContainerNumberError Validate(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return ContainerNumberError.Empty;
        }
        if (text.Length != Length)
        {
            return ContainerNumberError.Length;
        }
        for (var i = 0; i < 3; i++)
        {
            if (!char.IsAsciiLetterUpper(text[i]))
            {
                return ContainerNumberError.OwnerCode;
            }
        }
        if (text[3] is not ('U' or 'J' or 'Z'))
        {
            return ContainerNumberError.Category;
        }
        for (var i = 4; i < 10; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return ContainerNumberError.Serial;
            }
        }
        if (!char.IsAsciiDigit(text[10]) || ComputeCheckDigit(text[..10]) != text[10] - '0')
        {
            return ContainerNumberError.CheckDigit;
        }
        return ContainerNumberError.None;
    }

    /// <summary>The ISO 6346 check digit of the first ten characters (owner, category, serial), which must already be valid.</summary>
    public static int ComputeCheckDigit(ReadOnlySpan<char> firstTen)
    {
        if (firstTen.Length != 10)
        {
            throw new ArgumentException("Ten characters are needed: owner code, category and serial.", nameof(firstTen));
        }
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += CharacterValue(firstTen[i]) << i;
        }
        // 10 folds to 0: ISO 6346 advises against serials that need it, but they exist in the field.
        return sum % 11 % 10;
    }

    /// <summary>A plain sentence a gate clerk or a broker understands.</summary>
    public static string Describe(ContainerNumberError error) => error switch
    {
        ContainerNumberError.None => "valid",
        ContainerNumberError.Empty => "no container number given",
        ContainerNumberError.Length => "a container number has 11 characters (4 letters, 7 digits)",
        ContainerNumberError.OwnerCode => "the owner code (first three characters) must be capital letters A-Z",
        ContainerNumberError.Category => "the fourth character (equipment category) must be U, J or Z",
        ContainerNumberError.Serial => "characters 5 to 10 (serial number) must be digits",
        ContainerNumberError.CheckDigit => "the check digit (last character) does not match ISO 6346",
        _ => error.ToString(),
    };

    // Letters count from A = 10 upwards, skipping 11, 22 and 33 (multiples of 11).
    private static ReadOnlySpan<byte> LetterValues =>
    [
        10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38,
    ];

    private static int CharacterValue(char c)
    {
        if (char.IsAsciiDigit(c))
        {
            return c - '0';
        }
        return char.IsAsciiLetterUpper(c)
            ? LetterValues[c - 'A']
            : throw new ArgumentException($"'{c}' has no ISO 6346 value.", nameof(c));
    }

    public override string ToString() => _value ?? string.Empty;

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        if (text.AsSpan().TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }
        charsWritten = 0;
        return false;
    }

    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        if (utf8Destination.Length < text.Length)
        {
            bytesWritten = 0;
            return false;
        }
        bytesWritten = Encoding.ASCII.GetBytes(text, utf8Destination);
        return true;
    }
}
