using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PortCustoms.Core.CodeLists;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Operations;
using PortCustoms.Core.Reconciliation;
using PortCustoms.Core.Tests.Events.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Xml;
using static PortCustoms.Core.Tests.Reconciliation.ReconciliationBuilders;

namespace PortCustoms.Core.Tests.CodeLists;

/// <summary>
/// Issue 15 point 4: every place that reads a code list reads the deployment's (overrides applied), not the shipped one:
/// the JSON event intake, the reconciliation matcher, the status-event writer, the export audit, the WCO XML reader.
/// </summary>
public sealed class DeploymentCodeListTests : IDisposable
{
    // "40SD" is in no shipped list: only this deployment's override knows it (as 42G1).
    private const string OverrideAlias = "40SD";

    private static readonly CodeListSet WithAlias = CodeListSet.Load([("port-aliases.json", """
        { "list": "size-types", "version": "port 2026-12", "mode": "extend", "aliases": { "40SD": "42G1" } }
        """)]);

    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    private static string Event(string sizeType, string id = "E-1") =>
        TestEvents.ValidJson.Replace("\"45G1\"", $"\"{sizeType}\"", StringComparison.Ordinal).Replace("E-778899", id, StringComparison.Ordinal);

    [Fact]
    public void The_shipped_lists_do_not_know_the_override_alias()
    {
        Assert.False(CodeListSet.Shipped.SizeTypes.Lookup(SizeTypeCode.Parse(OverrideAlias)).IsKnown);
        Assert.Equal(SizeTypeCode.Iso42G1, WithAlias.SizeTypes.Canonical(SizeTypeCode.Parse(OverrideAlias)));
    }

    [Fact]
    public void The_event_intake_accepts_an_alias_only_the_override_knows_without_a_warning()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var deployment = new CodeListService(WithAlias, UnmappedCodeAction.Reject, _meters);

