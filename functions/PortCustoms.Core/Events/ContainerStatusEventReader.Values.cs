using System.Text.Json;

namespace PortCustoms.Core.Events;

// The value checks the fields share: text limits, control characters, UN/LOCODE, the offset of a time.
public static partial class ContainerStatusEventReader
{
    // C0, DEL and C1 (ESC in a voyage would reach customs' EDIFACT and the operators' screens).
    private static bool HasControl(string text) => text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.AsSpan().ContainsAnyInRange('\u007f', '\u009f');

    private static void Fail(ref List<EventFieldError>? errors, string field, string message) => (errors ??= []).Add(new EventFieldError(field, message));

    private static string? ReadOptionalText(ref Utf8JsonReader reader, string field, int maxLength, ref List<EventFieldError>? errors)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            SkipValue(ref reader);
            Fail(ref errors, field, "must be a string");
            return null;
        }
        var text = reader.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            Fail(ref errors, field, $"must have 1 to {maxLength} characters");
            return null;
        }
        if (HasControl(text))
        {
            Fail(ref errors, field, "must not contain control characters");
            return null;
        }
        return text;
    }

    /// <summary>Copies a short unescaped ASCII value into <paramref name="scratch"/>; false when the caller must take a string instead.</summary>
    private static bool ShortText(bool escaped, ReadOnlySpan<byte> raw, Span<char> scratch)
    {
        if (escaped || raw.Length > scratch.Length)
        {
            return false;
        }
        for (var i = 0; i < raw.Length; i++)
        {
            // Non-ASCII can never be valid here; map it to a character every rule rejects.
            scratch[i] = raw[i] < 0x80 ? (char)raw[i] : '\0';
        }
        return true;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    private static bool IsUnLocode(string text)
    {
        if (text.Length != 5 || !char.IsAsciiLetterUpper(text[0]) || !char.IsAsciiLetterUpper(text[1]))
        {
            return false;
        }
        for (var i = 2; i < 5; i++)
        {
            if (!char.IsAsciiLetterUpper(text[i]) && text[i] is not (>= '2' and <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    // A date-time without an offset parses as local time in .NET: refuse it rather than guess the TOS's zone.
    private static bool HasOffset(ReadOnlySpan<byte> value)
    {
        if (value.Length < 11 || value.IndexOf((byte)'T') < 0)
        {
            return false;
        }
        if (value[^1] is (byte)'Z' or (byte)'z')
        {
            return true;
        }
        var sign = value.Length - 6;
        return value[sign] is (byte)'+' or (byte)'-' && value[sign + 3] == (byte)':';
    }
}
