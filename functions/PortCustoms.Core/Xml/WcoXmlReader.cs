using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Xml;

/// <summary>
/// Receives what <see cref="WcoXmlReader"/> reads, one element at a time: a cargo report's header, then each
/// consignment and each piece of equipment as it is read, so a 100 MB report never has to be in memory. An item with a
/// finding at error level inside it is not handed on (the finding says why).
/// </summary>
public abstract class WcoXmlHandler
{
    protected WcoXmlHandler()
    {
    }

    public virtual void OnMetadata(WcoXmlMessageKind kind, WcoMetadata metadata)
    {
    }

    /// <summary>A cargo or arrival report declaration begins (its consignments and equipment follow).</summary>
    public virtual void OnDeclarationStart(CargoReportHeader header)
    {
    }

    public virtual void OnConsignment(ManifestConsignment consignment)
    {
    }

    public virtual void OnTransportEquipment(ManifestContainer container)
    {
    }

    public virtual void OnUnverifiedEquipment(ManifestRejectedContainer container)
    {
    }

    public virtual void OnDeclarationEnd()
    {
    }

    public virtual void OnStatusEvent(ContainerStatusEvent statusEvent)
    {
    }

    public virtual void OnNotification(CustomsNotification notification)
    {
    }

    /// <summary>An error customs reports; <paramref name="reference"/> is the refused message's (functional error response) or null.</summary>
    public virtual void OnCustomsError(string? reference, DateTimeOffset? issuedAt, CustomsResponseError customsError)
    {
    }
}

/// <summary>What reading one document found: its kind and metadata, how many messages it held, and the findings.</summary>
public sealed record WcoXmlReadResult(WcoXmlMessageKind Kind, WcoMetadata? Metadata, int MessageCount, XmlFindings Findings)
{
    public bool IsValid => Findings.ErrorCount == 0;

    /// <summary>The schema version the document declared by its namespace (<c>urn:portcustoms:wco:{message}:{version}</c>); 0 when unknown.</summary>
    public int Version { get; init; }
}

/// <summary>
/// Reads a WCO XML document as a stream: one <see cref="XmlReader"/> pass with DTDs prohibited and no resolver (a
/// DOCTYPE, and so every XXE and entity-expansion document, is refused with <c>XML-DTD-REFUSED</c>), validated against
/// the document's own schema as it is read (System.Xml.Schema), every finding positioned by line, column and XPath,
/// and mapped to the canonical model element by element. Findings are collected, never thrown.
/// </summary>
public static class WcoXmlReader
{
    /// <param name="input">The document.</param>
    /// <param name="handler">What is read goes here.</param>
    /// <param name="maxFindingsPerCode">Findings kept per code (all are counted).</param>
    /// <param name="codeLists">The deployment's code lists: UN/LOCODEs and package types are checked against them (the shipped lists when null).</param>
    public static WcoXmlReadResult Read(Stream input, WcoXmlHandler handler, int maxFindingsPerCode = FindingCollection.DefaultMaxPerCode, CodeListService? codeLists = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(handler);
        return new Parse(handler, new XmlFindings(maxFindingsPerCode), codeLists ?? CodeListService.Shipped).Run(input);
    }

    /// <summary>Reads a whole (small) document into the canonical model.</summary>
    public static (WcoXmlDocument Document, WcoXmlReadResult Result) ReadDocument(Stream input, CodeListService? codeLists = null)
    {
        var document = new WcoXmlDocument();
        var result = Read(input, document, codeLists: codeLists);
        return (document, result);
    }

    private sealed class Parse(WcoXmlHandler handler, XmlFindings findings, CodeListService codeLists)
    {
        private readonly XPathTracker _path = new();
        private XmlReader _reader = null!;
        private IXmlLineInfo? _lines;
        private WcoXmlMessageKind _kind;
        private WcoMetadata? _metadata;
        private int _messages;
        private int _openDepth;
        private readonly List<XmlFinding> _pendingAttributes = [];

