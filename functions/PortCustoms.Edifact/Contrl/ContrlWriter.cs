using System.Buffers;

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
        writer.WriteInterchangeHeader(ToParty(acknowledged.Recipient), ToParty(acknowledged.Sender), preparedAt, controlReference, syntaxVersion);
        Write(writer, message);
        writer.WriteInterchangeTrailer();
        return buffer.WrittenSpan.ToArray();
    }

    private static EdifactParty ToParty(ContrlParty party) => new(party.Identification, party.CodeQualifier, party.RoutingAddress);
}
