using System.Text.Json;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

/// <summary>
/// One finding as the CLI reports it (contracts/cli.md): a stable code, a plain message, the 1-based line, the
/// segment index in the interchange, element and component (null where they do not apply), and for JSON the path.
/// </summary>
public sealed record FileDiagnostic(string Code, string Message, long? Line, int? Segment, int? Element, int? Component, string? Path = null)
{
    public static FileDiagnostic From(EdifactDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new FileDiagnostic(
            diagnostic.Code,
            diagnostic.Message,
            diagnostic.Line > 0 ? diagnostic.Line : null,
            diagnostic.Segment > 0 ? diagnostic.Segment : null,
            diagnostic.Element,
            diagnostic.Component);
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("code"u8, Code);
        writer.WriteString("message"u8, Message);
        WriteNumber(writer, "line"u8, Line);
        WriteNumber(writer, "segment"u8, Segment);
        WriteNumber(writer, "element"u8, Element);
        WriteNumber(writer, "component"u8, Component);
        if (Path is not null)
        {
            writer.WriteString("path"u8, Path);
        }
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
