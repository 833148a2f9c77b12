using System.Xml;
using System.Xml.Schema;

namespace PortCustoms.Core.Xml;

/// <summary>The WCO Data Model-aligned XML documents PortCustoms reads and writes, one schema (and namespace) each.</summary>
public enum WcoXmlMessageKind : byte
{
    None = 0,

    /// <summary><c>CargoReport</c>: cargo manifests (CUSCAR, IFTMCS, IFTMAN).</summary>
    CargoReport,

    /// <summary><c>ArrivalReport</c>: the vessel's arrival with the equipment on board (a manifest without consignments).</summary>
    ArrivalReport,

    /// <summary><c>ContainerStatusReport</c>: container status events (CODECO, COARRI, the events API).</summary>
    StatusEvent,

    /// <summary><c>CustomsResponse</c>: release, hold and inspection orders (CUSRES, the notifications API).</summary>
    CustomsResponse,

    /// <summary><c>FunctionalErrorResponse</c>: customs refuses a message (CUSRES with errors and no decision).</summary>
    ErrorResponse,
}

/// <summary>
/// The schemas (embedded, versioned namespaces <c>urn:portcustoms:wco:{message}:{version}</c>) and the reader settings
/// every XML input goes through: no DTD (so no external entity and no entity expansion), no resolver, no schema named by
/// the document itself. Only our own compiled schemas validate.
/// </summary>
public static class WcoXml
{
    public const string CargoReportNamespace = "urn:portcustoms:wco:cargo-report:1";
    public const string ArrivalReportNamespace = "urn:portcustoms:wco:arrival-report:1";
    public const string StatusEventNamespace = "urn:portcustoms:wco:status-event:1";

    /// <summary>Version 2 of the status event: <c>Location/ID</c> mandatory (docs/message-versions.md).</summary>
    public const string StatusEventV2Namespace = "urn:portcustoms:wco:status-event:2";
    public const string CustomsResponseNamespace = "urn:portcustoms:wco:customs-response:1";
    public const string ErrorResponseNamespace = "urn:portcustoms:wco:error-response:1";

    // One compiled set per thread: XmlSchemaSet does not promise that concurrent validations may share an instance,
    // and compiling five small schemas once per thread costs milliseconds.
    [ThreadStatic]
    private static XmlSchemaSet? t_schemas;

    /// <summary>The compiled schemas of every message kind (this thread's copy; validation only reads it).</summary>
    public static XmlSchemaSet Schemas => t_schemas ??= LoadSchemas();

    public static IReadOnlyList<WcoXmlMessageKind> Kinds { get; } =
        [WcoXmlMessageKind.CargoReport, WcoXmlMessageKind.ArrivalReport, WcoXmlMessageKind.StatusEvent, WcoXmlMessageKind.CustomsResponse, WcoXmlMessageKind.ErrorResponse];

    public static string NamespaceOf(WcoXmlMessageKind kind) => kind switch
    {
        WcoXmlMessageKind.CargoReport => CargoReportNamespace,
        WcoXmlMessageKind.ArrivalReport => ArrivalReportNamespace,
        WcoXmlMessageKind.StatusEvent => StatusEventNamespace,
        WcoXmlMessageKind.CustomsResponse => CustomsResponseNamespace,
        WcoXmlMessageKind.ErrorResponse => ErrorResponseNamespace,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a WCO XML message kind."),
    };

    /// <summary>The versions of a kind this build reads and writes (each its own namespace and schema).</summary>
    public static IReadOnlyList<int> VersionsOf(WcoXmlMessageKind kind) => kind == WcoXmlMessageKind.StatusEvent ? [1, 2] : [1];

