using PortCustoms.Core.Xml;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Xml.WcoXmlFixtures;

namespace PortCustoms.Core.Tests.Xml;

/// <summary>
/// Invalid documents get findings with a stable code, line, column and XPath (never an exception), and documents
/// with a DOCTYPE (external entities, entity expansion) are refused before anything is declared or resolved.
/// </summary>
public sealed class WcoXmlValidationTests
{
    private static XmlFinding Single(WcoXmlReadResult result, string code) =>
        Assert.Single(result.Findings.Listed, f => f.Code == code);

    [Fact]
    public void Read_MissingMandatoryChild_ReportsIncompleteContentAtItsParent()
    {
        var xml = CargoReport(Vessel + """
                <Consignment>
                  <TransportContractDocument>
                    <ID>MEDU1234567</ID>
                  </TransportContractDocument>
                </Consignment>
            """);

        var (document, result) = Read(xml);

        var finding = Single(result, XmlErrorCodes.IncompleteContent);
        Assert.Equal("/CargoReport/Declaration[1]/Consignment[1]/TransportContractDocument[1]", finding.XPath);
        Assert.Equal(EdifactSeverity.Error, finding.Severity);
        Assert.Equal(20, finding.Line);
        Assert.True(finding.Column > 0);
        // The consignment with the error is not handed on; the declaration still is, so the rest of the report is read.
        Assert.Empty(Assert.Single(document.Manifests).Value.Consignments);
    }

    [Fact]
    public void Read_ValueAgainstItsPattern_ReportsInvalidValueAtTheLeaf()
    {
        var xml = CargoReport(Vessel + """
                <TransportEquipment>
                  <ID>MSCU1234566</ID>
                  <CharacteristicCode>45G</CharacteristicCode>
                </TransportEquipment>
                <TransportEquipment>
                  <ID>msc-1</ID>
                </TransportEquipment>
            """);

        var (_, result) = Read(xml);

        var findings = result.Findings.Listed.Where(f => f.Code == XmlErrorCodes.InvalidValue).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Equal("/CargoReport/Declaration[1]/TransportEquipment[1]/CharacteristicCode[1]", findings[0].XPath);
        Assert.Equal(19, findings[0].Line);
        Assert.Equal("/CargoReport/Declaration[1]/TransportEquipment[2]/ID[1]", findings[1].XPath);
        Assert.Equal(22, findings[1].Line);
    }

    [Fact]
    public void Read_ElementOutOfOrder_ReportsUnexpectedElementAtIt()
    {
        var xml = CargoReport(Vessel + """
                <TransportEquipment>
                  <ID>MSCU1234566</ID>
                </TransportEquipment>
                <Consignment>
                  <TransportContractDocument><ID>B</ID><TypeCode>705</TypeCode></TransportContractDocument>
                </Consignment>
            """);

        var (_, result) = Read(xml);

        var finding = Single(result, XmlErrorCodes.UnexpectedElement);
        Assert.Equal("/CargoReport/Declaration[1]/Consignment[1]", finding.XPath);
        Assert.Equal(20, finding.Line);
        Assert.Equal(6, finding.Column);
    }

    [Fact]
    public void Read_MissingAttribute_ReportsInvalidAttribute()
    {
        var xml = CargoReport(Vessel + """
                <TransportEquipment>
                  <ID>MSCU1234566</ID>
                  <GrossMassMeasure>1200</GrossMassMeasure>
                </TransportEquipment>
            """);

        var (_, result) = Read(xml);

        var finding = Assert.Single(result.Findings.Listed);
        Assert.Equal(XmlErrorCodes.InvalidAttribute, finding.Code);
        Assert.Equal("/CargoReport/Declaration[1]/TransportEquipment[1]/GrossMassMeasure[1]", finding.XPath);
    }

    [Fact]
    public void Read_WrongCheckDigit_ReportsContainerNumberWhereTheSchemaCannot()
    {
        var xml = CargoReport(Vessel + """
                <TransportEquipment>
                  <ID>MSCU1234567</ID>
                </TransportEquipment>
            """);

        var (document, result) = Read(xml);

        var finding = Assert.Single(result.Findings.Listed);
        Assert.Equal(XmlErrorCodes.ContainerNumber, finding.Code);
        Assert.Equal("/CargoReport/Declaration[1]/TransportEquipment[1]/ID[1]", finding.XPath);
        Assert.Equal(18, finding.Line);
        Assert.Empty(Assert.Single(document.Manifests).Value.Containers);
    }

    [Fact]
    public void Read_WrongImoCheckDigit_ReportsImoNumber()
    {
        var xml = CargoReport(Vessel.Replace("9811000", "9811001", StringComparison.Ordinal));

        var (_, result) = Read(xml);

        var finding = Assert.Single(result.Findings.Listed);
        Assert.Equal(XmlErrorCodes.ImoNumber, finding.Code);
        Assert.Equal("/CargoReport/Declaration[1]/BorderTransportMeans[1]/ID[1]", finding.XPath);
    }

