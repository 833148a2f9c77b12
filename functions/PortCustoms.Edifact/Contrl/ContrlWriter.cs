using System.Buffers;
using System.Globalization;

namespace PortCustoms.Edifact.Contrl;

/// <summary>Writes CONTRL messages with the syntax layer's <see cref="EdifactWriter"/> (release characters, UNT and UNZ counted by the writer).</summary>
public static class ContrlWriter
{
    /// <summary>Writes the message's segments; UNT is written by the writer from what it counted.</summary>
    public static void Write(EdifactWriter writer, ContrlMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        foreach (ContrlSegment segment in message.Segments)
        {
            if (segment.Tag == "UNT")
            {
                writer.WriteMessageTrailer();
                continue;
            }

            writer.WriteSegmentStart(segment.Tag);
            foreach (IReadOnlyList<string> element in segment.Elements)
            {
                writer.WriteElement(element.Count > 0 ? element[0] : string.Empty);
                for (int c = 1; c < element.Count; c++)
                {
                    writer.WriteComponent(element[c]);
                }
            }

            writer.WriteSegmentEnd();
        }
    }

    /// <summary>
    /// A whole interchange carrying one CONTRL back to the sender of what it acknowledges: the parties swapped
    /// (the acknowledged interchange's recipient sends).
    /// </summary>
    public static byte[] WriteInterchange(ContrlMessage message, ContrlInterchange acknowledged, string controlReference, DateTimeOffset preparedAt, int syntaxVersion = 3)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(acknowledged);
        ArgumentException.ThrowIfNullOrEmpty(controlReference);
        var buffer = new ArrayBufferWriter<byte>(512);
        var writer = new EdifactWriter(buffer, new EdifactWriterOptions { CharacterSet = EdifactCharacterSet.Unoc });
        writer.WriteServiceStringAdvice();
        DateTimeOffset at = preparedAt.ToUniversalTime();
        writer.WriteSegmentStart("UNB");
        writer.WriteElement("UNOC");
        writer.WriteComponent(syntaxVersion.ToString(CultureInfo.InvariantCulture));
        WriteParty(writer, acknowledged.Recipient);
        WriteParty(writer, acknowledged.Sender);
        writer.WriteElement(at.ToString(syntaxVersion >= 4 ? "yyyyMMdd" : "yyMMdd", CultureInfo.InvariantCulture));
        writer.WriteComponent(at.ToString("HHmm", CultureInfo.InvariantCulture));
        writer.WriteElement(controlReference);
        writer.WriteSegmentEnd();
        Write(writer, message);
        writer.WriteInterchangeTrailer();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteParty(EdifactWriter writer, ContrlParty party)
    {
        writer.WriteElement(party.Identification);
        if (party.CodeQualifier.Length > 0 || party.RoutingAddress.Length > 0)
        {
            writer.WriteComponent(party.CodeQualifier);
        }

        if (party.RoutingAddress.Length > 0)
        {
            writer.WriteComponent(party.RoutingAddress);
        }
    }
}
