using System.Diagnostics.CodeAnalysis;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Xml;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>
/// WCO Data Model-aligned XML on the customs platform's wire (<c>CustomsPlatform:Format = xml</c>, docs/wco-xml.md):
/// status events go out as a <c>ContainerStatusReport</c> (one <c>Declaration</c>), customs' orders come in as a
/// <c>CustomsResponse</c>, both validated against our XSDs on the way out and in. The gate's live status query has no
/// XML document yet (<see cref="CarriesStatusQuery"/> is false): none of the five documents is a query, and a query
/// document is a new schema and namespace agreed with the platform, not a mapping of an existing one; until then an XML
/// platform's gate decides from the notifications customs pushes. Malformed or invalid content decodes to false.
/// </summary>
public sealed class XmlCustomsMessageFormat : CustomsMessageFormat
{
    public const string FormatName = "xml";

    private readonly WcoMetadata _metadata;

    public XmlCustomsMessageFormat(WcoMetadata? metadata = null) => _metadata = metadata ?? new WcoMetadata();

    public override string Name => FormatName;

    public override string MediaType => "application/xml";

    public override bool CarriesStatusQuery => false;

    /// <summary>
    /// A status event or a customs notification as one XML document, validated as it is written;
    /// <see cref="NotSupportedException"/> (with the first finding) for anything else or anything the schema refuses.
    /// </summary>
    public override ReadOnlyMemory<byte> Encode<TMessage>(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kind = message switch
        {
            ContainerStatusEvent => WcoXmlMessageKind.StatusEvent,
            CustomsNotification => WcoXmlMessageKind.CustomsResponse,
            _ => throw new NotSupportedException($"{typeof(TMessage).Name} has no XML form."),
        };
        using var output = new MemoryStream();
        using (var writer = new WcoXmlWriter(output, kind, _metadata, indent: false))
        {
            if (message is ContainerStatusEvent statusEvent)
            {
                writer.WriteStatusEvent(statusEvent);
            }
            else
            {
                writer.WriteNotification((CustomsNotification)(object)message);
            }
            writer.Complete();
            if (writer.Findings.ErrorCount > 0)
            {
                var first = writer.Findings.Listed.First(f => f.Severity == Edifact.EdifactSeverity.Error);
                throw new NotSupportedException($"The XML document is not valid: {first.Code} at {first.XPath}: {first.Message}");
            }
        }
        return output.ToArray();
    }

    public override bool TryDecode<TMessage>(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out TMessage? message)
        where TMessage : class
    {
        message = null;
        using var input = new MemoryStream(body.ToArray(), writable: false);
        var (document, result) = WcoXmlReader.ReadDocument(input);
        if (!result.IsValid)
        {
            return false;
        }
        object? decoded = typeof(TMessage) switch
        {
            var t when t == typeof(ContainerStatusEvent) && document.Events is [var single] => single.Value,
            var t when t == typeof(CustomsNotification) && document.Notifications is [var single] => single.Value,
            _ => null,
        };
        message = decoded as TMessage;
        return message is not null;
    }
}
