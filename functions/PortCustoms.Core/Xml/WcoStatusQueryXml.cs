using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Model;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Xml;

/// <summary>A status query or answer read from XML: the message when the document is valid, and every finding.</summary>
public sealed record WcoStatusQueryRead<TMessage>(TMessage? Message, XmlFindings Findings)
    where TMessage : class
{
    public bool IsValid => Findings.ErrorCount == 0 && Message is not null;
}

/// <summary>
/// The gate's live status query in WCO XML (<c>urn:portcustoms:wco:status-query:1</c>, status-query-1.xsd): a
/// <c>StatusQuery</c> (the container as <c>TransportEquipment/ID</c>, who asks, when) and customs'
/// <c>StatusAnswer</c> (a <c>Response</c> shaped like the customs-response document's, with the authority's raw status
/// code). Both directions are validated against the schema; reading is streamed with DTDs off and no resolver (the
/// settings of every XML input, <see cref="WcoXml.ReaderSettings"/>), findings positioned by line, column and XPath.
/// </summary>
public static class WcoStatusQueryXml
{
    public const string Namespace = "urn:portcustoms:wco:status-query:1";
    public const string QueryRoot = "StatusQuery";
    public const string AnswerRoot = "StatusAnswer";
    public const string SchemaFile = "status-query-1.xsd";

    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    [ThreadStatic]
    private static XmlSchemaSet? t_schemas;

    private static XmlSchemaSet Schemas => t_schemas ??= LoadSchema();

    /// <summary>A query, validated as written; <see cref="NotSupportedException"/> with the first finding if the schema refuses it.</summary>
    public static byte[] WriteQuery(CustomsStatusQueryMessage query, DateTimeOffset requestedAt, string? submitter, WcoMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Write(QueryRoot, metadata, "INF", xml =>
        {
            xml.WriteElementString("ID", Namespace, query.QueryId);
            xml.WriteElementString("IssueDateTime", Namespace, requestedAt.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
            if (!string.IsNullOrWhiteSpace(submitter))
            {
                xml.WriteStartElement("Submitter", Namespace);
                xml.WriteElementString("ID", Namespace, submitter);
                xml.WriteEndElement();
            }
            Equipment(xml, query.ContainerNumber);
        });
    }

    /// <summary>An answer, validated as written; <see cref="NotSupportedException"/> with the first finding if the schema refuses it.</summary>
    public static byte[] WriteAnswer(CustomsStatusAnswerMessage answer, string? responseToId = null, WcoMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Write(AnswerRoot, metadata, "RES", xml =>
        {
            if (responseToId is not null)
            {
                xml.WriteElementString("ResponseToID", Namespace, responseToId);
            }
            xml.WriteStartElement("Response", Namespace);
            if (answer.CustomsReference is not null)
            {
                xml.WriteElementString("FunctionalReferenceID", Namespace, answer.CustomsReference);
            }
            if (answer.IssuedAt is { } issuedAt)
            {
                xml.WriteElementString("IssueDateTime", Namespace, issuedAt.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
            }
            xml.WriteStartElement("Status", Namespace);
            xml.WriteElementString("NameCode", Namespace, answer.StatusCode);
            xml.WriteEndElement();
            Equipment(xml, answer.ContainerNumber);
            xml.WriteEndElement();
        });
    }

    public static WcoStatusQueryRead<CustomsStatusQueryMessage> ReadQuery(ReadOnlyMemory<byte> body)
    {
        var (values, positions, findings) = Read(body, QueryRoot);
        CustomsStatusQueryMessage? query = null;
        if (findings.ErrorCount == 0 && Container(values, positions, "StatusQuery/TransportEquipment/ID", findings) is { } container)
        {
            query = new CustomsStatusQueryMessage(values["StatusQuery/ID"], container);
        }
        return new(query, findings);
    }

    public static WcoStatusQueryRead<CustomsStatusAnswerMessage> ReadAnswer(ReadOnlyMemory<byte> body)
    {
        var (values, positions, findings) = Read(body, AnswerRoot);
        CustomsStatusAnswerMessage? answer = null;
        if (findings.ErrorCount == 0 && Container(values, positions, "StatusAnswer/Response/TransportEquipment/ID", findings) is { } container
            && Instant(values, positions, "StatusAnswer/Response/IssueDateTime", findings, out var issued))
        {
            answer = new CustomsStatusAnswerMessage(
                container,
                values["StatusAnswer/Response/Status/NameCode"].Trim(),
                values.GetValueOrDefault("StatusAnswer/Response/FunctionalReferenceID"),
                issued);
        }
        return new(answer, findings);
    }

    /// <summary>
    /// The root of a document in this namespace (<see cref="QueryRoot"/> or <see cref="AnswerRoot"/>) from its first
    /// bytes, else null: how a file is told to be a live-query document before it is read. DTDs are refused here too.
    /// </summary>
    public static string? RootOf(ReadOnlySpan<byte> head)
    {
        using var input = new MemoryStream(head.ToArray(), writable: false);
        try
        {
            using var reader = XmlReader.Create(input, WcoXml.ReaderSettings(validate: false));
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    return reader.NamespaceURI == Namespace ? reader.LocalName : null;
                }
            }
        }
        catch (XmlException)
        {
            // A head cut inside the root's start tag, or not XML: the ordinary reader says what is wrong.
        }
        return null;
    }

