using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace PortCustoms.Core.Model;

/// <summary>Why a text is not even syntactically a size-type code.</summary>
public enum SizeTypeCodeError : byte
{
    None = 0,
    Empty,
    Length,
    Characters,
}

/// <summary>
/// An ISO 6346 size-type code as the TOS sent it: a 1995 code (<c>22G1</c>, <c>45G1</c>, <c>42R1</c>, <c>22T6</c>),
/// a 1984 four-digit code (<c>2210</c>, <c>4510</c>) or a trade alias (<c>40HC</c>, <c>20RF</c>).
/// </summary>
/// <remarks>
/// An extensible enum in the Azure SDK manner: the struct stores only the code, well-known values are static
/// properties, and any syntactically valid code is accepted (new codes appear in the field before code lists
/// catch up). Whether a code is known, and what it means, is the job of the code lists (<see cref="CodeLists.SizeTypeList"/>).
/// No implicit conversion from string: a code is parsed, never assumed. <c>default</c> means "no value".
/// </remarks>
public readonly struct SizeTypeCode : IEquatable<SizeTypeCode>, ISpanFormattable
{
    public const int Length = 4;

    private readonly string? _value;

    private SizeTypeCode(string value) => _value = value;

    /// <summary>For code-list tables whose entries are known to be valid.</summary>
    internal static SizeTypeCode FromTrusted(string value) => new(value);

    public bool IsEmpty => _value is null;

    /// <summary>20 ft, 8'6", general purpose.</summary>
    public static SizeTypeCode Iso22G1 { get; } = new("22G1");

    /// <summary>40 ft, 8'6", general purpose.</summary>
    public static SizeTypeCode Iso42G1 { get; } = new("42G1");

    /// <summary>40 ft, 9'6" (high cube), general purpose.</summary>
    public static SizeTypeCode Iso45G1 { get; } = new("45G1");

    /// <summary>20 ft, 8'6", integral reefer.</summary>
    public static SizeTypeCode Iso22R1 { get; } = new("22R1");

    /// <summary>40 ft, 8'6", integral reefer.</summary>
    public static SizeTypeCode Iso42R1 { get; } = new("42R1");

    /// <summary>40 ft, 9'6", integral reefer.</summary>
    public static SizeTypeCode Iso45R1 { get; } = new("45R1");

    /// <summary>20 ft, 8'6", tank for dangerous liquids.</summary>
    public static SizeTypeCode Iso22T6 { get; } = new("22T6");

    /// <summary>Parses exactly four upper-case ASCII letters or digits (the code list decides the meaning).</summary>
    public static SizeTypeCodeError TryParse(ReadOnlySpan<char> text, out SizeTypeCode result)
    {
        result = default;
        var error = Validate(text);
        if (error == SizeTypeCodeError.None)
        {
            // Interning through the code list keeps well-known codes allocation-free on the hot path.
            result = new SizeTypeCode(SizeTypeCodeList.Intern(text) ?? text.ToString());
        }
        return error;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out SizeTypeCode result)
    {
        result = default;
        return text is not null && TryParse(text.AsSpan(), out result) == SizeTypeCodeError.None;
    }

    public static SizeTypeCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParse(text.AsSpan(), out var result);
        return error == SizeTypeCodeError.None
            ? result
            : throw new FormatException($"'{text}' is not a size-type code: {Describe(error)}.");
    }

    public static SizeTypeCodeError Validate(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return SizeTypeCodeError.Empty;
        }
        if (text.Length != Length)
        {
            return SizeTypeCodeError.Length;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiLetterUpper(c))
            {
                return SizeTypeCodeError.Characters;
            }
        }
        return SizeTypeCodeError.None;
    }

    public static string Describe(SizeTypeCodeError error) => error switch
    {
        SizeTypeCodeError.None => "valid",
        SizeTypeCodeError.Empty => "no size-type code given",
        SizeTypeCodeError.Length => "a size-type code has 4 characters (e.g. 22G1, 45G1, 2210, 40HC)",
        SizeTypeCodeError.Characters => "a size-type code has capital letters and digits only",
        _ => error.ToString(),
    };

    public bool Equals(SizeTypeCode other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is SizeTypeCode other && Equals(other);

    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    public static bool operator ==(SizeTypeCode left, SizeTypeCode right) => left.Equals(right);

    public static bool operator !=(SizeTypeCode left, SizeTypeCode right) => !left.Equals(right);

    public override string ToString() => _value ?? string.Empty;

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        charsWritten = text.AsSpan().TryCopyTo(destination) ? text.Length : 0;
        return charsWritten == text.Length;
    }
}
