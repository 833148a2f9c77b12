using System.Text;
using System.Text.Json;

namespace PortCustoms.Core.Batch;

/// <summary>
/// Tells a dropped file's format from its first bytes (contracts/files.md): brokers name files as they like, so the
/// name is never trusted. EDIFACT starts with UNA or UNB; terminal JSON with an array (events) or an object (one event,
/// or a discharge list when it has <c>containers</c>); a discharge-list CSV with a header row naming containerNumber.
/// </summary>
public static class BatchFormatDetector
{
    /// <summary>How much of the file detection looks at.</summary>
    public const int HeadLength = 64 * 1024;

    public static BatchFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }
        var start = 0;
        while (start < head.Length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        head = head[start..];
        if (head.IsEmpty)
        {
            return BatchFormat.Unknown;
        }
        if (head.StartsWith("UNA"u8) || head.StartsWith("UNB"u8))
        {
            return BatchFormat.Edifact;
        }
        if (head[0] == (byte)'[')
        {
            return BatchFormat.TerminalJsonEvents;
        }
        if (head[0] == (byte)'{')
        {
            return HasTopLevelContainers(head) ? BatchFormat.TerminalJsonDischargeList : BatchFormat.TerminalJsonEvents;
        }
        var lineEnd = head.IndexOfAny((byte)'\r', (byte)'\n');
        var header = lineEnd < 0 ? head : head[..lineEnd];
        if (header.IndexOf((byte)',') >= 0 && Encoding.UTF8.GetString(header).Contains("containerNumber", StringComparison.OrdinalIgnoreCase))
        {
            return BatchFormat.DischargeListCsv;
        }
        return BatchFormat.Unknown;
    }

    private static bool HasTopLevelContainers(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("containers"u8))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: read as events, whose reader reports where it breaks.
        }
        return false;
    }
}