        var batch = ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(Event(OverrideAlias)), null, deployment);
        var shipped = ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(Event(OverrideAlias)), null, CodeListService.Shipped);

        Assert.True(batch.IsValid);
        Assert.Empty(batch.Warnings);
        Assert.Equal(OverrideAlias, Assert.Single(batch.Events).SizeType.ToString());
        Assert.Empty(counted.GetMeasurementSnapshot());
        Assert.Contains(OverrideAlias, Assert.Single(shipped.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_intake_holds_or_rejects_an_unmapped_size_type_as_configured_and_counts_it()
    {
        using var holdMeters = new TestMeterFactory();
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        using var countedHeld = new MetricCollector<long>(holdMeters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var publisher = new Publisher();
        var rejecting = new ContainerEventIntake(publisher, new ContainerEventMetrics(), codeLists: new CodeListService(WithAlias, UnmappedCodeAction.Reject, _meters));
        var holding = new ContainerEventIntake(publisher, new ContainerEventMetrics(), codeLists: new CodeListService(WithAlias, UnmappedCodeAction.Hold, holdMeters));

        var accepted = await rejecting.AcceptAsync(Encoding.UTF8.GetBytes(Event(OverrideAlias, "E-ALIAS")));
        var rejected = await rejecting.AcceptAsync(Encoding.UTF8.GetBytes(Event("99X9", "E-UNKNOWN")));
        var held = await holding.AcceptAsync(Encoding.UTF8.GetBytes(Event("99X9", "E-HELD")));

        Assert.Equal(EventIntakeStatus.Accepted, accepted.Status);
        Assert.Equal(EventIntakeStatus.Rejected, rejected.Status);
        var error = Assert.Single(Assert.Single(rejected.Batch.Failures).Errors);
        Assert.Equal("sizeType", error.Field);
        Assert.Contains(CodeListNames.SizeTypes, error.Message, StringComparison.Ordinal);
        Assert.Equal(EventIntakeStatus.Accepted, held.Status);
        Assert.Equal("sizeType", Assert.Single(held.Batch.Warnings).Field);
        Assert.Equal(["E-ALIAS", "E-HELD"], publisher.Published.Select(e => e.EventId));
        var rejectedCount = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(("99X9", "REJECT"), ((string)rejectedCount.Tags["code"]!, (string)rejectedCount.Tags["action"]!));
        var heldCount = Assert.Single(countedHeld.GetMeasurementSnapshot());
        Assert.Equal((CodeListNames.SizeTypes, "99X9", "HOLD"), ((string)heldCount.Tags["list"]!, (string)heldCount.Tags["code"]!, (string)heldCount.Tags["action"]!));
    }

    [Theory]
    [InlineData(UnmappedCodeAction.Hold)]
    [InlineData(UnmappedCodeAction.Reject)]
    public async Task Batch_json_events_read_the_deployment_size_types(UnmappedCodeAction unmapped)
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var pipeline = new PortCustoms.Core.Batch.BatchFilePipeline(
            Microsoft.Extensions.Options.Options.Create(new PortCustoms.Core.Batch.BatchOptions()),
            new PortCustoms.Core.Translation.EdifactTranslator { CodeLists = new CodeListService(WithAlias, unmapped, _meters) },
            new PortCustoms.Core.Tests.Batch.Fixtures.RecordingEventPublisher(),
            new PortCustoms.Core.Customs.CustomsNotificationService(new InMemoryCustomsStateStore(), new PortCustoms.Core.Gate.GateMetrics(new TestMeterFactory()),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<PortCustoms.Core.Customs.CustomsNotificationService>.Instance),
            new PortCustoms.Core.Tests.Batch.Fixtures.RecordingDocumentStore(),
            new PortCustoms.Core.Tests.Batch.Fixtures.RecordingCompletion());
        using var file = new MemoryStream(Encoding.UTF8.GetBytes($"[ {Event(OverrideAlias, "E-ALIAS")}, {Event("99X9", "E-UNKNOWN")} ]"));

        using var analysis = await pipeline.AnalyzeAsync(new PortCustoms.Core.Batch.BatchFile("b", "events.json", file.Length), file);

        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code is PortCustoms.Core.Batch.BatchErrorCodes.EventSizeTypeUnknown or PortCustoms.Core.Batch.BatchErrorCodes.EventInvalid);
        Assert.Contains("E-UNKNOWN", finding.Message, StringComparison.Ordinal);
        Assert.Contains("99X9", finding.Message, StringComparison.Ordinal);
        Assert.Equal(unmapped == UnmappedCodeAction.Reject, analysis.Quarantine);
        Assert.Equal(unmapped == UnmappedCodeAction.Reject ? PortCustoms.Core.Batch.BatchErrorCodes.EventInvalid : PortCustoms.Core.Batch.BatchErrorCodes.EventSizeTypeUnknown, finding.Code);
        Assert.Equal("99X9", (string)Assert.Single(counted.GetMeasurementSnapshot()).Tags["code"]!);
    }

    [Fact]
    public void A_queued_event_is_read_again_without_being_rejected_for_its_size_type()
    {
        // The queue handler and the replay read accepted events without code lists: a list changed since must not lose them.
        Assert.True(ContainerStatusEventReader.TryReadSingle(Encoding.UTF8.GetBytes(Event("99X9")), out var e, out _, out _));
        Assert.Equal("99X9", e!.SizeType.ToString());
    }

    [Fact]
    public void The_reconciliation_matcher_normalises_an_alias_only_the_override_knows()
    {
        var a = Valid("MSC", 123456);
        ManifestedContainer[] manifested = [Manifested(a, sizeType: OverrideAlias)];
        DischargedContainer[] discharged = [Discharged(a, 1, sizeType: "42G1")];

        Assert.Empty(new ManifestMatcher(null, new CodeListService(WithAlias)).Match(manifested, discharged));
        Assert.Equal(DiscrepancyKind.SizeTypeMismatch, Assert.Single(new ManifestMatcher().Match(manifested, discharged)).Kind);
        Assert.Equal("42G1", new SizeTypeNormalizer(WithAlias.SizeTypes).Normalize(" 40sd ").Canonical);
        Assert.Equal("40SD", SizeTypeNormalizer.Shipped.Normalize(" 40sd ").Canonical);
    }

    [Fact]
    public void The_status_event_writer_sends_the_overridden_mapping_and_keeps_the_code_as_sent()
    {
        var e = new ContainerStatusEvent("E-1", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.Discharged, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero))
        {
            SizeType = SizeTypeCode.Parse(OverrideAlias),
        };

        using var deployment = JsonDocument.Parse(CustomsStatusEventWriter.ToUtf8Bytes(new CustomsStatusNotice(e, 1, false), WithAlias.SizeTypes));
        using var shipped = JsonDocument.Parse(CustomsStatusEventWriter.ToUtf8Bytes(new CustomsStatusNotice(e, 1, false)));

        Assert.Equal("42G1", deployment.RootElement.GetProperty("sizeType").GetString());
        Assert.Equal(OverrideAlias, deployment.RootElement.GetProperty("sizeTypeAsSent").GetString());
        Assert.Equal(OverrideAlias, shipped.RootElement.GetProperty("sizeType").GetString());
        Assert.False(shipped.RootElement.TryGetProperty("sizeTypeAsSent", out _));
    }

    [Theory]
    [InlineData("discharge-list", "containerNumber,vesselImo,voyage,dischargedAt,sizeType\nMSCU1234566,9811000,124E,2026-11-26T03:02:00Z,40SD\n")]
    [InlineData("status-events", "eventId,containerNumber,type,occurredAt,sizeType\nE1,MSCU1234566,GATED_OUT,2026-11-26T03:02:00Z,40SD\n")]
    public async Task The_export_audit_profiles_an_override_alias_as_valid(string profile, string csv)
    {
        var deployment = await ExportAuditor.AuditAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ExportProfile.Find(profile, WithAlias)!);
        var shipped = await ExportAuditor.AuditAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ExportProfile.Find(profile)!);

        Assert.Equal(1, deployment.Fields.Single(f => f.Field == "sizeType").Valid);
        Assert.Empty(deployment.UnmappedCodes);
        Assert.Equal(0, shipped.Fields.Single(f => f.Field == "sizeType").Valid);
        Assert.Equal(OverrideAlias, Assert.Single(shipped.UnmappedCodes).Code);
    }

    [Fact]
    public async Task The_export_audit_checks_locations_against_the_UN_LOCODE_list()
    {
        var csv = "eventId,containerNumber,type,occurredAt,location\nE1,MSCU1234566,GATED_OUT,2026-11-26T03:02:00Z,NLRTM\nE2,MSCU1234566,GATED_OUT,2026-11-26T03:02:00Z,XXABC\nE3,MSCU1234566,GATED_OUT,2026-11-26T03:02:00Z,Rotterdam\n";

        var report = await ExportAuditor.AuditAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ExportProfile.StatusEvents);

        var location = report.Fields.Single(f => f.Field == "location");
        Assert.Equal(1, location.Valid);
        Assert.Equal(["LOCODE-FORMAT", "UNMAPPED"], location.Findings.Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.Equal(("location", "XXABC"), (Assert.Single(report.UnmappedCodes).Field, report.UnmappedCodes[0].Code));
    }

    private static byte[] CargoReport(string loading = "CNSHA", string packageType = "CT")
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures", "cuscar-d95b-manifest.xml"));
        // The first occurrence only: one finding each.
        var at = xml.IndexOf("<TypeCode>CT</TypeCode>", StringComparison.Ordinal);
        xml = xml[..at] + $"<TypeCode>{packageType}</TypeCode>" + xml[(at + "<TypeCode>CT</TypeCode>".Length)..];
        return Encoding.UTF8.GetBytes(xml.Replace("<ID>CNSHA</ID>", $"<ID>{loading}</ID>", StringComparison.Ordinal));
    }

    [Fact]
    public void The_WCO_XML_reader_holds_an_unmapped_LOCODE_and_package_type_with_positioned_warnings_and_counts_them()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Hold, _meters);

        var (document, result) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReport("XXABC", "QQ")), lists);

        Assert.True(result.IsValid, WcoXmlFixturesDescribe(result.Findings));
        var manifest = Assert.Single(document.Manifests).Value;
        Assert.Equal("XXABC", manifest.PortOfLoading);
        Assert.Equal("QQ", manifest.Consignments[0].GoodsItems[0].PackageType);
        var locode = Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.LocodeUnknown);
        Assert.True((Edifact.EdifactSeverity.Warning, 22L) == (locode.Severity, locode.Line), WcoXmlFixturesDescribe(result.Findings));
        Assert.True(locode.Column > 0);
        Assert.Matches(@"LoadingLocation(\[1\])?/ID(\[1\])?$", locode.XPath);
        var package = Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.PackageTypeUnknown);
        Assert.Matches(@"Packaging(\[1\])?/TypeCode(\[1\])?$", package.XPath);
        Assert.Contains(CodeListNames.PackageTypes, package.Message, StringComparison.Ordinal);
        Assert.Equal([(CodeListNames.UnLocodes, "XXABC", "HOLD"), (CodeListNames.PackageTypes, "QQ", "HOLD")],
            counted.GetMeasurementSnapshot().Select(m => ((string)m.Tags["list"]!, (string)m.Tags["code"]!, (string)m.Tags["action"]!)));
    }

    [Fact]
    public void The_WCO_XML_reader_rejects_an_unmapped_LOCODE_when_so_configured()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject, _meters);

        var (document, result) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReport(loading: "xx-1")), lists);

        Assert.False(result.IsValid);
        Assert.Equal(0, result.MessageCount);
        var finding = Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.LocodeUnknown);
        Assert.Equal(Edifact.EdifactSeverity.Error, finding.Severity);
        Assert.Contains("not a UN/LOCODE", finding.Message, StringComparison.Ordinal);
        Assert.Equal("REJECT", (string)Assert.Single(counted.GetMeasurementSnapshot()).Tags["action"]!);
    }

    [Fact]
    public void The_WCO_XML_reader_takes_codes_an_override_adds()
    {
        var lists = new CodeListService(CodeListSet.Load([("ports.json", """{ "list": "un-locodes", "version": "port", "mode": "extend", "codes": { "XXABC": "Test port" } }"""),
            ("packages.json", """{ "list": "package-types", "version": "port", "mode": "extend", "codes": { "QQ": "Test package" } }""")]), UnmappedCodeAction.Reject);

        var (_, withOverride) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReport("XXABC", "QQ")), lists);
        var (_, shipped) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReport("XXABC", "QQ")), new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject));

        Assert.True(withOverride.IsValid, WcoXmlFixturesDescribe(withOverride.Findings));
        Assert.Equal(0, withOverride.Findings.Listed.Count(f => f.Code is XmlErrorCodes.LocodeUnknown or XmlErrorCodes.PackageTypeUnknown));
        Assert.Equal(2, shipped.Findings.Listed.Count(f => f.Code is XmlErrorCodes.LocodeUnknown or XmlErrorCodes.PackageTypeUnknown));
    }

    private static byte[] CargoReportWithSizeType(string sizeType)
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures", "cuscar-d95b-manifest.xml"));
        var at = xml.IndexOf("<CharacteristicCode>45G1</CharacteristicCode>", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(xml[..at] + $"<CharacteristicCode>{sizeType}</CharacteristicCode>" + xml[(at + "<CharacteristicCode>45G1</CharacteristicCode>".Length)..]);
    }

    [Fact]
    public void The_WCO_XML_reader_holds_an_unknown_size_type_with_a_positioned_warning_and_counts_it()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Hold, _meters);

        var (document, result) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReportWithSizeType(OverrideAlias)), lists);

        Assert.True(result.IsValid, WcoXmlFixturesDescribe(result.Findings));
        // Kept as sent, never dropped or defaulted.
        Assert.Equal(OverrideAlias, Assert.Single(document.Manifests).Value.Containers[0].SizeType.ToString());
        var finding = Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.SizeTypeUnknown);
        Assert.Equal((Edifact.EdifactSeverity.Warning, 86L), (finding.Severity, finding.Line));
        Assert.True(finding.Column > 0);
        Assert.Matches(@"TransportEquipment(\[1\])?/CharacteristicCode(\[1\])?$", finding.XPath);
        Assert.Equal([(CodeListNames.SizeTypes, OverrideAlias, "HOLD")],
            counted.GetMeasurementSnapshot().Select(m => ((string)m.Tags["list"]!, (string)m.Tags["code"]!, (string)m.Tags["action"]!)));
    }

    [Fact]
    public void The_WCO_XML_reader_rejects_an_unknown_size_type_when_so_configured()
    {
        using var counted = new MetricCollector<long>(_meters, CodeListService.MeterName, "portcustoms.codelists.unmapped");
        var lists = new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject, _meters);

        var (_, result) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReportWithSizeType(OverrideAlias)), lists);

        Assert.False(result.IsValid);
        Assert.Equal(Edifact.EdifactSeverity.Error, Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.SizeTypeUnknown).Severity);
        Assert.Equal("REJECT", (string)Assert.Single(counted.GetMeasurementSnapshot()).Tags["action"]!);
    }

    [Fact]
    public void The_WCO_XML_reader_takes_a_size_type_alias_the_override_adds_as_its_1995_code()
    {
        var (document, withOverride) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReportWithSizeType(OverrideAlias)), new CodeListService(WithAlias, UnmappedCodeAction.Reject));
        var (_, shipped) = WcoXmlReader.ReadDocument(new MemoryStream(CargoReportWithSizeType(OverrideAlias)), new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Reject));

        Assert.True(withOverride.IsValid, WcoXmlFixturesDescribe(withOverride.Findings));
        Assert.Equal(SizeTypeCode.Iso42G1, Assert.Single(document.Manifests).Value.Containers[0].SizeType);
        Assert.False(shipped.IsValid);
    }

    [Fact]
    public void The_WCO_XML_reader_checks_the_size_type_of_a_status_event_too()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Translation", "Fixtures", "codeco-d95b-gate.xml"))
            .Replace("<CharacteristicCode>22G1</CharacteristicCode>", "<CharacteristicCode>ZZZZ</CharacteristicCode>", StringComparison.Ordinal);

        var (_, result) = WcoXmlReader.ReadDocument(new MemoryStream(Encoding.UTF8.GetBytes(xml)), new CodeListService(CodeListSet.Shipped, UnmappedCodeAction.Hold));

        var finding = Assert.Single(result.Findings.Listed, f => f.Code == XmlErrorCodes.SizeTypeUnknown);
        Assert.Equal(44L, finding.Line);
    }

    private static string WcoXmlFixturesDescribe(XmlFindings findings) =>
        string.Join("\n", findings.Listed.Select(f => $"{f.Code} {f.Line}:{f.Column} {f.XPath} {f.Message}"));

    private sealed class Publisher : ContainerEventPublisher
    {
        public List<ContainerStatusEvent> Published { get; } = [];

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            Published.AddRange(events);
            return Task.CompletedTask;
        }
    }
}
