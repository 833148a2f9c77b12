using System.Text.Json;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Xml;

/// <summary>
/// Writes the canonical model as one WCO XML document, whatever it came from (EDIFACT messages one at a time, canonical
/// JSON): the first item decides the document (manifests a cargo report, or an arrival report when asked; status
/// events a status report; notifications a customs response; customs errors alone a functional error response). One
/// document carries one kind: items of another kind are reported (<c>XML-MIXED-MESSAGES</c>), never dropped silently.
/// The writer is created on the first item, so nothing is written for an input with nothing to write.
/// </summary>
public sealed class WcoXmlComposer : IDisposable
{
    private readonly Stream _output;
    private readonly WcoMetadata _metadata;
    private readonly WcoXmlMessageKind _manifestKind;
    private readonly bool _indent;
    private readonly List<CustomsResponseError> _pendingErrors = [];
    private WcoXmlWriter? _writer;

    public WcoXmlComposer(Stream output, WcoMetadata? metadata = null, WcoXmlMessageKind manifestKind = WcoXmlMessageKind.CargoReport, bool indent = true, XmlFindings? findings = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (manifestKind is not (WcoXmlMessageKind.CargoReport or WcoXmlMessageKind.ArrivalReport))
        {
            throw new ArgumentOutOfRangeException(nameof(manifestKind), manifestKind, "Manifests are written as a cargo or an arrival report.");
        }
        _output = output;
        _metadata = metadata ?? new WcoMetadata();
        _manifestKind = manifestKind;
        _indent = indent;
        Findings = findings ?? new XmlFindings();
    }

    public XmlFindings Findings { get; }

    /// <summary>The document written, or None before the first item.</summary>
    public WcoXmlMessageKind Kind => _writer?.Kind ?? WcoXmlMessageKind.None;

    public int MessageCount => _writer?.MessageCount ?? 0;

    /// <summary>One translated EDIFACT message: what it became, into the document.</summary>
    public void Add(TranslatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Manifest is { } manifest)
        {
            AddManifest(message.Reference, manifest);
        }
        foreach (var e in message.Events ?? [])
        {
            AddEvent(e);
        }
        foreach (var n in message.Notifications ?? [])
        {
            AddNotification(n);
        }
        if (message.CustomsErrors is { Count: > 0 } errors)
        {
            AddCustomsErrors(message.Reference, null, errors, answersNotifications: message.Notifications is { Count: > 0 });
        }
    }

    public void AddManifest(string? reference, CargoManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (Writer(_manifestKind, $"manifest '{reference}'") is { } writer)
        {
            writer.WriteManifest(reference ?? string.Empty, manifest);
        }
    }

    public void AddEvent(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        Writer(WcoXmlMessageKind.StatusEvent, $"event '{statusEvent.EventId}'")?.WriteStatusEvent(statusEvent);
    }

    public void AddNotification(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Writer(WcoXmlMessageKind.CustomsResponse, $"notification '{notification.NotificationId}'")?.WriteNotification(notification);
    }

    /// <summary>
    /// Customs errors: after the responses of a customs response (kept until the end, where its schema places them), or
    /// as one refused message's response in a functional error response.
    /// </summary>
    public void AddCustomsErrors(string? reference, DateTimeOffset? issuedAt, IReadOnlyList<CustomsResponseError> errors, bool answersNotifications = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return;
        }
        var kind = answersNotifications || Kind == WcoXmlMessageKind.CustomsResponse ? WcoXmlMessageKind.CustomsResponse : WcoXmlMessageKind.ErrorResponse;
        if (Writer(kind, $"customs errors of '{reference}'") is not { } writer)
        {
            return;
        }
        if (kind == WcoXmlMessageKind.CustomsResponse)
        {
            _pendingErrors.AddRange(errors);
            return;
        }
        writer.WriteErrorResponseStart(reference, issuedAt);
        foreach (var error in errors)
        {
            writer.WriteCustomsError(error);
        }
    }

    /// <summary>Closes the document; false (with <c>XML-NOTHING-TO-WRITE</c>) when nothing was written.</summary>
    public bool Complete()
    {
        if (_writer is null)
        {
            Findings.Add(new XmlFinding(XmlErrorCodes.NothingToWrite, EdifactSeverity.Error, "The input holds nothing a WCO XML document carries.", 0, 0, "/"));
            return false;
        }
        foreach (var error in _pendingErrors)
        {
            _writer.WriteCustomsError(error);
        }
        _pendingErrors.Clear();
        _writer.Complete();
        return true;
    }

    public void Dispose() => _writer?.Dispose();

    private WcoXmlWriter? Writer(WcoXmlMessageKind kind, string what)
    {
        if (_writer is null)
        {
            _writer = new WcoXmlWriter(_output, kind, _metadata, _indent, Findings);
            return _writer;
        }
        if (_writer.Kind == kind)
        {
            return _writer;
        }
        Findings.Add(new XmlFinding(XmlErrorCodes.MixedMessages, EdifactSeverity.Error,
            $"The {what} belongs in a {WcoXml.RootElementOf(kind)} document; this one is a {WcoXml.RootElementOf(_writer.Kind)}: not written (translate it separately).", 0, 0, "/"));
        return null;
    }
}

