using System.Buffers;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>Writes one interchange through the syntax layer's <see cref="EdifactWriter"/>: its UNA and UNB (<see cref="EdifactWriter.WriteInterchangeHeader"/>), the messages, and UNZ, counted by the writer.</summary>
public static class EdifactInterchangeWriter
{
    public static byte[] Write(EdifactInterchangeOptions options, Action<EdifactWriter> writeMessages)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(writeMessages);
        var buffer = new ArrayBufferWriter<byte>(1024);
        var writer = new EdifactWriter(buffer, new EdifactWriterOptions { CharacterSet = options.CharacterSet, NewLineAfterSegment = options.NewLineAfterSegment });
        writer.WriteInterchangeHeader(
            new EdifactParty(options.Sender), new EdifactParty(options.Recipient), options.PreparedAt ?? DateTimeOffset.UtcNow, options.ControlReference, options.SyntaxVersion);
        writeMessages(writer);
        writer.WriteInterchangeTrailer();
        return buffer.WrittenSpan.ToArray();
    }
}
