using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Xml;

/// <summary>The header of a cargo or arrival report declaration: what precedes its consignments and equipment.</summary>
public sealed record CargoReportHeader(string Reference, ManifestVessel Vessel, string? Voyage, string? PortOfLoading, string? PortOfDischarge)
{
    public static CargoReportHeader Of(string reference, CargoManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new CargoReportHeader(reference, manifest.Vessel, manifest.Voyage, manifest.PortOfLoading, manifest.PortOfDischarge);
    }
}

/// <summary>
/// Writes one WCO XML document straight to a stream, an element at a time (a cargo report one consignment and one
/// piece of equipment at a time: memory is flat in the document's size), and validates what it writes against the
/// document's schema as it goes (<see cref="XmlSchemaValidator"/>, the push form of the validating reader), so an
/// output that breaks its schema is reported with the XPath of the offending element, never handed on silently.
/// Findings of the way out have no line or column (0): the XPath names the place.
/// </summary>
public sealed class WcoXmlWriter : IDisposable
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    private readonly XmlWriter _xml;
    private readonly XmlSchemaValidator _validator;
    private readonly XPathTracker _path = new();
    private readonly string _ns;
    private int _depth;
    private bool _attributesOpen;
    private bool _leaf;
    private bool _inDeclaration;
    private bool _consignmentsDone;
    private bool _completed;
    private bool _errorResponseOpen;

    /// <param name="output">Where the document is written.</param>
    /// <param name="kind">The document.</param>
    /// <param name="metadata">The metadata envelope.</param>
    /// <param name="indent">Indented output.</param>
    /// <param name="findings">Where schema findings go.</param>
    /// <param name="version">The schema version to write (<see cref="WcoXml.VersionsOf"/>), validated against its own XSD.</param>
    public WcoXmlWriter(Stream output, WcoXmlMessageKind kind, WcoMetadata? metadata = null, bool indent = true, XmlFindings? findings = null, int version = 1)
    {
        ArgumentNullException.ThrowIfNull(output);
        Kind = kind;
        _ns = WcoXml.NamespaceOf(kind, version);
        Findings = findings ?? new XmlFindings();
        _xml = XmlWriter.Create(output, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = indent,
            CloseOutput = false,
            // A carriage return in a value is written as &#xD; and so read back as itself.
            NewLineHandling = NewLineHandling.Entitize,
        });
        var names = new NameTable();
        var resolver = new XmlNamespaceManager(names);
        resolver.AddNamespace(string.Empty, _ns);
        _validator = new XmlSchemaValidator(names, WcoXml.Schemas, resolver, XmlSchemaValidationFlags.AllowXmlAttributes);
        _validator.ValidationEventHandler += OnValidation;
        _validator.Initialize();

        _xml.WriteStartDocument();
        Start(WcoXml.RootElementOf(kind));
        var meta = metadata ?? new WcoMetadata();
        Start("MetaData");
        Leaf("WCODataModelVersionCode", meta.ModelVersion);
        Leaf("WCOTypeName", meta.TypeName ?? WcoXml.TypeNameOf(kind));
        Leaf("ResponsibleCountryCode", meta.ResponsibleCountryCode);
        Leaf("ResponsibleAgencyName", meta.ResponsibleAgencyName);
        OptionalLeaf("AgencyAssignedCustomizationCode", meta.CustomizationCode);
        OptionalLeaf("AgencyAssignedCustomizationVersionCode", meta.CustomizationVersion);
        End();
    }

    public WcoXmlMessageKind Kind { get; }

    /// <summary>What did not fit the schema (or XML itself), with the XPath of where it was written.</summary>
    public XmlFindings Findings { get; }

    /// <summary>How many messages (declarations, events, responses) were written.</summary>
    public int MessageCount { get; private set; }

    /// <summary>A whole manifest as one declaration: a cargo report, or for an arrival report its vessel, ports and equipment.</summary>
    public void WriteManifest(string reference, CargoManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        WriteDeclarationStart(CargoReportHeader.Of(reference, manifest));
        if (Kind == WcoXmlMessageKind.CargoReport)
        {
            foreach (var consignment in manifest.Consignments)
            {
                WriteConsignment(consignment);
            }
        }
        foreach (var container in manifest.Containers)
        {
            WriteTransportEquipment(container);
        }
        if (Kind == WcoXmlMessageKind.CargoReport)
        {
            foreach (var rejected in manifest.RejectedContainers ?? [])
            {
                WriteUnverifiedEquipment(rejected);
            }
        }
        WriteDeclarationEnd();
    }

    /// <summary>Opens a cargo or arrival report declaration; its consignments, then its equipment, follow.</summary>
    public void WriteDeclarationStart(CargoReportHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Expect(WcoXmlMessageKind.CargoReport, WcoXmlMessageKind.ArrivalReport);
        if (_inDeclaration)
        {
            throw new InvalidOperationException("The previous declaration is still open.");
        }
        _inDeclaration = true;
        _consignmentsDone = false;
        Start("Declaration");
        // UN 1225 9: original.
        Leaf("FunctionCode", "9");
        Leaf("ID", header.Reference);
        Start("BorderTransportMeans");
        var imo = !header.Vessel.Imo.IsEmpty;
        Leaf("ID", imo ? header.Vessel.Imo.ToString() : header.Vessel.CallSign ?? string.Empty);
        Leaf("IdentificationTypeCode", imo ? "10" : "CS");
        OptionalLeaf("Name", header.Vessel.Name);
        OptionalLeaf("JourneyID", header.Voyage);
        // UN Rec. 19: 1 maritime.
        Leaf("ModeCode", "1");
        End();
        if (Kind == WcoXmlMessageKind.CargoReport)
        {
            Place("LoadingLocation", "ID", header.PortOfLoading);
            Place("UnloadingLocation", "ID", header.PortOfDischarge);
        }
        else
        {
            Place("Departure", "LocationID", header.PortOfLoading);
            Place("Arrival", "LocationID", header.PortOfDischarge);
        }
    }

    public void WriteConsignment(ManifestConsignment consignment)
    {
        ArgumentNullException.ThrowIfNull(consignment);
        Expect(WcoXmlMessageKind.CargoReport);
        if (!_inDeclaration || _consignmentsDone)
        {
            throw new InvalidOperationException("Consignments are written in an open declaration, before its equipment.");
        }
        Start("Consignment");
        Start("TransportContractDocument");
        Leaf("ID", consignment.BillOfLading);
        // UN 1001 705: bill of lading.
        Leaf("TypeCode", "705");
        End();
        Party("Consignor", consignment.Consignor);
        Party("Consignee", consignment.Consignee);
        Party("NotifyParty", consignment.NotifyParty);
        foreach (var item in consignment.GoodsItems)
        {
            Start("ConsignmentItem");
            if (item.ItemNumber is { } number)
            {
                Leaf("SequenceNumeric", number.ToString(CultureInfo.InvariantCulture));
            }
            if (item.Description is not null || item.HsCode is not null)
            {
                Start("Commodity");
                OptionalLeaf("Description", item.Description);
                if (item.HsCode is not null)
                {
                    Start("Classification");
                    Leaf("ID", item.HsCode);
                    Leaf("IdentificationTypeCode", "HS");
                    End();
                }
                End();
            }
            if (item.GrossMassKg is { } mass)
            {
                Start("GoodsMeasure");
                Mass(mass);
                End();
            }
            if (item.Packages is not null || item.PackageType is not null)
            {
                Start("Packaging");
                if (item.Packages is { } packages)
                {
                    Leaf("QuantityQuantity", packages.ToString(CultureInfo.InvariantCulture));
                }
                OptionalLeaf("TypeCode", item.PackageType);
                End();
            }
            foreach (var container in item.Containers)
            {
                Start("TransportEquipment");
                Leaf("ID", container.ToString());
                End();
            }
            End();
        }
        End();
    }

    public void WriteTransportEquipment(ManifestContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        Expect(WcoXmlMessageKind.CargoReport, WcoXmlMessageKind.ArrivalReport);
        if (!_inDeclaration)
        {
            throw new InvalidOperationException("Equipment is written in an open declaration.");
        }
        _consignmentsDone = true;
        Start("TransportEquipment");
        Leaf("ID", container.ContainerNumber.ToString());
        if (!container.SizeType.IsEmpty)
        {
            Leaf("CharacteristicCode", container.SizeType.ToString());
        }
        if (container.FullEmpty != FullEmpty.Unknown)
        {
            Leaf("FullnessCode", container.FullEmpty == FullEmpty.Full ? EdifactCodes.Full : EdifactCodes.Empty);
        }
        if (container.GrossMassKg is { } mass)
        {
            Mass(mass);
        }
        foreach (var seal in container.SealNumbers)
        {
            Start("Seal");
            Leaf("ID", seal);
            End();
        }
        End();
    }

    public void WriteUnverifiedEquipment(ManifestRejectedContainer rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        Expect(WcoXmlMessageKind.CargoReport);
        _consignmentsDone = true;
        Start("UnverifiedTransportEquipment");
        Leaf("ID", rejected.ContainerNumber);
        Leaf("ReasonCode", rejected.Error.ToString());
        End();
    }

    public void WriteDeclarationEnd()
    {
        if (!_inDeclaration)
        {
            throw new InvalidOperationException("No declaration is open.");
        }
        End();
        _inDeclaration = false;
        MessageCount++;
    }

    /// <summary>One status event as one declaration of a <c>ContainerStatusReport</c>.</summary>
    public void WriteStatusEvent(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        Expect(WcoXmlMessageKind.StatusEvent);
        Start("Declaration");
        Leaf("ID", statusEvent.EventId);
        Leaf("TypeCode", statusEvent.Type.ToWireName());
        Leaf("ActualDateTime", Format(statusEvent.OccurredAt));
        if (!statusEvent.VesselImo.IsEmpty || statusEvent.Voyage is not null)
        {
            Start("BorderTransportMeans");
            if (!statusEvent.VesselImo.IsEmpty)
            {
                Leaf("ID", statusEvent.VesselImo.ToString());
                Leaf("IdentificationTypeCode", "10");
            }
            OptionalLeaf("JourneyID", statusEvent.Voyage);
            End();
        }
        Place("Location", "ID", statusEvent.Location);
        Start("TransportEquipment");
        Leaf("ID", statusEvent.ContainerNumber.ToString());
        if (!statusEvent.SizeType.IsEmpty)
        {
            Leaf("CharacteristicCode", statusEvent.SizeType.ToString());
        }
        if (statusEvent.GrossMassKg is { } mass)
        {
            Mass(mass);
        }
        foreach (var seal in statusEvent.SealNumbers)
        {
            Start("Seal");
            Leaf("ID", seal);
            End();
        }
        End();
        End();
        MessageCount++;
    }

    /// <summary>One release, hold or inspection order as one <c>Response</c>; customs intelligence is never written.</summary>
    public void WriteNotification(CustomsNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Expect(WcoXmlMessageKind.CustomsResponse);
        Start("Response");
        Leaf("ID", notification.NotificationId);
        OptionalLeaf("FunctionalReferenceID", notification.CustomsReference);
        Leaf("IssueDateTime", Format(notification.IssuedAt));
        Start("Status");
        Leaf("NameCode", notification.Status.ToName());
        End();
        if (notification.Reason is not null)
        {
            Start("AdditionalInformation");
            Leaf("StatementDescription", notification.Reason);
            End();
        }
        Start("TransportEquipment");
        Leaf("ID", notification.ContainerNumber.ToString());
        End();
        End();
        MessageCount++;
    }

    /// <summary>
    /// An error customs reports: in a customs response, after its responses (about the message they answer); in a
    /// functional error response, in the response opened by <see cref="WriteErrorResponseStart"/>.
    /// </summary>
    public void WriteCustomsError(CustomsResponseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Expect(WcoXmlMessageKind.CustomsResponse, WcoXmlMessageKind.ErrorResponse);
        if (Kind == WcoXmlMessageKind.ErrorResponse && !_errorResponseOpen)
        {
            throw new InvalidOperationException("Open the refused message's response first (WriteErrorResponseStart).");
        }
        Start("Error");
        Leaf("ValidationCode", error.Code);
        if (error.Section is not null || error.Item is not null)
        {
            Start("Pointer");
            OptionalLeaf("DocumentSectionCode", error.Section);
            OptionalLeaf("TagID", error.Item);
            End();
        }
        End();
    }

    /// <summary>Opens the response to one refused message of a functional error response; its errors follow.</summary>
    public void WriteErrorResponseStart(string? reference, DateTimeOffset? issuedAt)
    {
        Expect(WcoXmlMessageKind.ErrorResponse);
        WriteErrorResponseEnd();
        Start("Response");
        OptionalLeaf("FunctionalReferenceID", reference);
        if (issuedAt is { } at)
        {
            Leaf("IssueDateTime", Format(at));
        }
        _errorResponseOpen = true;
    }

    private void WriteErrorResponseEnd()
    {
        if (_errorResponseOpen)
        {
            End();
            _errorResponseOpen = false;
            MessageCount++;
        }
    }

    /// <summary>Closes the document and checks that nothing mandatory is missing; findings are complete after this.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        if (_inDeclaration)
        {
            WriteDeclarationEnd();
        }
        WriteErrorResponseEnd();
        End();
        _validator.EndValidation();
        _xml.WriteEndDocument();
        _xml.Flush();
    }

    public void Dispose() => _xml.Dispose();

    private void Expect(WcoXmlMessageKind kind, WcoXmlMessageKind? other = null)
    {
        if (Kind != kind && Kind != other)
        {
            throw new InvalidOperationException($"A {WcoXml.RootElementOf(Kind)} document does not carry this.");
        }
        if (_completed)
        {
            throw new InvalidOperationException("The document is complete.");
        }
    }

    private void Place(string element, string idElement, string? value)
    {
        if (value is null)
        {
            return;
        }
        Start(element);
        Leaf(idElement, value);
        End();
    }

    private void Party(string element, ManifestParty? party)
    {
        if (party is null)
        {
            return;
        }
        Start(element);
        OptionalLeaf("Name", party.Name);
        OptionalLeaf("ID", party.Identifier);
        End();
    }

    private void Mass(decimal kilograms)
    {
        Start("GrossMassMeasure");
        Attribute("unitCode", "KGM");
        Text(kilograms.ToString(CultureInfo.InvariantCulture));
        End();
    }

    private static string Format(DateTimeOffset value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private void OptionalLeaf(string name, string? value)
    {
        if (value is not null)
        {
            Leaf(name, value);
        }
    }

    private void Leaf(string name, string value)
    {
        Start(name);
        Text(value);
        End();
    }

    private void Start(string name)
    {
        CloseAttributes();
        _path.Start(_depth, name);
        _depth++;
        _leaf = false;
        _xml.WriteStartElement(name, _ns);
        _stage = Stage.Element;
        _validator.ValidateElement(name, _ns, null);
        _attributesOpen = true;
    }

    private void Attribute(string name, string value)
    {
        _xml.WriteAttributeString(name, value);
        _stage = Stage.Attribute;
        _validator.ValidateAttribute(name, string.Empty, value, null);
    }

    private void CloseAttributes()
    {
        if (_attributesOpen)
        {
            _attributesOpen = false;
            _stage = Stage.Attribute;
            _validator.ValidateEndOfAttributes(null);
        }
    }

    private void Text(string value)
    {
        CloseAttributes();
        _leaf = true;
        if (!IsXmlSafe(value))
        {
            Findings.Add(new XmlFinding(XmlErrorCodes.InvalidCharacter, EdifactSeverity.Error,
                "The value has characters XML cannot carry (control characters); written without them.", 0, 0, _path.PathTo(_depth)));
            value = WithoutUnsafe(value);
        }
        _xml.WriteString(value);
        _stage = Stage.Text;
        _validator.ValidateText(value);
    }

    private void End()
    {
        CloseAttributes();
        _stage = _leaf ? Stage.LeafEnd : Stage.End;
        _validator.ValidateEndElement(null);
        _xml.WriteEndElement();
        _depth--;
        _path.Pop();
        _leaf = false;
    }

    private static bool IsXmlSafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is (>= ' ' and < '\uD800') or '\t' or '\n' or '\r' or (>= '\uE000' and <= '\uFFFD'))
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }

    private static string WithoutUnsafe(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (IsXmlSafe(c.ToString()))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private enum Stage : byte
    {
        Element,
        Attribute,
        Text,
        End,
        LeafEnd,
    }

    private Stage _stage;

    private void OnValidation(object? sender, ValidationEventArgs e)
    {
        var code = _stage switch
        {
            Stage.Element => XmlErrorCodes.UnexpectedElement,
            Stage.Attribute => XmlErrorCodes.InvalidAttribute,
            Stage.Text or Stage.LeafEnd => XmlErrorCodes.InvalidValue,
            Stage.End => XmlErrorCodes.IncompleteContent,
            _ => XmlErrorCodes.Schema,
        };
        Findings.Add(new XmlFinding(code, e.Severity == XmlSeverityType.Error ? EdifactSeverity.Error : EdifactSeverity.Warning, e.Message, 0, 0, _path.PathTo(_depth)));
    }
}
