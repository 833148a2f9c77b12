using System.Text.Json;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;

namespace PortCustoms.Cli.Files;

/// <summary>
/// One finding as the CLI reports it (contracts/cli.md): a stable code, a plain message, the 1-based line, the
/// segment index in the interchange, element and component (null where they do not apply), for JSON the path, and for
/// XML the 1-based column and the XPath (in <c>path</c>; <c>column</c> appears only in XML findings).
/// </summary>
public sealed record FileDiagnostic(string Code, string Message, long? Line, int? Segment, int? Element, int? Component, string? Path = null, long? Column = null)
{
    public static FileDiagnostic From(XmlFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new FileDiagnostic(finding.Code, finding.Message, finding.Line > 0 ? finding.Line : null, null, null, null, finding.XPath, finding.Line > 0 ? finding.Column : null);
    }

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
        if (Column is { } column)
        {
            writer.WriteNumber("column"u8, column);
        }
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