    [Fact]
    public void Read_ValidDocument_HasNoFinding()
    {
        var (document, result) = Read(CargoReport(Vessel));

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Findings.Total);
        Assert.Equal("NL", result.Metadata!.ResponsibleCountryCode);
        Assert.Equal("3.11", result.Metadata.ModelVersion);
        Assert.Equal("M1", Assert.Single(document.Manifests).Reference);
    }

    [Fact]
    public void Read_ForeignRoot_ReportsUnknownRootOnce()
    {
        var (_, result) = Read("""<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><ID>1</ID></Declaration>""");

        var finding = Assert.Single(result.Findings.Listed);
        Assert.Equal(XmlErrorCodes.UnknownRoot, finding.Code);
        Assert.Equal((1L, 2L), (finding.Line, finding.Column));
    }

    [Fact]
    public void Read_OurRootInAnotherVersionsNamespace_ReportsUnknownRoot()
    {
        var (_, result) = Read(CargoReport(Vessel).Replace("cargo-report:1", "cargo-report:2", StringComparison.Ordinal));

        Assert.Equal(XmlErrorCodes.UnknownRoot, Assert.Single(result.Findings.Listed).Code);
    }

    [Fact]
    public void Read_NotWellFormed_ReportsWellFormedWithPosition()
    {
        var xml = CargoReport(Vessel + "<TransportEquipment><ID>MSCU1234566</ID></Transport>");

        var (_, result) = Read(xml);

        var finding = Single(result, XmlErrorCodes.WellFormed);
        Assert.Equal(17, finding.Line);
        Assert.True(finding.Column > 0);
    }

    [Fact]
    public void Read_ExternalEntity_IsRefusedAsDtd()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "MSCU1234566");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE CargoReport [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <CargoReport xmlns="urn:portcustoms:wco:cargo-report:1"><MetaData><WCODataModelVersionCode>&xxe;</WCODataModelVersionCode></MetaData></CargoReport>
                """;

            var (document, result) = Read(xml);

            var finding = Assert.Single(result.Findings.Listed);
            Assert.Equal(XmlErrorCodes.DtdRefused, finding.Code);
            Assert.Null(document.Metadata);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Read_BillionLaughs_IsRefusedAsDtdWithoutExpanding()
    {
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"""  <!ENTITY lol{i} "{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}">"""));
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol0 "lol">
            {entities}
            ]>
            <CargoReport xmlns="urn:portcustoms:wco:cargo-report:1">&lol9;</CargoReport>
            """;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var (_, result) = Read(xml);

        Assert.Equal(XmlErrorCodes.DtdRefused, Assert.Single(result.Findings.Listed).Code);
        // Refused at the DOCTYPE: nothing near the billion-times expansion was ever allocated.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024);
    }

    [Fact]
    public void Read_SchemaLocationHint_IsIgnored()
    {
        // A document never chooses what it is validated against (no resolver, no schemaLocation processing).
        var xml = CargoReport(Vessel).Replace(
            "xmlns=\"urn:portcustoms:wco:cargo-report:1\"",
            "xmlns=\"urn:portcustoms:wco:cargo-report:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:portcustoms:wco:cargo-report:1 http://example.invalid/lax.xsd\"",
            StringComparison.Ordinal);

        var (_, result) = Read(xml);

        Assert.True(result.IsValid, Describe(result.Findings));
    }

    [Fact]
    public void Write_ValueTooLong_ReportsInvalidValueWithXPath()
    {
        var manifest = new PortCustoms.Core.Manifests.CargoManifest
        {
            Vessel = new PortCustoms.Core.Manifests.ManifestVessel { CallSign = "PDHX" },
            Voyage = new string('V', 40),
        };

        var (xml, findings) = Write(WcoXmlMessageKind.CargoReport, w => w.WriteManifest("M1", manifest));

        var finding = Assert.Single(findings.Listed);
        Assert.Equal(XmlErrorCodes.InvalidValue, finding.Code);
        Assert.Equal("/CargoReport/Declaration[1]/BorderTransportMeans[1]/JourneyID[1]", finding.XPath);
        Assert.Equal((0L, 0L), (finding.Line, finding.Column));
        // Read back, the same place is found with its line.
        var (_, result) = Read(xml);
        Assert.Equal(finding.XPath, Single(result, XmlErrorCodes.InvalidValue).XPath);
    }

    [Fact]
    public void Write_VesselWithoutIdentification_ReportsInvalidValue()
    {
        var manifest = new PortCustoms.Core.Manifests.CargoManifest { Vessel = new PortCustoms.Core.Manifests.ManifestVessel { Name = "NAMELESS" } };

        var (_, findings) = Write(WcoXmlMessageKind.CargoReport, w => w.WriteManifest("M1", manifest));

        Assert.Equal("/CargoReport/Declaration[1]/BorderTransportMeans[1]/ID[1]", Assert.Single(findings.Listed).XPath);
    }

    [Fact]
    public void Write_ControlCharacter_IsReportedAndLeftOut()
    {
        var manifest = new PortCustoms.Core.Manifests.CargoManifest { Vessel = new PortCustoms.Core.Manifests.ManifestVessel { CallSign = "PDHX", Name = "BELL\u0007" } };

        var (xml, findings) = Write(WcoXmlMessageKind.CargoReport, w => w.WriteManifest("M1", manifest));

        Assert.Equal(XmlErrorCodes.InvalidCharacter, Assert.Single(findings.Listed).Code);
        Assert.Equal("BELL", Assert.Single(Read(xml).Document.Manifests).Value.Vessel.Name);
    }

    [Fact]
    public void Composer_MixedKinds_WritesTheFirstAndReportsTheRest()
    {
        using var output = new MemoryStream();
        using var composer = new WcoXmlComposer(output);
        composer.AddManifest("M1", new PortCustoms.Core.Manifests.CargoManifest { Vessel = new PortCustoms.Core.Manifests.ManifestVessel { CallSign = "PDHX" } });
        composer.AddEvent(new PortCustoms.Core.Events.ContainerStatusEvent("E1", PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566"), PortCustoms.Core.Events.ContainerEventType.GatedIn, DateTimeOffset.UnixEpoch));

        Assert.True(composer.Complete());

        Assert.Equal(WcoXmlMessageKind.CargoReport, composer.Kind);
        Assert.Equal(XmlErrorCodes.MixedMessages, Assert.Single(composer.Findings.Listed).Code);
        Assert.True(Read(output.ToArray()).Result.IsValid);
    }
}
