using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace PortCustoms.Edifact;

public ref partial struct EdifactReader
{
    private const int StackallocByteThreshold = 256;

    /// <summary>The value unescaped and decoded in the interchange's character set (UNOC as Latin-1, UNOY as UTF-8).</summary>
    public readonly string GetString()
    {
        EnsureValue();
        ReadOnlySpan<byte> raw = ValueSpan;
        if (!ValueIsEscaped)
        {
            return EdifactCharacterSets.GetEncoding(_state._characterSet).GetString(raw);
        }

        byte[]? rented = null;
        Span<byte> scratch = raw.Length <= StackallocByteThreshold
            ? stackalloc byte[StackallocByteThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            int length = EdifactEscaping.Unescape(raw, _state._delimiters.ReleaseCharacter, scratch);
            return EdifactCharacterSets.GetEncoding(_state._characterSet).GetString(scratch[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies the value without its release characters into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public readonly int CopyUnescaped(Span<byte> destination)
    {
        if (!TryCopyUnescaped(destination, out int written))
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        return written;
    }

    /// <summary>Copies the value without its release characters, if it fits.</summary>
    public readonly bool TryCopyUnescaped(Span<byte> destination, out int bytesWritten)
    {
        EnsureValue();
        ReadOnlySpan<byte> raw = ValueSpan;
        if (!ValueIsEscaped)
        {
            bytesWritten = raw.Length;
            return raw.TryCopyTo(destination);
        }

        return EdifactEscaping.TryUnescape(raw, _state._delimiters.ReleaseCharacter, destination, out bytesWritten);
    }

    /// <summary>Compares the unescaped value with <paramref name="utf8Text"/> without allocating, e.g. <c>ValueTextEquals("EQD"u8)</c>.</summary>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8Text)
    {
        ReadOnlySpan<byte> raw = ValueSpan;
        if (!ValueIsEscaped)
        {
            return raw.SequenceEqual(utf8Text);
        }

        byte release = _state._delimiters.ReleaseCharacter;
        int j = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == release && i + 1 < raw.Length)
            {
                i++;
            }

            if (j >= utf8Text.Length || raw[i] != utf8Text[j])
            {
                return false;
            }

            j++;
        }

        return j == utf8Text.Length;
    }

    /// <summary>The value as a non-negative whole number, e.g. UNT's segment count.</summary>
    public readonly bool TryGetInt32(out int value)
    {
        ReadOnlySpan<byte> raw = ValueSpan;
        return Utf8Parser.TryParse(raw, out value, out int consumed) && consumed == raw.Length && !ValueIsEscaped && value >= 0;
    }

    /// <summary>The value as a decimal number, honouring the interchange's decimal mark (UNA position 3; comma and full stop both allowed).</summary>
    public readonly bool TryGetDecimal(out decimal value)
    {
        ReadOnlySpan<byte> raw = ValueSpan;
        value = default;
        if (ValueIsEscaped || raw.IsEmpty || raw.Length > 64)
        {
            return false;
        }

        Span<byte> normalized = stackalloc byte[raw.Length];
        raw.CopyTo(normalized);
        normalized.Replace((byte)',', (byte)'.');
        return Utf8Parser.TryParse(normalized, out value, out int consumed) && consumed == normalized.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void EnsureValue()
    {
        EdifactTokenType tokenType = _state._tokenType;
        if (tokenType is < EdifactTokenType.ServiceStringAdvice or > EdifactTokenType.Repetition)
        {
            ThrowHelper.ThrowInvalidOperationException_NoValue(tokenType);
        }
    }
}
