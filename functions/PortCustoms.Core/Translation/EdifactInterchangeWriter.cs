using System.Buffers;
using System.Globalization;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Translation;

/// <summary>Writes one interchange (UNA, UNB, the messages, UNZ) through the syntax layer's <see cref="EdifactWriter"/>, which counts UNT and UNZ itself.</summary>
public static class EdifactInterchangeWriter
{
    public static byte[] Write(EdifactInterchangeOptions options, Action<EdifactWriter> writeMessages)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(writeMessages);
        var buffer = new ArrayBufferWriter<byte>(1024);
        var writer = new EdifactWriter(buffer, new EdifactWriterOptions { CharacterSet = options.CharacterSet, NewLineAfterSegment = options.NewLineAfterSegment });
        writer.WriteServiceStringAdvice();
        var at = (options.PreparedAt ?? DateTimeOffset.UtcNow).ToUniversalTime();
        writer.Write("UNB",
            [EdifactCharacterSets.ToSyntaxIdentifier(options.CharacterSet), "3"],
            [options.Sender],
            [options.Recipient],
            [at.ToString("yyMMdd", CultureInfo.InvariantCulture), at.ToString("HHmm", CultureInfo.InvariantCulture)],
            [options.ControlReference]);
        writeMessages(writer);
        writer.WriteInterchangeTrailer();
        return buffer.WrittenSpan.ToArray();
    }
}