    /// <summary>The namespace of one version of a kind, e.g. <c>urn:portcustoms:wco:status-event:2</c>.</summary>
    public static string NamespaceOf(WcoXmlMessageKind kind, int version) =>
        version == 1 ? NamespaceOf(kind)
        : VersionsOf(kind).Contains(version) ? NamespaceOf(kind)[..(NamespaceOf(kind).LastIndexOf(':') + 1)] + version.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(version), version, $"No version {version} of {NameOf(kind)}.");

    /// <summary>The version a namespace of ours declares (its last segment), or 0.</summary>
    public static int VersionOf(string? namespaceUri) =>
        namespaceUri is not null && int.TryParse(namespaceUri.AsSpan(namespaceUri.LastIndexOf(':') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static string RootElementOf(WcoXmlMessageKind kind) => kind switch
    {
        WcoXmlMessageKind.CargoReport => "CargoReport",
        WcoXmlMessageKind.ArrivalReport => "ArrivalReport",
        WcoXmlMessageKind.StatusEvent => "ContainerStatusReport",
        WcoXmlMessageKind.CustomsResponse => "CustomsResponse",
        WcoXmlMessageKind.ErrorResponse => "FunctionalErrorResponse",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a WCO XML message kind."),
    };

    /// <summary>The schema file name inside the assembly, e.g. <c>cargo-report-1.xsd</c>.</summary>
    public static string SchemaFileOf(WcoXmlMessageKind kind, int version = 1) => NamespaceOf(kind, version)["urn:portcustoms:wco:".Length..].Replace(':', '-') + ".xsd";

    /// <summary>The CLI's and the configuration's name of a kind: <c>cargo-report</c>, <c>arrival-report</c>...</summary>
    public static string NameOf(WcoXmlMessageKind kind)
    {
        var ns = NamespaceOf(kind);
        var name = ns["urn:portcustoms:wco:".Length..];
        return name[..name.LastIndexOf(':')];
    }

    public static WcoXmlMessageKind KindOf(string? namespaceUri, string localName)
    {
        foreach (var kind in Kinds)
        {
            foreach (var version in VersionsOf(kind))
            {
                if (NamespaceOf(kind, version) == namespaceUri && RootElementOf(kind) == localName)
                {
                    return kind;
                }
            }
        }
        return WcoXmlMessageKind.None;
    }

    /// <summary>WCOTypeName: DEC for what the port declares, RES for what customs answers (as WCO DM implementations use them).</summary>
    internal static string TypeNameOf(WcoXmlMessageKind kind) => kind is WcoXmlMessageKind.CustomsResponse or WcoXmlMessageKind.ErrorResponse ? "RES" : "DEC";

    /// <summary>
    /// Settings for reading untrusted XML: DTDs prohibited (an XXE or billion-laughs document is refused at its
    /// DOCTYPE, before any entity is declared), no resolver, validation against <see cref="Schemas"/> only.
    /// </summary>
    public static XmlReaderSettings ReaderSettings(bool validate = true)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            // Kept: a value of spaces or line breaks is a value (the reader skips white space between elements itself).
            IgnoreWhitespace = false,
            CloseInput = false,
        };
        if (validate)
        {
            settings.ValidationType = ValidationType.Schema;
            settings.Schemas = Schemas;
            // Neither inline schemas nor xsi:schemaLocation: a document never chooses what it is validated against.
            settings.ValidationFlags = XmlSchemaValidationFlags.AllowXmlAttributes;
        }
        return settings;
    }

    private static XmlSchemaSet LoadSchemas()
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        var assembly = typeof(WcoXml).Assembly;
        foreach (var resource in Kinds.SelectMany(kind => VersionsOf(kind).Select(version => "PortCustoms.Core.Xml.Schemas." + SchemaFileOf(kind, version))))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The schema {resource} is not embedded in {assembly.GetName().Name}.");
            using var reader = XmlReader.Create(stream, ReaderSettings(validate: false));
            set.Add(XmlSchema.Read(reader, null)!);
        }
        set.Compile();
        return set;
    }
}

/// <summary>
/// The metadata envelope every document carries (WCO DM <c>MetaData</c>): data model version, WCOTypeName (DEC or
/// RES, set per message), the responsible country (ISO 3166 alpha-2) and agency, and this customisation's name and version.
/// </summary>
public sealed record WcoMetadata
{
    /// <summary>The WCO Data Model version the names follow.</summary>
    public string ModelVersion { get; init; } = "3.11";

    public string? TypeName { get; init; }

    /// <summary>ISO 3166-1 alpha-2 of the customs administration; ZZ (unknown) until configured.</summary>
    public string ResponsibleCountryCode { get; init; } = "ZZ";

    public string ResponsibleAgencyName { get; init; } = "CUSTOMS";

    public string? CustomizationCode { get; init; } = "PORTCUSTOMS";

    public string? CustomizationVersion { get; init; } = "1";
}