        public WcoXmlReadResult Run(Stream input)
        {
            var settings = WcoXml.ReaderSettings();
            settings.ValidationEventHandler += OnValidation;
            try
            {
                using (_reader = XmlReader.Create(input, settings))
                {
                    _lines = _reader as IXmlLineInfo;
                    while (Read())
                    {
                        if (_reader.NodeType == XmlNodeType.Element)
                        {
                            break;
                        }
                    }
                    if (_reader.NodeType != XmlNodeType.Element)
                    {
                        Add(XmlErrorCodes.WellFormed, "The document has no root element.", "/");
                        return Result();
                    }
                    _kind = WcoXml.KindOf(_reader.NamespaceURI, _reader.LocalName);
                    _version = _kind == WcoXmlMessageKind.None ? 0 : WcoXml.VersionOf(_reader.NamespaceURI);
                    if (_kind == WcoXmlMessageKind.None)
                    {
                        Add(XmlErrorCodes.UnknownRoot,
                            $"The root element {{{_reader.NamespaceURI}}}{_reader.LocalName} is none of PortCustoms' WCO XML documents ({string.Join(", ", WcoXml.Kinds.Select(k => $"{{{WcoXml.NamespaceOf(k)}}}{WcoXml.RootElementOf(k)}"))}).",
                            "/" + _reader.LocalName);
                        return Result();
                    }
                    ReadRoot();
                    while (Read())
                    {
                    }
                }
            }
            catch (XmlException ex)
            {
                findings.Add(XmlFinding.FromParser(
                    ex,
                    ex.LineNumber > 0 ? ex.LineNumber : Position().Line,
                    ex.LineNumber > 0 ? ex.LinePosition : Position().Column,
                    // The elements still open where the parser stopped.
                    _path.PathTo(_openDepth)));
            }
            return Result();
        }

        private WcoXmlReadResult Result() => new(_kind, _metadata, _messages, findings) { Version = _version };

        private int _version;

        private bool Read()
        {
            if (!_reader.Read())
            {
                return false;
            }
            if (_reader.NodeType == XmlNodeType.Element)
            {
                _path.Start(_reader.Depth, _reader.LocalName);
                _openDepth = _reader.IsEmptyElement ? _reader.Depth : _reader.Depth + 1;
                if (_pendingAttributes.Count > 0)
                {
                    var element = _path.PathTo(_reader.Depth + 1);
                    foreach (var finding in _pendingAttributes)
                    {
                        findings.Add(finding with { XPath = element + finding.XPath });
                    }
                    _pendingAttributes.Clear();
                }
            }
            else if (_reader.NodeType == XmlNodeType.EndElement)
            {
                _openDepth = _reader.Depth;
            }
            return true;
        }

        /// <summary>The next child element of the element at <paramref name="parentDepth"/>; false at its end.</summary>
        private bool NextChild(int parentDepth, out string name)
        {
            while (Read())
            {
                if (_reader.NodeType == XmlNodeType.Element && _reader.Depth == parentDepth + 1)
                {
                    name = _reader.LocalName;
                    return true;
                }
                if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth <= parentDepth)
                {
                    break;
                }
            }
            name = string.Empty;
            return false;
        }

        /// <summary>The text of the leaf element the reader is on; the reader ends on its end tag.</summary>
        private string Leaf()
        {
            if (_reader.IsEmptyElement)
            {
                return string.Empty;
            }
            var depth = _reader.Depth;
            string? first = null;
            StringBuilder? more = null;
            while (Read())
            {
                switch (_reader.NodeType)
                {
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        if (first is null)
                        {
                            first = _reader.Value;
                        }
                        else
                        {
                            (more ??= new StringBuilder(first)).Append(_reader.Value);
                        }
                        break;
                    case XmlNodeType.EndElement when _reader.Depth == depth:
                        return more?.ToString() ?? first ?? string.Empty;
                }
            }
            return more?.ToString() ?? first ?? string.Empty;
        }

        private string Token() => Leaf().Trim();

        private void ReadRoot()
        {
            if (_reader.IsEmptyElement)
            {
                return;
            }
            while (NextChild(0, out var name))
            {
                switch (name)
                {
                    case "MetaData":
                        _metadata = ReadMetadata();
                        handler.OnMetadata(_kind, _metadata);
                        break;
                    case "Declaration" when _kind is WcoXmlMessageKind.CargoReport or WcoXmlMessageKind.ArrivalReport:
                        ReadCargoDeclaration();
                        break;
                    case "Declaration" when _kind == WcoXmlMessageKind.StatusEvent:
                        ReadStatusEvent();
                        break;
                    case "Response" when _kind == WcoXmlMessageKind.CustomsResponse:
                        ReadResponse();
                        break;
                    case "Response" when _kind == WcoXmlMessageKind.ErrorResponse:
                        ReadErrorResponse();
                        break;
                    case "Error" when _kind == WcoXmlMessageKind.CustomsResponse:
                        if (ReadError() is { } error)
                        {
                            handler.OnCustomsError(null, null, error);
                        }
                        break;
                }
            }
        }

