namespace PortCustoms.Edifact;

/// <summary>Release-character handling shared by the reader, the writer and the message model.</summary>
public static class EdifactEscaping
{
    /// <summary>Removes release characters: <c>??</c> becomes <c>?</c>, <c>?'</c> becomes <c>'</c>.</summary>
    /// <returns>The number of bytes written; <paramref name="destination"/> must be at least as long as <paramref name="escaped"/>.</returns>
    public static int Unescape(ReadOnlySpan<byte> escaped, byte releaseCharacter, Span<byte> destination)
    {
        if (!TryUnescape(escaped, releaseCharacter, destination, out int written))
        {
            throw new ArgumentException("The destination is too short for the unescaped value.", nameof(destination));
        }

        return written;
    }

    /// <summary>Removes release characters, if the result fits.</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> escaped, byte releaseCharacter, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        int i = 0;
        while (i < escaped.Length)
        {
            int next = escaped[i..].IndexOf(releaseCharacter);
            ReadOnlySpan<byte> run = next < 0 ? escaped[i..] : escaped.Slice(i, next);
            if (!run.TryCopyTo(destination[bytesWritten..]))
            {
                return false;
            }

            bytesWritten += run.Length;
            if (next < 0)
            {
                break;
            }

            // Keep the released byte; a release at the very end (never produced by the reader) is dropped.
            i += next + 1;
            if (i < escaped.Length)
            {
                if (bytesWritten >= destination.Length)
                {
                    return false;
                }

                destination[bytesWritten++] = escaped[i++];
            }
        }

        return true;
    }
}
