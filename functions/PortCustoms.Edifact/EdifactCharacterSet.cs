using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PortCustoms.Edifact;

/// <summary>The character repertoire named by the syntax identifier (UNB S001/0001).</summary>
public enum EdifactCharacterSet : byte
{
    /// <summary>No UNB read yet, or a syntax identifier this layer does not know.</summary>
    Unknown = 0,

    /// <summary>Level A: upper-case letters, digits, space and a fixed set of punctuation.</summary>
    Unoa,

    /// <summary>Level B: level A plus lower-case letters.</summary>
    Unob,

    /// <summary>ISO 8859-1 (Latin-1).</summary>
    Unoc,

    /// <summary>ISO 10646 in UTF-8 (UNOY; UNOW is read the same way).</summary>
    Unoy,
}

/// <summary>Decoding and repertoire checks for <see cref="EdifactCharacterSet"/>.</summary>
public static class EdifactCharacterSets
{
    // ISO 9735 level A: A-Z, 0-9, space and . , - ( ) / = ' + : ? ! " % & * ; < >
    private const string LevelA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>";
    private const string LowerCase = "abcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<byte> s_unoa = SearchValues.Create(Encoding.ASCII.GetBytes(LevelA));
    private static readonly SearchValues<byte> s_unob = SearchValues.Create(Encoding.ASCII.GetBytes(LevelA + LowerCase));
    private static readonly SearchValues<byte> s_unoc = SearchValues.Create(Latin1Printable());

    /// <summary>Reads the character set from a syntax identifier such as <c>UNOC</c>.</summary>
    public static EdifactCharacterSet FromSyntaxIdentifier(ReadOnlySpan<byte> syntaxIdentifier) => syntaxIdentifier switch
    {
        [(byte)'U', (byte)'N', (byte)'O', (byte)'A'] => EdifactCharacterSet.Unoa,
        [(byte)'U', (byte)'N', (byte)'O', (byte)'B'] => EdifactCharacterSet.Unob,
        [(byte)'U', (byte)'N', (byte)'O', (byte)'C'] => EdifactCharacterSet.Unoc,
        [(byte)'U', (byte)'N', (byte)'O', (byte)'Y' or (byte)'W'] => EdifactCharacterSet.Unoy,
        _ => EdifactCharacterSet.Unknown,
    };

    /// <summary>The syntax identifier that names <paramref name="characterSet"/>.</summary>
    public static string ToSyntaxIdentifier(EdifactCharacterSet characterSet) => characterSet switch
    {
        EdifactCharacterSet.Unoa => "UNOA",
        EdifactCharacterSet.Unob => "UNOB",
        EdifactCharacterSet.Unoc => "UNOC",
        EdifactCharacterSet.Unoy => "UNOY",
        _ => throw new ArgumentOutOfRangeException(nameof(characterSet), characterSet, null),
    };

    /// <summary>The encoding that turns values of this character set into text.</summary>
    /// <remarks>
    /// UNOC is ISO 8859-1: decode as Latin-1 or consignee names are corrupted. Levels A and B are 7-bit,
    /// and Latin-1 keeps any stray byte visible instead of folding it to '?'. Unknown sets are read as Latin-1 too.
    /// </remarks>
    public static Encoding GetEncoding(EdifactCharacterSet characterSet) =>
        characterSet == EdifactCharacterSet.Unoy ? Encoding.UTF8 : Encoding.Latin1;

    /// <summary>The index of the first byte outside <paramref name="characterSet"/>, or -1.</summary>
    /// <param name="value">Raw bytes; the bytes in <paramref name="allowedAlso"/> (the delimiters) are accepted too.</param>
    /// <param name="characterSet">The declared set; <see cref="EdifactCharacterSet.Unknown"/> accepts anything.</param>
    /// <param name="allowedAlso">Extra accepted bytes.</param>
    public static int IndexOfInvalid(ReadOnlySpan<byte> value, EdifactCharacterSet characterSet, ReadOnlySpan<byte> allowedAlso = default)
    {
        SearchValues<byte>? allowed = characterSet switch
        {
            EdifactCharacterSet.Unoa => s_unoa,
            EdifactCharacterSet.Unob => s_unob,
            EdifactCharacterSet.Unoc => s_unoc,
            _ => null,
        };
        if (allowed is not null)
        {
            return IndexOfAnyExcept(value, allowed, allowedAlso);
        }

        if (characterSet == EdifactCharacterSet.Unoy && !Utf8.IsValid(value))
        {
            return IndexOfInvalidUtf8(value);
        }

        return -1;
    }

    /// <summary>The bytes a segment may hold in this character set, or null when it is not checked byte by byte.</summary>
    /// <param name="characterSet">The declared set.</param>
    /// <param name="delimiters">The service characters, always allowed.</param>
    /// <param name="structural">Whether the terminator and release character are included; left out, a scan for
    /// "any byte not allowed" also stops on them, which is how the validator checks and skips a segment in one pass.</param>
    internal static SearchValues<byte>? AllowedBytes(EdifactCharacterSet characterSet, EdifactDelimiters delimiters, bool structural)
    {
        string? repertoire = characterSet switch
        {
            EdifactCharacterSet.Unoa => LevelA,
            EdifactCharacterSet.Unob => LevelA + LowerCase,
            _ => null,
        };
        List<byte> bytes;
        if (repertoire is not null)
        {
            bytes = [.. Encoding.ASCII.GetBytes(repertoire)];
        }
        else if (characterSet == EdifactCharacterSet.Unoc)
        {
            bytes = [.. Latin1Printable()];
        }
        else
        {
            return null;
        }

        Span<byte> service = stackalloc byte[6];
        delimiters.CopyTo(service);
        bytes.AddRange(service);
        if (!structural)
        {
            bytes.RemoveAll(b => b == delimiters.SegmentTerminator || b == (byte)'\n' || (delimiters.HasReleaseCharacter && b == delimiters.ReleaseCharacter));
        }

        return SearchValues.Create([.. bytes]);
    }

    private static int IndexOfAnyExcept(ReadOnlySpan<byte> value, SearchValues<byte> allowed, ReadOnlySpan<byte> allowedAlso)
    {
        int offset = 0;
        while (true)
        {
            int i = value[offset..].IndexOfAnyExcept(allowed);
            if (i < 0)
            {
                return -1;
            }

            offset += i;
            if (!allowedAlso.Contains(value[offset]))
            {
                return offset;
            }

            offset++;
        }
    }

    private static int IndexOfInvalidUtf8(ReadOnlySpan<byte> value)
    {
        int offset = 0;
        while (offset < value.Length)
        {
            if (Rune.DecodeFromUtf8(value[offset..], out _, out int consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    private static byte[] Latin1Printable()
    {
        var bytes = new List<byte>(191);
        for (int b = 0x20; b <= 0xFF; b++)
        {
            // C1 controls (0x80-0x9F) and DEL are not text in ISO 8859-1.
            if (b is < 0x7F or >= 0xA0)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
