using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace PortCustoms.Core.Gate;

/// <summary>
/// One fault <see cref="JsonInputGuard"/> found: <see cref="Index"/> is the position in a top-level array (0 for an
/// object body), <see cref="Field"/> the property path inside that item ("voyage", "lane.id"; empty for the item itself).
/// </summary>
public sealed record JsonInputFault(int Index, string Field, string Message, long ByteOffset)
{
    /// <summary>The field as an object body names it, or <c>[index].field</c> inside an array body.</summary>
    public string PathIn(bool arrayBody) =>
        arrayBody ? (Field.Length == 0 ? $"[{Index}]" : $"[{Index}].{Field}") : (Field.Length == 0 ? "$" : Field);
}

/// <summary>
/// What every JSON intake (gate queries, customs notifications, status events) checks before it reads a field, in one
/// pass over the bytes: each property name and string is valid Unicode (no invalid UTF-8, no lone surrogate escape such
/// as <c>\ud800</c>, which System.Text.Json only rejects when a string is read, as an exception), no object names a
/// property twice (a duplicate would silently let the last one win), and every number is finite as a double
/// (<c>1e400</c> is not). A body that is not JSON at all is left to the intake's own parser and its message.
/// </summary>
public static class JsonInputGuard
{
    /// <summary>Returns the first fault, or null when the body passes (or is not JSON: the parser reports that).</summary>
    public static JsonInputFault? Check(ReadOnlySpan<byte> utf8, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        // Per open object: the names seen (and the property path to it).
        var objects = new Stack<(HashSet<string> Names, string Path)>();
        var arrayBody = false;
        var index = 0;
        var depthOfItem = 0;
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray when reader.CurrentDepth == 0:
                        arrayBody = true;
                        depthOfItem = 1;
                        break;
                    case JsonTokenType.StartObject:
                        objects.Push((new HashSet<string>(StringComparer.Ordinal), Join(objects.Count == 0 ? string.Empty : objects.Peek().Path, pendingName)));
                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        if (arrayBody && reader.CurrentDepth == depthOfItem)
                        {
                            index++;
                        }
                        break;
                    case JsonTokenType.PropertyName:
                        var path = objects.Count == 0 ? string.Empty : objects.Peek().Path;
                        if (!TryGetText(ref reader, out var name))
                        {
                            return Fault(ref reader, index, path, "A property name is not valid Unicode text (invalid UTF-8 or a lone surrogate escape).");
                        }
                        if (objects.Count > 0 && !objects.Peek().Names.Add(name))
                        {
                            return Fault(ref reader, index, Join(path, name), $"The property '{Printable(name)}' appears more than once in the same object; send it once.");
                        }
                        pendingName = name;
                        break;
                    case JsonTokenType.String:
                        if (!TryGetText(ref reader, out _))
                        {
                            return Fault(ref reader, index, Join(objects.Count == 0 ? string.Empty : objects.Peek().Path, pendingName),
                                "The value is not valid Unicode text (invalid UTF-8 or a lone surrogate escape such as \\ud800).");
                        }
                        Ended(ref reader, ref index, arrayBody, depthOfItem);
                        pendingName = null;
                        break;
                    case JsonTokenType.Number:
                        if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                        {
                            return Fault(ref reader, index, Join(objects.Count == 0 ? string.Empty : objects.Peek().Path, pendingName),
                                "The number is out of range (it must fit a double, e.g. not 1e400).");
                        }
                        Ended(ref reader, ref index, arrayBody, depthOfItem);
                        pendingName = null;
                        break;
                    case JsonTokenType.StartArray:
                        pendingName = null;
                        break;
                    case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        Ended(ref reader, ref index, arrayBody, depthOfItem);
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    // A scalar directly in the body's array is one item.
    private static void Ended(ref Utf8JsonReader reader, ref int index, bool arrayBody, int depthOfItem)
    {
        if (arrayBody && reader.CurrentDepth == depthOfItem)
        {
            index++;
        }
    }

    private static bool TryGetText(ref Utf8JsonReader reader, out string text)
    {
        text = string.Empty;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                return false;
            }
            text = reader.TokenType == JsonTokenType.PropertyName ? Encoding.UTF8.GetString(reader.ValueSpan) : string.Empty;
            return true;
        }
        try
        {
            text = reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        // An escaped lone surrogate can decode without an exception; it is still not text.
        return !HasLoneSurrogate(text);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static string Join(string path, string? name) => name is null ? path : path.Length == 0 ? Printable(name) : path + "." + Printable(name);

    // Names go into messages: keep them short and free of control characters.
    private static string Printable(string name)
    {
        var shown = name.Length > 64 ? name[..64] + "..." : name;
        return string.Create(shown.Length, shown, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) || char.IsSurrogate(s[i]) ? '?' : s[i];
            }
        });
    }

    private static JsonInputFault Fault(ref Utf8JsonReader reader, int index, string field, string message)
    {
        var offset = reader.TokenStartIndex;
        return new JsonInputFault(index, field, message + $" (byte {offset + 1})", offset);
    }
}