/// <summary>
/// Streams what <see cref="WcoXmlReader"/> reads into the canonical JSON of <c>portcustoms translate --to json</c>
/// (<c>{ "messages": [ ... ] }</c> entries; the caller writes the envelope): a cargo or arrival report declaration
/// becomes a CUSCAR entry written consignment by consignment, each status event its CODECO or COARRI entry (events of
/// types no EDIFACT message carries are listed as CODECO), a customs response one CUSRES entry with its notifications and
/// customs errors, each refused message of a functional error response a CUSRES entry with its errors and no notification.
/// </summary>
public sealed class CanonicalJsonXmlHandler : WcoXmlHandler
{
    private readonly Utf8JsonWriter _json;
    private string _directory = string.Empty;
    private WcoXmlMessageKind _kind;
    private bool _inConsignments;
    private bool _inContainers;
    private List<ManifestRejectedContainer>? _rejected;
    private List<CustomsNotification>? _notifications;
    private List<(string? Reference, CustomsResponseError Error)>? _errors;

    public CanonicalJsonXmlHandler(Utf8JsonWriter json) => _json = json ?? throw new ArgumentNullException(nameof(json));

    /// <summary>Entries written so far.</summary>
    public int MessageCount { get; private set; }

    public override void OnMetadata(WcoXmlMessageKind kind, WcoMetadata metadata)
    {
        _kind = kind;
        _directory = WcoXml.NamespaceOf(kind);
    }

    public override void OnDeclarationStart(CargoReportHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _json.WriteStartObject();
        _json.WriteString("type"u8, "CUSCAR");
        _json.WriteString("reference"u8, header.Reference);
        _json.WriteString("directory"u8, _directory);
        _json.WritePropertyName("manifest"u8);
        _json.WriteStartObject();
        // The property order of CargoManifest, so the entry reads back as the manifest canonical JSON gives.
        _json.WritePropertyName("vessel"u8);
        JsonSerializer.Serialize(_json, header.Vessel, CanonicalJson.ManifestOptions);
        WriteOptional("voyage"u8, header.Voyage);
        WriteOptional("portOfLoading"u8, header.PortOfLoading);
        WriteOptional("portOfDischarge"u8, header.PortOfDischarge);
        _json.WriteStartArray("consignments"u8);
        _inConsignments = true;
        _inContainers = false;
        _rejected = null;
    }

    public override void OnConsignment(ManifestConsignment consignment)
    {
        if (_inConsignments)
        {
            JsonSerializer.Serialize(_json, consignment, CanonicalJson.ManifestOptions);
        }
    }

    public override void OnTransportEquipment(ManifestContainer container)
    {
        ToContainers();
        JsonSerializer.Serialize(_json, container, CanonicalJson.ManifestOptions);
    }

    public override void OnUnverifiedEquipment(ManifestRejectedContainer container) => (_rejected ??= []).Add(container);

    public override void OnDeclarationEnd()
    {
        ToContainers();
        _json.WriteEndArray();
        _inContainers = false;
        if (_rejected is not null)
        {
            _json.WritePropertyName("rejectedContainers"u8);
            JsonSerializer.Serialize(_json, _rejected, CanonicalJson.ManifestOptions);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        MessageCount++;
    }

    public override void OnStatusEvent(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        _json.WriteStartObject();
        _json.WriteString("type"u8, StatusEventMapping.MessageFor(statusEvent.Type)?.MessageType ?? "CODECO");
        _json.WriteString("reference"u8, statusEvent.EventId);
        _json.WriteString("directory"u8, _directory);
        _json.WriteStartArray("events"u8);
        ContainerStatusEventWriter.Write(_json, statusEvent);
        _json.WriteEndArray();
        _json.WriteEndObject();
        MessageCount++;
    }

    public override void OnNotification(CustomsNotification notification) => (_notifications ??= []).Add(notification);

    public override void OnCustomsError(string? reference, DateTimeOffset? issuedAt, CustomsResponseError customsError) => (_errors ??= []).Add((reference, customsError));

    /// <summary>Writes what a response document held (its entries are complete only at its end).</summary>
    public void Complete()
    {
        if (_kind == WcoXmlMessageKind.CustomsResponse && (_notifications is not null || _errors is not null))
        {
            WriteResponseEntry(_notifications?.FirstOrDefault()?.CustomsReference, _notifications ?? [], _errors?.Select(e => e.Error) ?? []);
        }
        else if (_kind == WcoXmlMessageKind.ErrorResponse && _errors is not null)
        {
            foreach (var group in _errors.GroupBy(e => e.Reference))
            {
                WriteResponseEntry(group.Key, [], group.Select(e => e.Error));
            }
        }
        _notifications = null;
        _errors = null;
    }

    private void WriteResponseEntry(string? reference, IReadOnlyList<CustomsNotification> notifications, IEnumerable<CustomsResponseError> errors)
    {
        _json.WriteStartObject();
        _json.WriteString("type"u8, "CUSRES");
        _json.WriteString("reference"u8, reference ?? string.Empty);
        _json.WriteString("directory"u8, _directory);
        _json.WriteStartArray("notifications"u8);
        foreach (var notification in notifications)
        {
            CanonicalJson.WriteNotification(_json, notification);
        }
        _json.WriteEndArray();
        var first = true;
        foreach (var error in errors)
        {
            if (first)
            {
                _json.WriteStartArray("customsErrors"u8);
                first = false;
            }
            _json.WriteStartObject();
            _json.WriteString("code"u8, error.Code);
            if (error.Section is not null)
            {
                _json.WriteString("section"u8, error.Section);
            }
            if (error.Item is not null)
            {
                _json.WriteString("item"u8, error.Item);
            }
            _json.WriteEndObject();
        }
        if (!first)
        {
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
        MessageCount++;
    }

    private void ToContainers()
    {
        if (_inConsignments)
        {
            _json.WriteEndArray();
            _inConsignments = false;
        }
        if (!_inContainers)
        {
            _json.WriteStartArray("containers"u8);
            _inContainers = true;
        }
    }

    private void WriteOptional(ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }
}
