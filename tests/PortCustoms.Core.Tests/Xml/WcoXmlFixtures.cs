using System.Text;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Xml;

namespace PortCustoms.Core.Tests.Xml;

/// <summary>Writing the canonical model as WCO XML and reading it back, in memory.</summary>
internal static class WcoXmlFixtures
{
    public static readonly WcoMetadata Metadata = new() { ResponsibleCountryCode = "NL", ResponsibleAgencyName = "Douane" };

    public static (byte[] Xml, XmlFindings Findings) Write(WcoXmlMessageKind kind, Action<WcoXmlWriter> write)
    {
        using var buffer = new MemoryStream();
        XmlFindings findings;
        using (var writer = new WcoXmlWriter(buffer, kind, Metadata))
        {
            write(writer);
            writer.Complete();
            findings = writer.Findings;
        }
        return (buffer.ToArray(), findings);
    }

    public static (WcoXmlDocument Document, WcoXmlReadResult Result) Read(byte[] xml) => WcoXmlReader.ReadDocument(new MemoryStream(xml));

    public static (WcoXmlDocument Document, WcoXmlReadResult Result) Read(string xml) => Read(Encoding.UTF8.GetBytes(xml));

    public static string Describe(XmlFindings findings) =>
        string.Join("\n", findings.Listed.Select(f => $"{f.Code} {f.Line}:{f.Column} {f.XPath} {f.Message}"));

    public static string Json(CargoManifest manifest) => CanonicalJson.ToJson(manifest);

    public static string Json(ContainerStatusEvent e) => Encoding.UTF8.GetString(ContainerStatusEventWriter.ToUtf8Bytes(e));

    public static string Json(CustomsNotification n)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CanonicalJson.WriteNotification(writer, n);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + $" zoned={n.IssuedAtZoned}";
    }

    /// <summary>A valid cargo report around the given declaration body (for the invalid-document tests).</summary>
    public static string CargoReport(string declarationBody) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CargoReport xmlns="urn:portcustoms:wco:cargo-report:1">
          <MetaData>
            <WCODataModelVersionCode>3.11</WCODataModelVersionCode>
            <WCOTypeName>DEC</WCOTypeName>
            <ResponsibleCountryCode>NL</ResponsibleCountryCode>
            <ResponsibleAgencyName>Douane</ResponsibleAgencyName>
          </MetaData>
          <Declaration>
        {declarationBody}
          </Declaration>
        </CargoReport>
        """;

    public const string Vessel = """
            <FunctionCode>9</FunctionCode>
            <ID>M1</ID>
            <BorderTransportMeans>
              <ID>9811000</ID>
              <IdentificationTypeCode>10</IdentificationTypeCode>
              <ModeCode>1</ModeCode>
            </BorderTransportMeans>
        """ + "\n";
}