        private WcoMetadata ReadMetadata()
        {
            var metadata = new WcoMetadata { CustomizationCode = null, CustomizationVersion = null };
            var depth = _reader.Depth;
            if (_reader.IsEmptyElement)
            {
                return metadata;
            }
            while (NextChild(depth, out var name))
            {
                metadata = name switch
                {
                    "WCODataModelVersionCode" => metadata with { ModelVersion = Token() },
                    "WCOTypeName" => metadata with { TypeName = Token() },
                    "ResponsibleCountryCode" => metadata with { ResponsibleCountryCode = Token() },
                    "ResponsibleAgencyName" => metadata with { ResponsibleAgencyName = Leaf() },
                    "AgencyAssignedCustomizationCode" => metadata with { CustomizationCode = Token() },
                    "AgencyAssignedCustomizationVersionCode" => metadata with { CustomizationVersion = Token() },
                    _ => metadata,
                };
            }
            return metadata;
        }

        private void ReadCargoDeclaration()
        {
            var depth = _reader.Depth;
            var errorsBefore = findings.ErrorCount;
            string reference = string.Empty;
            var vessel = new ManifestVessel();
            string? voyage = null, loading = null, discharge = null;
            var headerSent = false;
            void Header()
            {
                if (!headerSent)
                {
                    headerSent = true;
                    handler.OnDeclarationStart(new CargoReportHeader(reference, vessel, voyage, loading, discharge));
                }
            }
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "ID":
                            reference = Leaf();
                            break;
                        case "BorderTransportMeans":
                            (vessel, voyage) = ReadVessel();
                            break;
                        case "LoadingLocation":
                        case "Departure":
                            loading = ReadPlace();
                            break;
                        case "UnloadingLocation":
                        case "Arrival":
                            discharge = ReadPlace();
                            break;
                        case "Consignment":
                            Header();
                            if (ReadConsignment() is { } consignment)
                            {
                                handler.OnConsignment(consignment);
                            }
                            break;
                        case "TransportEquipment":
                            Header();
                            if (ReadEquipment() is { } container)
                            {
                                handler.OnTransportEquipment(container);
                            }
                            break;
                        case "UnverifiedTransportEquipment":
                            Header();
                            ReadUnverified();
                            break;
                    }
                }
            }
            Header();
            handler.OnDeclarationEnd();
            if (findings.ErrorCount == errorsBefore)
            {
                _messages++;
            }
        }

        private (ManifestVessel Vessel, string? Voyage) ReadVessel()
        {
            var depth = _reader.Depth;
            string? id = null, type = null, name = null, voyage = null;
            string? idPath = null;
            long idLine = 0, idColumn = 0;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var child))
                {
                    switch (child)
                    {
                        case "ID":
                            (idLine, idColumn) = Position();
                            id = Token();
                            idPath = CurrentPath();
                            break;
                        case "IdentificationTypeCode":
                            type = Token();
                            break;
                        case "Name":
                            name = Leaf();
                            break;
                        case "JourneyID":
                            voyage = Leaf();
                            break;
                    }
                }
            }
            if (type == "10")
            {
                var error = ImoNumber.TryParse(id.AsSpan(), out var imo);
                if (error != ImoNumberError.None)
                {
                    findings.Add(new XmlFinding(XmlErrorCodes.ImoNumber, EdifactSeverity.Error, $"'{id}': {ImoNumber.Describe(error)}.", idLine, idColumn, idPath ?? CurrentPath()));
                }
                return (new ManifestVessel { Imo = imo, Name = name }, voyage);
            }
            return (new ManifestVessel { CallSign = id, Name = name }, voyage);
        }

        private string? ReadPlace()
        {
            var depth = _reader.Depth;
            string? id = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    if (name is "ID" or "LocationID")
                    {
                        var (line, column) = Position();
                        id = Token();
                        var list = codeLists.Lists.UnLocodes;
                        if (id.Length > 0 && !list.Contains(id))
                        {
                            Unmapped(CodeListNames.UnLocodes, id, XmlErrorCodes.LocodeUnknown,
                                list.HasValidForm(id) ? $"UN/LOCODE '{id}' is not in the list ({list.Version})" : $"'{id}' is not a UN/LOCODE (two letters, three letters or digits 2-9)",
                                line, column);
                        }
                    }
                }
            }
            return id;
        }

        private ManifestParty? ReadParty()
        {
            var depth = _reader.Depth;
            string? id = null, name = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var child))
                {
                    switch (child)
                    {
                        case "Name":
                            name = Leaf();
                            break;
                        case "ID":
                            id = Leaf();
                            break;
                    }
                }
            }
            return new ManifestParty { Identifier = id, Name = name };
        }

        private ManifestConsignment? ReadConsignment()
        {
            var depth = _reader.Depth;
            var errorsBefore = findings.ErrorCount;
            string? billOfLading = null;
            ManifestParty? consignor = null, consignee = null, notify = null;
            var items = new List<ManifestGoodsItem>();
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "TransportContractDocument":
                            var documentDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(documentDepth, out var child))
                                {
                                    if (child == "ID")
                                    {
                                        billOfLading = Leaf();
                                    }
                                }
                            }
                            break;
                        case "Consignor":
                            consignor = ReadParty();
                            break;
                        case "Consignee":
                            consignee = ReadParty();
                            break;
                        case "NotifyParty":
                            notify = ReadParty();
                            break;
                        case "ConsignmentItem":
                            items.Add(ReadGoodsItem());
                            break;
                    }
                }
            }
            if (findings.ErrorCount > errorsBefore || billOfLading is null)
            {
                return null;
            }
            return new ManifestConsignment { BillOfLading = billOfLading, Consignor = consignor, Consignee = consignee, NotifyParty = notify, GoodsItems = items };
        }

        private ManifestGoodsItem ReadGoodsItem()
        {
            var depth = _reader.Depth;
            int? number = null, packages = null;
            string? hs = null, description = null, packageType = null;
            decimal? mass = null;
            List<ContainerNumber>? containers = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "SequenceNumeric":
                            number = Integer();
                            break;
                        case "Commodity":
                            var commodityDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(commodityDepth, out var child))
                                {
                                    if (child == "Description")
                                    {
                                        description = Leaf();
                                    }
                                    else if (child == "Classification")
                                    {
                                        var classificationDepth = _reader.Depth;
                                        if (!_reader.IsEmptyElement)
                                        {
                                            while (NextChild(classificationDepth, out var part))
                                            {
                                                if (part == "ID")
                                                {
                                                    hs = Token();
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            break;
                        case "GoodsMeasure":
                            var measureDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(measureDepth, out var child))
                                {
                                    if (child == "GrossMassMeasure")
                                    {
                                        mass = Decimal();
                                    }
                                }
                            }
                            break;
                        case "Packaging":
                            var packagingDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(packagingDepth, out var child))
                                {
                                    if (child == "QuantityQuantity")
                                    {
                                        packages = Integer();
                                    }
                                    else if (child == "TypeCode")
                                    {
                                        var (line, column) = Position();
                                        packageType = Token();
                                        var list = codeLists.Lists.PackageTypes;
                                        if (packageType.Length > 0 && !list.Contains(packageType))
                                        {
                                            Unmapped(CodeListNames.PackageTypes, packageType, XmlErrorCodes.PackageTypeUnknown,
                                                $"Package type '{packageType}' is not in the list ({list.Version})", line, column);
                                        }
                                    }
                                }
                            }
                            break;
                        case "TransportEquipment":
                            var equipmentDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(equipmentDepth, out var child))
                                {
                                    if (child == "ID" && Container() is { IsEmpty: false } container)
                                    {
                                        containers ??= [];
                                        if (!containers.Contains(container))
                                        {
                                            containers.Add(container);
                                        }
                                    }
                                }
                            }
                            break;
                    }
                }
            }
            return new ManifestGoodsItem
            {
                ItemNumber = number,
                HsCode = hs,
                Packages = packages,
                PackageType = packageType,
                GrossMassKg = mass,
                Description = description,
                Containers = containers ?? [],
            };
        }

        private ManifestContainer? ReadEquipment()
        {
            var depth = _reader.Depth;
            var errorsBefore = findings.ErrorCount;
            ContainerNumber number = default;
            SizeTypeCode sizeType = default;
            var fullEmpty = FullEmpty.Unknown;
            decimal? mass = null;
            List<string>? seals = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "ID":
                            number = Container();
                            break;
                        case "CharacteristicCode":
                            sizeType = SizeType();
                            break;
                        case "FullnessCode":
                            fullEmpty = Token() switch
                            {
                                EdifactCodes.Full => FullEmpty.Full,
                                EdifactCodes.Empty => FullEmpty.Empty,
                                _ => FullEmpty.Unknown,
                            };
                            break;
                        case "GrossMassMeasure":
                            mass = Decimal();
                            break;
                        case "Seal":
                            (seals ??= []).AddRange(ReadSeal());
                            break;
                    }
                }
            }
            if (findings.ErrorCount > errorsBefore || number.IsEmpty)
            {
                return null;
            }
            return new ManifestContainer { ContainerNumber = number, SizeType = sizeType, FullEmpty = fullEmpty, GrossMassKg = mass, SealNumbers = seals ?? [] };
        }

        private IEnumerable<string> ReadSeal()
        {
            var depth = _reader.Depth;
            string? seal = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    if (name == "ID")
                    {
                        seal = Leaf();
                    }
                }
            }
            return seal is null ? [] : [seal];
        }

        private void ReadUnverified()
        {
            var depth = _reader.Depth;
            string? id = null, reason = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "ID":
                            id = Leaf();
                            break;
                        case "ReasonCode":
                            reason = Token();
                            break;
                    }
                }
            }
            if (id is not null)
            {
                handler.OnUnverifiedEquipment(new ManifestRejectedContainer
                {
                    ContainerNumber = id,
                    Error = Enum.TryParse<ContainerNumberError>(reason, ignoreCase: false, out var error) ? error : ContainerNumber.Validate(id),
                });
            }
        }

        private void ReadStatusEvent()
        {
            var depth = _reader.Depth;
            var errorsBefore = findings.ErrorCount;
            string? id = null, voyage = null, location = null;
            var type = ContainerEventType.None;
            DateTimeOffset? occurredAt = null;
            ImoNumber imo = default;
            ContainerNumber container = default;
            SizeTypeCode sizeType = default;
            decimal? mass = null;
            List<string>? seals = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "ID":
                            id = Leaf();
                            break;
                        case "TypeCode":
                            _ = ContainerEventTypes.TryParse(Token().AsSpan(), out type);
                            break;
                        case "ActualDateTime":
                            occurredAt = DateTime();
                            break;
                        case "BorderTransportMeans":
                            var vesselDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(vesselDepth, out var child))
                                {
                                    if (child == "ID")
                                    {
                                        var (line, column) = Position();
                                        var text = Token();
                                        var error = ImoNumber.TryParse(text.AsSpan(), out imo);
                                        if (error != ImoNumberError.None)
                                        {
                                            findings.Add(new XmlFinding(XmlErrorCodes.ImoNumber, EdifactSeverity.Error, $"'{text}': {ImoNumber.Describe(error)}.", line, column, CurrentPath()));
                                        }
                                    }
                                    else if (child == "JourneyID")
                                    {
                                        voyage = Leaf();
                                    }
                                }
                            }
                            break;
                        case "Location":
                            location = ReadPlace();
                            break;
                        case "TransportEquipment":
                            var equipmentDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(equipmentDepth, out var child))
                                {
                                    switch (child)
                                    {
                                        case "ID":
                                            container = Container();
                                            break;
                                        case "CharacteristicCode":
                                            sizeType = SizeType();
                                            break;
                                        case "GrossMassMeasure":
                                            mass = Decimal();
                                            break;
                                        case "Seal":
                                            (seals ??= []).AddRange(ReadSeal());
                                            break;
                                    }
                                }
                            }
                            break;
                    }
                }
            }
            if (findings.ErrorCount > errorsBefore || string.IsNullOrEmpty(id) || container.IsEmpty || type == ContainerEventType.None || occurredAt is null)
            {
                return;
            }
            _messages++;
            handler.OnStatusEvent(new ContainerStatusEvent(id, container, type, occurredAt.Value)
            {
                VesselImo = imo,
                Voyage = voyage,
                Location = location,
                SealNumbers = seals ?? [],
                GrossMassKg = mass,
                SizeType = sizeType,
            });
        }

        private void ReadResponse()
        {
            var depth = _reader.Depth;
            var errorsBefore = findings.ErrorCount;
            string? id = null, reference = null, reason = null;
            DateTimeOffset? issuedAt = null;
            var status = CustomsStatus.None;
            ContainerNumber container = default;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "ID":
                            id = Leaf();
                            break;
                        case "FunctionalReferenceID":
                            reference = Leaf();
                            break;
                        case "IssueDateTime":
                            issuedAt = DateTime();
                            break;
                        case "Status":
                        case "AdditionalInformation":
                        case "TransportEquipment":
                            var partDepth = _reader.Depth;
                            if (!_reader.IsEmptyElement)
                            {
                                while (NextChild(partDepth, out var child))
                                {
                                    switch (child)
                                    {
                                        case "NameCode":
                                            status = StatusCode();
                                            break;
                                        case "StatementDescription":
                                            reason = Leaf();
                                            break;
                                        case "ID":
                                            container = Container();
                                            break;
                                    }
                                }
                            }
                            break;
                    }
                }
            }
            if (findings.ErrorCount > errorsBefore || string.IsNullOrEmpty(id) || container.IsEmpty || status == CustomsStatus.None || issuedAt is null)
            {
                return;
            }
            _messages++;
            handler.OnNotification(new CustomsNotification
            {
                NotificationId = id,
                ContainerNumber = container,
                Status = status,
                CustomsReference = reference,
                IssuedAt = issuedAt.Value,
                // The schema requires the offset, so every XML notification's time is zoned.
                IssuedAtZoned = true,
                ReceivedAt = issuedAt.Value,
                Reason = reason,
            });
        }

        private void ReadErrorResponse()
        {
            var depth = _reader.Depth;
            string? reference = null;
            DateTimeOffset? issuedAt = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    switch (name)
                    {
                        case "FunctionalReferenceID":
                            reference = Leaf();
                            break;
                        case "IssueDateTime":
                            issuedAt = DateTime();
                            break;
                        case "Error":
                            if (ReadError() is { } error)
                            {
                                handler.OnCustomsError(reference, issuedAt, error);
                            }
                            break;
                    }
                }
            }
            _messages++;
        }

        private CustomsResponseError? ReadError()
        {
            var depth = _reader.Depth;
            string? code = null, section = null, item = null;
            if (!_reader.IsEmptyElement)
            {
                while (NextChild(depth, out var name))
                {
                    if (name == "ValidationCode")
                    {
                        code = Token();
                    }
                    else if (name == "Pointer")
                    {
                        var pointerDepth = _reader.Depth;
                        if (!_reader.IsEmptyElement)
                        {
                            while (NextChild(pointerDepth, out var child))
                            {
                                if (child == "DocumentSectionCode")
                                {
                                    section = Token();
                                }
                                else if (child == "TagID")
                                {
                                    item = Token();
                                }
                            }
                        }
                    }
                }
            }
            return code is null ? null : new CustomsResponseError(code, section, item);
        }

        private ContainerNumber Container()
        {
            var (line, column) = Position();
            var text = Token();
            var error = ContainerNumber.TryParse(text.AsSpan(), out var number);
            if (error == ContainerNumberError.CheckDigit)
            {
                // The schema checks the shape (and has reported any other fault); the ISO 6346 check digit is checked here.
                findings.Add(new XmlFinding(XmlErrorCodes.ContainerNumber, EdifactSeverity.Error, $"'{text}': {ContainerNumber.Describe(error)}.", line, column, CurrentPath()));
            }
            return number;
        }

        /// <summary>
        /// An ISO 6346 size-type normalised through the deployment's list (1984 codes and aliases to the 1995 code), as
        /// the EDIFACT mappings do; the schema checks its shape, an unknown code is held or rejected and counted.
        /// </summary>
        private SizeTypeCode SizeType()
        {
            var (line, column) = Position();
            var text = Token();
            if (text.Length == 0)
            {
                return default;
            }
            if (SizeTypeCode.TryParse(text.AsSpan(), out var code) != SizeTypeCodeError.None)
            {
                // The schema's pattern is exactly this shape, and has reported it.
                return default;
            }
            var info = codeLists.Lists.SizeTypes.Lookup(code);
            if (!info.IsKnown)
            {
                Unmapped(CodeListNames.SizeTypes, text, XmlErrorCodes.SizeTypeUnknown, $"Size-type '{text}' is in no ISO 6346 code list known here ({codeLists.Lists.SizeTypes.Version})", line, column);
            }
            return info.Canonical;
        }

        /// <summary>
        /// A code its list does not map, as the EDIFACT mappings do: counted (list and code), reported at its position,
        /// never dropped or defaulted: a warning with the code kept as sent (Hold) or an error that rejects the message (Reject).
        /// </summary>
        private void Unmapped(string list, string code, string errorCode, string message, long line, long column)
        {
            codeLists.CountUnmapped(list, code);
            var finding = codeLists.Unmapped == UnmappedCodeAction.Reject
                ? new XmlFinding(errorCode, EdifactSeverity.Error, $"{message} (code list {list}; CodeLists:Unmapped = Reject).", line, column, CurrentPath())
                : new XmlFinding(errorCode, EdifactSeverity.Warning, $"{message} (code list {list}); kept as sent.", line, column, CurrentPath());
            findings.Add(finding);
        }

        /// <summary>A status code none of ours is held (HOLD) with a warning: never dropped, never a release.</summary>
        private CustomsStatus StatusCode()
        {
            var (line, column) = Position();
            var text = Token();
            if (CustomsStatusNames.TryParse(text, out var status))
            {
                return status;
            }
            if (text.Length > 0)
            {
                findings.Add(new XmlFinding(XmlErrorCodes.StatusUnmapped, EdifactSeverity.Warning,
                    $"Status code '{text}' is none of {string.Join(", ", CustomsStatusNames.All)}: read as HOLD until it is mapped.", line, column, CurrentPath()));
                return CustomsStatus.Hold;
            }
            return CustomsStatus.None;
        }

        private int? Integer()
        {
            var text = Token();
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        private decimal? Decimal()
        {
            var text = Token();
            return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        private DateTimeOffset? DateTime()
        {
            var text = Token();
            try
            {
                return XmlConvert.ToDateTimeOffset(text);
            }
            catch (FormatException)
            {
                // The schema has reported it.
                return null;
            }
            catch (ArgumentOutOfRangeException)
            {
                // xs:dateTime as System.Xml.Schema checks it takes offsets up to 99:59; no DateTimeOffset holds one past 14:00.
                Add(XmlErrorCodes.InvalidValue, $"'{text}' has a UTC offset beyond 14:00; a date-time needs one within -14:00..+14:00.", CurrentPath());
                return null;
            }
        }

        private (long Line, long Column) Position() => _lines is { } info ? (info.LineNumber, info.LinePosition) : (0, 0);

        /// <summary>The XPath of the element the reader is on (its start tag, or its end tag after a leaf's text).</summary>
        private string CurrentPath() => _path.PathTo(_reader.Depth + 1);

        private void Add(string code, string message, string path)
        {
            var (line, column) = Position();
            findings.Add(new XmlFinding(code, EdifactSeverity.Error, message, line, column, path));
        }

        private void OnValidation(object? sender, ValidationEventArgs e)
        {
            var node = _reader.NodeType;
            var depth = _reader.Depth;
            if (node == XmlNodeType.Element && depth == 0)
            {
                // An undeclared root: reported once, as XML-SCHEMA-ROOT.
                return;
            }
            var severity = e.Severity == XmlSeverityType.Error ? EdifactSeverity.Error : EdifactSeverity.Warning;
            var line = e.Exception?.LineNumber is > 0 ? e.Exception.LineNumber : Position().Line;
            var column = e.Exception?.LinePosition is > 0 ? e.Exception.LinePosition : Position().Column;
            if (node == XmlNodeType.Attribute)
            {
                // The reader is on the attribute of an element it has not handed out yet: the path is completed once it has.
                _pendingAttributes.Add(new XmlFinding(XmlErrorCodes.InvalidAttribute, severity, e.Message, line, column, "/@" + _reader.LocalName));
                return;
            }
            // The runtime's schema exceptions carry no code; what the reader is on, and what the schema says it is, tell
            // the kinds apart. At an end tag, the schema information is still the element's own only for a leaf.
            var info = _reader.SchemaInfo;
            var simple = info?.SchemaType is XmlSchemaSimpleType or XmlSchemaComplexType { ContentType: XmlSchemaContentType.TextOnly };
            var code = node switch
            {
                XmlNodeType.Element when _reader.IsEmptyElement => simple ? XmlErrorCodes.InvalidValue : XmlErrorCodes.IncompleteContent,
                // Accepted as an element of its parent (a declaration was found), yet invalid: its attributes are.
                XmlNodeType.Element => info?.SchemaElement is null ? XmlErrorCodes.UnexpectedElement : XmlErrorCodes.InvalidAttribute,
                XmlNodeType.EndElement => simple && info?.SchemaElement?.Name == _reader.LocalName ? XmlErrorCodes.InvalidValue : XmlErrorCodes.IncompleteContent,
                XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace => XmlErrorCodes.InvalidValue,
                _ => XmlErrorCodes.Schema,
            };
            var path = node switch
            {
                // Not tracked yet: this element is what the reader is reading now.
                XmlNodeType.Element => _path.PathTo(depth, _reader.LocalName),
                XmlNodeType.EndElement => _path.PathTo(depth + 1),
                _ => _path.PathTo(depth),
            };
            findings.Add(new XmlFinding(code, severity, e.Message, line, column, path));
        }
    }
}

