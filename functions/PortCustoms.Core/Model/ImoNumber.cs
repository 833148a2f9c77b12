using System.Diagnostics.CodeAnalysis;

namespace PortCustoms.Core.Model;

/// <summary>Why a text is not an IMO ship identification number.</summary>
public enum ImoNumberError : byte
{
    None = 0,
    Empty,
    Length,
    Digits,
    CheckDigit,
}

/// <summary>
/// An IMO ship identification number: seven digits, the last a check digit (the first six weighted 7..2, sum mod 10),
/// e.g. <c>9811000</c>. An optional "IMO" prefix is accepted on parse and dropped. <c>default</c> means "no value".
/// </summary>
public readonly record struct ImoNumber : ISpanFormattable
{
    private readonly string? _value;

    private ImoNumber(string value) => _value = value;

    public bool IsEmpty => _value is null;

    public static ImoNumberError TryParse(ReadOnlySpan<char> text, out ImoNumber result)
    {
        result = default;
        if (text.StartsWith("IMO", StringComparison.Ordinal))
        {
            text = text[3..].TrimStart(' ');
        }
        var error = Validate(text);
        if (error == ImoNumberError.None)
        {
            result = new ImoNumber(text.ToString());
        }
        return error;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out ImoNumber result)
    {
        result = default;
        return text is not null && TryParse(text.AsSpan(), out result) == ImoNumberError.None;
    }

    public static ImoNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParse(text.AsSpan(), out var result);
        return error == ImoNumberError.None ? result : throw new FormatException($"'{text}' is not an IMO number: {Describe(error)}.");
    }

    public static ImoNumberError Validate(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty)
        {
            return ImoNumberError.Empty;
        }
        if (digits.Length != 7)
        {
            return ImoNumberError.Length;
        }
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return ImoNumberError.Digits;
            }
            if (i < 6)
            {
                sum += (digits[i] - '0') * (7 - i);
            }
        }
        return sum % 10 == digits[6] - '0' ? ImoNumberError.None : ImoNumberError.CheckDigit;
    }

    public static string Describe(ImoNumberError error) => error switch
    {
        ImoNumberError.None => "valid",
        ImoNumberError.Empty => "no IMO number given",
        ImoNumberError.Length => "an IMO number has 7 digits",
        ImoNumberError.Digits => "an IMO number has digits only",
        ImoNumberError.CheckDigit => "the check digit (last digit) does not match",
        _ => error.ToString(),
    };

    public override string ToString() => _value ?? string.Empty;

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        charsWritten = text.AsSpan().TryCopyTo(destination) ? text.Length : 0;
        return charsWritten == text.Length;
    }
}
