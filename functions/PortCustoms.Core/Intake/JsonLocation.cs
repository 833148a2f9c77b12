using System.Globalization;
using System.Text.Json;

namespace PortCustoms.Core.Intake;

/// <summary>
/// Where a JSON Pointer's value starts in the UTF-8 text it was read from, as line and byte column (both relative to
/// the text, 1-based): a schema finding in a file names the line to open. A location that is absent (a missing
/// property) is placed at its nearest present parent.
/// </summary>
public static class JsonLocation
{
    public static (long Line, long Column) Of(ReadOnlySpan<byte> utf8, string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var target = location;
        long offset;
        while ((offset = Find(utf8, target)) < 0 && target.Length > 0)
        {
            target = target[..target.LastIndexOf('/')];
        }
        offset = Math.Max(offset, 0);
        var before = utf8[..(int)offset];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, offset - lastNewline);
    }

    private sealed class Frame(bool array, string path)
    {
        public bool Array { get; } = array;

        public string Path { get; } = path;

        public int Index { get; set; }

        public string Name { get; set; } = string.Empty;
    }

    private static long Find(ReadOnlySpan<byte> utf8, string target)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        var frames = new Stack<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames.Peek().Name = reader.GetString()!;
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        Next(frames);
                        continue;
                }
                var path = frames.Count == 0 ? string.Empty : frames.Peek().Path + "/" + Segment(frames.Peek());
                if (path == target)
                {
                    return reader.TokenStartIndex;
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (target.StartsWith(path + "/", StringComparison.Ordinal))
                    {
                        frames.Push(new Frame(reader.TokenType == JsonTokenType.StartArray, path));
                        continue;
                    }
                    reader.Skip();
                }
                Next(frames);
            }
        }
        catch (JsonException)
        {
            // Text the reader refuses has no more places to name.
        }
        return -1;
    }

    private static void Next(Stack<Frame> frames)
    {
        if (frames.Count > 0 && frames.Peek().Array)
        {
            frames.Peek().Index++;
        }
    }

    private static string Segment(Frame frame) => frame.Array
        ? frame.Index.ToString(CultureInfo.InvariantCulture)
        : frame.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