/// <summary>A whole document read into the canonical model (for small documents, tests, and XML to EDIFACT).</summary>
public sealed class WcoXmlDocument : WcoXmlHandler
{
    private CargoReportHeader? _header;
    private List<ManifestConsignment> _consignments = [];
    private List<ManifestContainer> _containers = [];
    private List<ManifestRejectedContainer>? _rejected;

    public WcoXmlMessageKind Kind { get; private set; }

    public WcoMetadata? Metadata { get; private set; }

    public List<CanonicalEntry<CargoManifest>> Manifests { get; } = [];

    public List<CanonicalEntry<ContainerStatusEvent>> Events { get; } = [];

    public List<CanonicalEntry<CustomsNotification>> Notifications { get; } = [];

    public List<CanonicalEntry<CustomsResponseError>> CustomsErrors { get; } = [];

    public override void OnMetadata(WcoXmlMessageKind kind, WcoMetadata metadata)
    {
        Kind = kind;
        Metadata = metadata;
    }

    public override void OnDeclarationStart(CargoReportHeader header)
    {
        _header = header;
        _consignments = [];
        _containers = [];
        _rejected = null;
    }

    public override void OnConsignment(ManifestConsignment consignment) => _consignments.Add(consignment);

    public override void OnTransportEquipment(ManifestContainer container) => _containers.Add(container);

