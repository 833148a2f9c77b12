using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Core.Versions;
using PortCustoms.Core.Xml;

namespace PortCustoms.Core.Tests.Versions;

/// <summary>Issue 15 point 6: old and new message versions side by side during a configured transition.</summary>
public sealed class MessageVersionTests
{
    private static readonly DateTimeOffset From = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static MessageVersionPolicy Policy(DateTimeOffset now, string type = "CODECO", string old = "D95B", string @new = "D00B", string? produce = null, string? portLocode = null)
    {
        var options = new MessageVersionOptions { PortLocode = portLocode };
        options.Types[type] = new MessageVersionTransition { Old = old, New = @new, From = From, To = To, Produce = produce };
        return new MessageVersionPolicy(Options.Create(options), new FakeTimeProvider(now));
    }

    [Theory]
    [InlineData("2026-12-31T23:59:59Z", "D95B", true)]
    [InlineData("2026-12-31T23:59:59Z", "D00B", false)]
    [InlineData("2027-01-01T00:00:00Z", "D95B", true)]
    [InlineData("2027-01-01T00:00:00Z", "D00B", true)]
    [InlineData("2027-03-31T23:59:59Z", "D95B", true)]
    [InlineData("2027-04-01T00:00:00Z", "D95B", false)]
    [InlineData("2027-04-01T00:00:00Z", "D00B", true)]
    [InlineData("2027-02-01T00:00:00Z", "D96B", false)]
    public void Versions_are_accepted_before_during_and_after_the_transition_as_configured(string now, string version, bool accepted)
    {
        var policy = Policy(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(accepted, policy.Refusal("CODECO", version) is null);
        // A type without a transition accepts whatever it can read.
        Assert.Null(policy.Refusal("COARRI", "D96B"));
    }

    [Theory]
    [InlineData("2027-02-01T00:00:00Z", null, "1")]
    [InlineData("2027-04-01T00:00:00Z", null, "2")]
    [InlineData("2027-02-01T00:00:00Z", "2", "2")]
    public void The_produced_version_is_the_platform_setting_else_old_until_the_transition_ends(string now, string? produce, string expected) =>
        Assert.Equal(expected, Policy(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), "status-event", "1", "2", produce).Produce("status-event", "1"));

    private static byte[] MixedFile()
    {
        var file = new StringBuilder("UNA:+.? 'UNB+UNOC:3+SENDER+RECIPIENT+261126:0800+IC1'");
        string[] directories = ["95B", "00B", "95B", "00B"];
        for (var n = 1; n <= directories.Length; n++)
        {
            file.Append($"UNH+{n}+CODECO:D:{directories[n - 1]}:UN'BGM+34+E{n}+9'TDT+20+124E+1+++++9811000:146:11'NAD+MS+T'EQD+CN+MSCU1234566+45G1:102:5'DTM+7:2026112608{n:00}?+01:303'CNT+16:1'UNT+8+{n}'");
        }
        return Encoding.Latin1.GetBytes(file.Append("UNZ+4+IC1'").ToString());
    }

    private static async Task<BatchAnalysis> AnalyzeAt(DateTimeOffset now)
    {
        var pipeline = new BatchFilePipeline(
            Options.Create(new BatchOptions()),
            new EdifactTranslator(),
            new RecordingEventPublisher(),
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion())
        {
            Versions = Policy(now),
        };
        return await pipeline.AnalyzeAsync(new BatchFile("acme", "gate.edi", 0), new MemoryStream(MixedFile()));
    }