    private static void Equipment(XmlWriter xml, string containerNumber)
    {
        xml.WriteStartElement("TransportEquipment", Namespace);
        xml.WriteElementString("ID", Namespace, containerNumber);
        xml.WriteEndElement();
    }

    private static byte[] Write(string root, WcoMetadata? metadata, string typeName, Action<XmlWriter> body)
    {
        using var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = false,
            CloseOutput = false,
            NewLineHandling = NewLineHandling.Entitize,
        }))
        {
            var meta = metadata ?? new WcoMetadata();
            xml.WriteStartDocument();
            xml.WriteStartElement(root, Namespace);
            xml.WriteStartElement("MetaData", Namespace);
            xml.WriteElementString("WCODataModelVersionCode", Namespace, meta.ModelVersion);
            xml.WriteElementString("WCOTypeName", Namespace, typeName);
            xml.WriteElementString("ResponsibleCountryCode", Namespace, meta.ResponsibleCountryCode);
            xml.WriteElementString("ResponsibleAgencyName", Namespace, meta.ResponsibleAgencyName);
            if (meta.CustomizationCode is not null)
            {
                xml.WriteElementString("AgencyAssignedCustomizationCode", Namespace, meta.CustomizationCode);
            }
            if (meta.CustomizationVersion is not null)
            {
                xml.WriteElementString("AgencyAssignedCustomizationVersionCode", Namespace, meta.CustomizationVersion);
            }
            xml.WriteEndElement();
            body(xml);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        var written = output.ToArray();
        // Validated on the way out by the same reader that validates what comes in: an invalid document never leaves.
        var (_, _, findings) = Read(written, root);
        if (findings.ErrorCount > 0)
        {
            var first = findings.Listed.First(f => f.Severity == EdifactSeverity.Error);
            throw new NotSupportedException($"The XML document is not valid: {first.Code} at {first.XPath}: {first.Message}");
        }
        return written;
    }

    /// <summary>An optional date-time; false (with a finding) for an offset past 14:00, which xs:dateTime lets through.</summary>
    private static bool Instant(Dictionary<string, string> values, Dictionary<string, (long Line, long Column)> positions, string key, XmlFindings findings, out DateTimeOffset? instant)
    {
        instant = null;
        if (!values.TryGetValue(key, out var text))
        {
            return true;
        }
        try
        {
            instant = XmlConvert.ToDateTimeOffset(text.Trim());
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            findings.Add(new XmlFinding(XmlErrorCodes.InvalidValue, EdifactSeverity.Error,
                $"'{text.Trim()}' is not a date-time with a UTC offset within -14:00..+14:00.", positions[key].Line, positions[key].Column, XPathOf(key)));
            return false;
        }
    }

    private static string? Container(Dictionary<string, string> values, Dictionary<string, (long Line, long Column)> positions, string key, XmlFindings findings)
    {
        var text = values[key].Trim();
        if (ContainerNumber.TryParse(text, out var container))
        {
            return container.ToString();
        }
        findings.Add(new XmlFinding(XmlErrorCodes.ContainerNumber, EdifactSeverity.Error,
            $"'{text}' is not a container number with a valid ISO 6346 check digit.", positions[key].Line, positions[key].Column, XPathOf(key)));
        return null;
    }

    /// <summary><c>StatusQuery/TransportEquipment/ID</c> as <c>/StatusQuery/TransportEquipment[1]/ID[1]</c>.</summary>
    private static string XPathOf(string key)
    {
        var steps = key.Split('/');
        return "/" + steps[0] + string.Concat(steps.Skip(1).Select(s => "/" + s + "[1]"));
    }

    /// <summary>
    /// One streamed, validating pass: the text of each element by its path of local names (each element occurs at
    /// most once in these documents), and the findings.
    /// </summary>
    private static (Dictionary<string, string> Values, Dictionary<string, (long Line, long Column)> Positions, XmlFindings Findings) Read(ReadOnlyMemory<byte> body, string expectedRoot)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var positions = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        var findings = new XmlFindings();
        var path = new XPathTracker();
        var names = new List<string>();
        var settings = WcoXml.ReaderSettings(validate: false);
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = Schemas;
        settings.ValidationFlags = XmlSchemaValidationFlags.AllowXmlAttributes;
        XmlReader? reader = null;
        settings.ValidationEventHandler += (_, e) => findings.Add(Finding(reader!, path, e));
        using var input = new MemoryStream(body.ToArray(), writable: false);
        try
        {
            using (reader = XmlReader.Create(input, settings))
            {
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                            if (reader.Depth == 0 && (reader.NamespaceURI != Namespace || reader.LocalName != expectedRoot))
                            {
                                findings.Add(new XmlFinding(XmlErrorCodes.UnknownRoot, EdifactSeverity.Error,
                                    $"The root element {{{reader.NamespaceURI}}}{reader.LocalName} is not {{{Namespace}}}{expectedRoot}.",
                                    Line(reader), Column(reader), "/" + reader.LocalName));
                                return (values, positions, findings);
                            }
                            path.Start(reader.Depth, reader.LocalName);
                            names.RemoveRange(reader.Depth, names.Count - reader.Depth);
                            names.Add(reader.LocalName);
                            values[string.Join('/', names)] = string.Empty;
                            positions[string.Join('/', names)] = (Line(reader), Column(reader));
                            break;
                        case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                            var key = string.Join('/', names.Take(reader.Depth));
                            values[key] = values.GetValueOrDefault(key) + reader.Value;
                            break;
                    }
                }
            }
        }
        catch (XmlException ex)
        {
            findings.Add(XmlFinding.FromParser(ex, ex.LineNumber, ex.LinePosition, path.PathTo(names.Count)));
        }
        if (names.Count == 0 && findings.ErrorCount == 0)
        {
            findings.Add(new XmlFinding(XmlErrorCodes.WellFormed, EdifactSeverity.Error, "The document has no root element.", 0, 0, "/"));
        }
        return (values, positions, findings);
    }

    private static XmlFinding Finding(XmlReader reader, XPathTracker path, ValidationEventArgs e)
    {
        var severity = e.Severity == XmlSeverityType.Error ? EdifactSeverity.Error : EdifactSeverity.Warning;
        var line = e.Exception?.LineNumber is > 0 ? e.Exception.LineNumber : Line(reader);
        var column = e.Exception?.LinePosition is > 0 ? e.Exception.LinePosition : Column(reader);
        var info = reader.SchemaInfo;
        var simple = info?.SchemaType is XmlSchemaSimpleType or XmlSchemaComplexType { ContentType: XmlSchemaContentType.TextOnly };
        var depth = reader.Depth;
        var (code, xpath) = reader.NodeType switch
        {
            XmlNodeType.Element when reader.IsEmptyElement => (simple ? XmlErrorCodes.InvalidValue : XmlErrorCodes.IncompleteContent, path.PathTo(depth, reader.LocalName)),
            XmlNodeType.Element => (info?.SchemaElement is null ? XmlErrorCodes.UnexpectedElement : XmlErrorCodes.InvalidAttribute, path.PathTo(depth, reader.LocalName)),
            XmlNodeType.EndElement => (simple && info?.SchemaElement?.Name == reader.LocalName ? XmlErrorCodes.InvalidValue : XmlErrorCodes.IncompleteContent, path.PathTo(depth + 1)),
            XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace => (XmlErrorCodes.InvalidValue, path.PathTo(depth)),
            XmlNodeType.Attribute => (XmlErrorCodes.InvalidAttribute, path.PathTo(depth)),
            _ => (XmlErrorCodes.Schema, path.PathTo(depth)),
        };
        return new XmlFinding(code, severity, e.Message, line, column, xpath);
    }

    private static long Line(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;

    private static long Column(XmlReader reader) => reader is IXmlLineInfo info ? info.LinePosition : 0;

    private static XmlSchemaSet LoadSchema()
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        var resource = "PortCustoms.Core.Xml.Schemas." + SchemaFile;
        using var stream = typeof(WcoStatusQueryXml).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The schema {resource} is not embedded.");
        using var reader = XmlReader.Create(stream, WcoXml.ReaderSettings(validate: false));
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }
}
