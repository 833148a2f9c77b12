using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Xml;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Customs;

/// <summary>
/// WCO XML customs responses (<c>application/xml</c>) through the notification intake: validated against the XSD on
/// the way in with positioned findings, the same safety rules as JSON and CUSRES, nothing stored from a refused document.
/// </summary>
public sealed class CustomsNotificationIntakeXmlTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(T0.AddHours(1));
    private readonly InMemoryCustomsStateStore _store = new();
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    private CustomsNotificationIntake Intake()
    {
        var options = new StaticOptionsMonitor<GateOptions>(new GateOptions());
        var metrics = new GateMetrics(_meters);
        var service = new CustomsNotificationService(_store, metrics, NullLogger<CustomsNotificationService>.Instance, _time, options);
        return new CustomsNotificationIntake(service, _store, Options.Create(new CustomsAuthorityOptions()), options, _time, metrics, new FakeLogger<CustomsNotificationIntake>());
    }

    internal static string Response(string id = "CN-X1", string status = "RELEASED", string issuedAt = "2026-11-26T07:10:00+01:00", string container = "MSCU1234566", string? doctype = null) =>
        (doctype ?? string.Empty) + $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CustomsResponse xmlns="urn:portcustoms:wco:customs-response:1">
          <MetaData>
            <WCODataModelVersionCode>3.11</WCODataModelVersionCode>
            <WCOTypeName>RES</WCOTypeName>
            <ResponsibleCountryCode>NL</ResponsibleCountryCode>
            <ResponsibleAgencyName>Douane</ResponsibleAgencyName>
          </MetaData>
          <Response>
            <ID>{id}</ID>
            <FunctionalReferenceID>24NL0000000000001</FunctionalReferenceID>
            <IssueDateTime>{issuedAt}</IssueDateTime>
            <Status><NameCode>{status}</NameCode></Status>
            <TransportEquipment><ID>{container}</ID></TransportEquipment>
          </Response>
        </CustomsResponse>
        """.TrimStart();

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task ReceiveXmlAsync_Valid_AcceptedAppliedAndStored()
    {
        var result = await Intake().ReceiveXmlAsync(Utf8(Response()));

        var accepted = Assert.IsType<NotificationIntakeResult.DocumentAccepted>(result);
        var receipt = Assert.Single(accepted.Receipts);
        Assert.Equal(("CN-X1", NotificationOutcome.Applied), (receipt.NotificationId, receipt.Outcome));
        Assert.Empty(accepted.Warnings);
        var state = (await _store.GetStateAsync(Msc))!;
        Assert.Equal(CustomsStatus.Released, state.Current.Status);
        Assert.Equal("24NL0000000000001", state.Current.CustomsReference);
    }

    [Fact]
    public async Task ReceiveXmlAsync_XsdInvalid_RejectedWithLineColumnAndXPathAndNothingStored()
    {
        // A date without its offset, and a container number that is not one.
        var body = Response(issuedAt: "2026-11-26T07:10:00", container: "MSCU12345");

        var result = await Intake().ReceiveXmlAsync(Utf8(body));

        var findings = Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings;
        var date = Assert.Single(findings.Listed, f => f.XPath == "/CustomsResponse/Response[1]/IssueDateTime[1]");
        Assert.Equal((XmlErrorCodes.InvalidValue, 12L), (date.Code, date.Line));
        Assert.True(date.Column > 0);
        Assert.Contains(findings.Listed, f => f.Code == XmlErrorCodes.InvalidValue && f.XPath == "/CustomsResponse/Response[1]/TransportEquipment[1]/ID[1]");
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveXmlAsync_ExternalEntity_RefusedAtTheDoctypeAndNothingStored()
    {
        var xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<CustomsResponse xmlns=\"urn:portcustoms:wco:customs-response:1\">&x;</CustomsResponse>";

        var result = await Intake().ReceiveXmlAsync(Utf8(xxe));

        var findings = Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings;
        Assert.Contains(findings.Listed, f => f.Code == XmlErrorCodes.DtdRefused);
        Assert.DoesNotContain(findings.Listed, f => f.Message.Contains("root:", StringComparison.Ordinal));
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveXmlAsync_BillionLaughs_Refused()
    {
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n<CustomsResponse xmlns=\"urn:portcustoms:wco:customs-response:1\">&lol2;</CustomsResponse>";

        var result = await Intake().ReceiveXmlAsync(Utf8(laughs));

        Assert.Contains(Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings.Listed, f => f.Code == XmlErrorCodes.DtdRefused);
    }

    [Fact]
    public async Task ReceiveXmlAsync_IssuedInTheFuture_RejectedAtIssueDateTimeAndNothingStored()
    {
        // 30 minutes past PortCustoms' clock (08:00Z), beyond the default skew.
        var result = await Intake().ReceiveXmlAsync(Utf8(Response(issuedAt: "2026-11-26T09:30:00+01:00")));

        var finding = Assert.Single(Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings.Listed);
        Assert.Equal((XmlErrorCodes.IssuedInFuture, "/CustomsResponse/Response[1]/IssueDateTime[1]"), (finding.Code, finding.XPath));
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveXmlAsync_UnmappedStatusCode_HeldWithAPositionedWarningAndCounted()
    {
        using var unmapped = new MetricCollector<long>(_meters, GateMetrics.MeterName, "portcustoms.codes.unmapped");

        var result = await Intake().ReceiveXmlAsync(Utf8(Response(status: "PROVISIONAL_RELEASE")));

        var accepted = Assert.IsType<NotificationIntakeResult.DocumentAccepted>(result);
        var warning = Assert.Single(accepted.Warnings);
        Assert.Equal((XmlErrorCodes.StatusUnmapped, "/CustomsResponse/Response[1]/Status[1]/NameCode[1]"), (warning.Code, warning.XPath));
        Assert.Contains("PROVISIONAL_RELEASE", warning.Message, StringComparison.Ordinal);
        Assert.Equal(CustomsStatus.Hold, (await _store.GetStateAsync(Msc))!.Current.Status);
        Assert.Equal(1, Assert.Single(unmapped.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task ReceiveXmlAsync_SameIdOtherContent_ConflictAndTheFirstStands()
    {
        var intake = Intake();
        await intake.ReceiveXmlAsync(Utf8(Response(status: "HOLD")));

        var result = await intake.ReceiveXmlAsync(Utf8(Response(status: "RELEASED")));

        Assert.Equal(["CN-X1"], Assert.IsType<NotificationIntakeResult.Conflict>(result).NotificationIds);
        Assert.Equal(CustomsStatus.Hold, (await _store.GetStateAsync(Msc))!.Current.Status);
    }

    [Fact]
    public async Task ReceiveXmlAsync_Resent_DuplicateWithNoSecondEffect()
    {
        var intake = Intake();
        await intake.ReceiveXmlAsync(Utf8(Response()));

        var result = await intake.ReceiveXmlAsync(Utf8(Response()));

        Assert.Equal(NotificationOutcome.Duplicate, Assert.Single(Assert.IsType<NotificationIntakeResult.DocumentAccepted>(result).Receipts).Outcome);
        Assert.Single(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveXmlAsync_AnotherDocumentKind_Rejected()
    {
        var statusReport = Encoding.UTF8.GetString(new XmlCustomsMessageFormat().Encode(new ContainerStatusEvent("E-1", Msc, ContainerEventType.GatedOut, T0)).Span);

        var result = await Intake().ReceiveXmlAsync(Utf8(statusReport));

        Assert.Contains(Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings.Listed, f => f.Code == XmlErrorCodes.UnknownRoot);
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveXmlAsync_EdifactReservedId_Rejected()
    {
        var result = await Intake().ReceiveXmlAsync(Utf8(Response(id: CustomsNotification.EdifactIdPrefix + "X")));

        Assert.Equal(XmlErrorCodes.NotificationId, Assert.Single(Assert.IsType<NotificationIntakeResult.DocumentRejected>(result).Findings.Listed).Code);
    }
}
