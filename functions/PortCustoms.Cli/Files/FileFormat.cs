namespace PortCustoms.Cli.Files;

/// <summary>What a file holds, detected from its content (files.md: never from the name).</summary>
public enum FileFormat : byte
{
    Unknown = 0,
    Edifact,
    Json,
    Xml,
}

internal static class FileFormats
{
    public static string Name(this FileFormat format) => format switch
    {
        FileFormat.Edifact => "EDIFACT",
        FileFormat.Json => "JSON",
        FileFormat.Xml => "XML",
        _ => "UNKNOWN",
    };

    /// <summary>From the first bytes: UNA/UNB is EDIFACT, <c>&lt;</c> XML, <c>{</c> or <c>[</c> JSON (after a BOM and white space).</summary>
    public static FileFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }
        var start = head.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0)
        {
            return FileFormat.Unknown;
        }
        head = head[start..];
        if (head.StartsWith("UNA"u8) || head.StartsWith("UNB"u8))
        {
            return FileFormat.Edifact;
        }
        return head[0] switch
        {
            (byte)'<' => FileFormat.Xml,
            (byte)'{' or (byte)'[' => FileFormat.Json,
            _ => FileFormat.Unknown,
        };
    }

    /// <summary>Opens a file, or standard input for <c>-</c>.</summary>
    public static Stream Open(string path) =>
        path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
