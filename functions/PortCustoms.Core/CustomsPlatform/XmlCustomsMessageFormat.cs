using System.Diagnostics.CodeAnalysis;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Versions;
using PortCustoms.Core.Xml;

namespace PortCustoms.Core.CustomsPlatform;

/// <summary>
/// WCO Data Model-aligned XML on the customs platform's wire (<c>CustomsPlatform:Format = xml</c>, docs/wco-xml.md):
/// status events go out as a <c>ContainerStatusReport</c> (one <c>Declaration</c>), customs' orders come in as a
/// <c>CustomsResponse</c>, the gate's live status query goes out as a <c>StatusQuery</c> and comes back as a
/// <c>StatusAnswer</c> (<c>urn:portcustoms:wco:status-query:1</c>, <see cref="WcoStatusQueryXml"/>), all validated against
/// our XSDs on the way out and in. Malformed or invalid content decodes to false.
/// </summary>
public sealed class XmlCustomsMessageFormat : CustomsMessageFormat
{
    public const string FormatName = "xml";

    private readonly WcoMetadata _metadata;
    private readonly MessageVersionPolicy _versions;
    private readonly TimeProvider _time;

    private readonly CodeLists.CodeListService? _codeLists;

    /// <param name="metadata">The envelope written.</param>
    /// <param name="versions">The versions customs expects.</param>
    /// <param name="codeLists">The deployment's code lists, for what is decoded (UN/LOCODEs, package types); the shipped lists when null.</param>
    /// <param name="time">The clock of the live query's IssueDateTime.</param>
    public XmlCustomsMessageFormat(WcoMetadata? metadata = null, MessageVersionPolicy? versions = null, CodeLists.CodeListService? codeLists = null, TimeProvider? time = null)
    {
        _codeLists = codeLists;
        _metadata = metadata ?? new WcoMetadata();
        _versions = versions ?? MessageVersionPolicy.None;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The version of each document written: what the customs platform expects now (<c>MessageVersions</c>).</summary>
    public int VersionOf(WcoXmlMessageKind kind) =>
        int.TryParse(_versions.Produce(WcoXml.NameOf(kind), "1"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && WcoXml.VersionsOf(kind).Contains(v) ? v : 1;

    public override string Name => FormatName;

    public override string MediaType => "application/xml";

    /// <summary>
    /// A status event or a customs notification as one XML document, validated as it is written;
    /// <see cref="NotSupportedException"/> (with the first finding) for anything else or anything the schema refuses.
    /// </summary>
    public override ReadOnlyMemory<byte> Encode<TMessage>(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            // The port asks (Submitter: MessageVersions:PortLocode when set); the query id is what the answer echoes.
            case CustomsStatusQueryMessage query:
                return WcoStatusQueryXml.WriteQuery(query, _time.GetUtcNow(), _versions.PortLocode, _metadata);
            case CustomsStatusAnswerMessage answer:
                return WcoStatusQueryXml.WriteAnswer(answer, metadata: _metadata);
        }
        var kind = message switch
        {
            ContainerStatusEvent => WcoXmlMessageKind.StatusEvent,
            CustomsNotification => WcoXmlMessageKind.CustomsResponse,
            _ => throw new NotSupportedException($"{typeof(TMessage).Name} has no XML form."),
        };
        var version = VersionOf(kind);
        using var output = new MemoryStream();
        using (var writer = new WcoXmlWriter(output, kind, _metadata, indent: false, version: version))
        {
            if (message is ContainerStatusEvent statusEvent)
            {
                writer.WriteStatusEvent(version >= 2 ? WithLocation(statusEvent) : statusEvent);
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

    /// <summary>
    /// status-event:2 makes <c>Location/ID</c> mandatory. Rule: an event without one happened in this port (the terminal
    /// reports only its own events), so it is <c>MessageVersions:PortLocode</c>; without that setting the event is held.
    /// </summary>
    private ContainerStatusEvent WithLocation(ContainerStatusEvent statusEvent) =>
        statusEvent.Location is not null ? statusEvent
        : _versions.PortLocode is { } port ? new ContainerStatusEvent(statusEvent.EventId, statusEvent.ContainerNumber, statusEvent.Type, statusEvent.OccurredAt)
        {
            VesselImo = statusEvent.VesselImo,
            Voyage = statusEvent.Voyage,
            Location = port,
            SealNumbers = statusEvent.SealNumbers,
            GrossMassKg = statusEvent.GrossMassKg,
            SizeType = statusEvent.SizeType,
        }
        : throw new MessageHeldException(
            $"Event '{statusEvent.EventId}': status-event version 2 requires Location/ID; the event names no location and MessageVersions:PortLocode is not set to derive it. Held until it is configured.");

    public override bool TryDecode<TMessage>(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out TMessage? message)
        where TMessage : class
    {
        message = null;
        if (typeof(TMessage) == typeof(CustomsStatusQueryMessage))
        {
            message = WcoStatusQueryXml.ReadQuery(body) is { IsValid: true } query ? query.Message as TMessage : null;
            return message is not null;
        }
        if (typeof(TMessage) == typeof(CustomsStatusAnswerMessage))
        {
            message = WcoStatusQueryXml.ReadAnswer(body) is { IsValid: true } answer ? answer.Message as TMessage : null;
            return message is not null;
        }
        using var input = new MemoryStream(body.ToArray(), writable: false);
        var (document, result) = WcoXmlReader.ReadDocument(input, _codeLists);
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

/// <summary>
/// A message that cannot be written in the version the customs platform expects until configuration supplies what the
/// version made mandatory: held (retried, the reason logged), never dropped.
/// </summary>
public sealed class MessageHeldException(string message) : NotSupportedException(message);