    [Fact]
    public async Task During_the_transition_a_file_mixing_old_and_new_versions_is_accepted_whole()
    {
        var analysis = await AnalyzeAt(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.DoesNotContain(analysis.Findings.Counts, c => c.IsError);
        Assert.Empty(analysis.RejectedItems);
        Assert.Equal(4, analysis.Items);
    }

    [Theory]
    [InlineData("2026-12-01T00:00:00Z", new long[] { 2, 4 }, "accepted from 2027-01-01")]
    [InlineData("2027-05-01T00:00:00Z", new long[] { 1, 3 }, "since then only D00B")]
    public async Task Before_and_after_the_transition_the_other_version_is_rejected_at_UNH_with_the_reason(string now, long[] rejected, string reason)
    {
        var analysis = await AnalyzeAt(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(rejected, analysis.RejectedItems.Order());
        var findings = analysis.Findings.Kept.Where(f => f.Code == BatchErrorCodes.MessageVersionNotAccepted).ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains(reason, f.Message, StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Equal((2, 2), (f.Position.Element, f.Position.Component)));
    }

    private static ContainerStatusEvent GateIn(string? location) =>
        new("E-1", ContainerNumber.Parse("MSCU1234566"), ContainerEventType.GatedIn, new DateTimeOffset(2027, 2, 1, 8, 15, 0, TimeSpan.FromHours(1)))
        {
            Location = location,
            SizeType = SizeTypeCode.Parse("45G1"),
        };

    private static (WcoXmlReadResult Result, WcoXmlDocument Document) Read(ReadOnlyMemory<byte> xml)
    {
        var (document, result) = WcoXmlReader.ReadDocument(new MemoryStream(xml.ToArray()));
        return (result, document);
    }

    [Fact]
    public void Before_the_transition_ends_status_events_are_written_in_version_1_without_a_location()
    {
        var format = new XmlCustomsMessageFormat(versions: Policy(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), "status-event", "1", "2"));

        var xml = format.Encode(GateIn(null));

        Assert.Contains(WcoXml.StatusEventNamespace, Encoding.UTF8.GetString(xml.Span), StringComparison.Ordinal);
        var (result, document) = Read(xml);
        Assert.True(result.IsValid);
        Assert.Equal(1, result.Version);
        Assert.Null(Assert.Single(document.Events).Value.Location);
    }

    [Fact]
    public void Version_2_derives_the_newly_mandatory_location_from_the_port_locode()
    {
        var format = new XmlCustomsMessageFormat(versions: Policy(To, "status-event", "1", "2", portLocode: "NLRTM"));

        var xml = format.Encode(GateIn(null));
        var given = format.Encode(GateIn("BEANR"));

        Assert.Contains(WcoXml.StatusEventV2Namespace, Encoding.UTF8.GetString(xml.Span), StringComparison.Ordinal);
        var (result, document) = Read(xml);
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Version);
        Assert.Equal("NLRTM", Assert.Single(document.Events).Value.Location);
        // A location the event names is kept: the rule only fills what is missing.
        Assert.Equal("BEANR", Assert.Single(Read(given).Document.Events).Value.Location);
    }

    [Fact]
    public void Version_2_without_a_rule_to_derive_the_location_holds_the_event_with_the_reason()
    {
        var format = new XmlCustomsMessageFormat(versions: Policy(To, "status-event", "1", "2"));

        var held = Assert.Throws<MessageHeldException>(() => format.Encode(GateIn(null)));

        Assert.Contains("Location/ID", held.Message, StringComparison.Ordinal);
        Assert.Contains("MessageVersions:PortLocode", held.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_document_without_the_mandatory_location_is_refused_by_its_schema_and_version_1_is_not()
    {
        var v1 = new XmlCustomsMessageFormat().Encode(GateIn(null));
        var v2 = Encoding.UTF8.GetString(v1.Span).Replace(WcoXml.StatusEventNamespace, WcoXml.StatusEventV2Namespace, StringComparison.Ordinal);

        var (result, _) = Read(Encoding.UTF8.GetBytes(v2));

        Assert.True(Read(v1).Result.IsValid);
        Assert.False(result.IsValid);
        Assert.Equal(2, result.Version);
        Assert.Contains(result.Findings.Listed, f => f.Code.StartsWith("XML-SCHEMA", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_refuse_a_transition_that_ends_before_it_starts()
    {
        var options = new MessageVersionOptions();
        options.Types["CUSCAR"] = new MessageVersionTransition { Old = "D95B", New = "D00B", From = To, To = From };

        Assert.True(new MessageVersionOptionsValidator().Validate(null, options).Failed);
    }
}