    public override void OnUnverifiedEquipment(ManifestRejectedContainer container) => (_rejected ??= []).Add(container);

    public override void OnDeclarationEnd()
    {
        if (_header is null)
        {
            return;
        }
        if (_header.Vessel.Imo.IsEmpty && _header.Vessel.CallSign is null)
        {
            _header = null;
            return;
        }
        Manifests.Add(new CanonicalEntry<CargoManifest>(_header.Reference, new CargoManifest
        {
            Vessel = _header.Vessel,
            Voyage = _header.Voyage,
            PortOfLoading = _header.PortOfLoading,
            PortOfDischarge = _header.PortOfDischarge,
            Consignments = _consignments,
            Containers = _containers,
            RejectedContainers = _rejected,
        }));
        _header = null;
    }

    public override void OnStatusEvent(ContainerStatusEvent statusEvent) => Events.Add(new CanonicalEntry<ContainerStatusEvent>(statusEvent.EventId, statusEvent));

    public override void OnNotification(CustomsNotification notification) => Notifications.Add(new CanonicalEntry<CustomsNotification>(notification.CustomsReference, notification));

    public override void OnCustomsError(string? reference, DateTimeOffset? issuedAt, CustomsResponseError customsError) => CustomsErrors.Add(new CanonicalEntry<CustomsResponseError>(reference, customsError));

    /// <summary>As canonical JSON reads it, for the EDIFACT composer.</summary>
    public CanonicalDocument ToCanonical()
    {
        var document = new CanonicalDocument();
        document.Manifests.AddRange(Manifests);
        document.Events.AddRange(Events);
        document.Notifications.AddRange(Notifications);
        document.CustomsErrors.AddRange(CustomsErrors);
        return document;
    }
}
