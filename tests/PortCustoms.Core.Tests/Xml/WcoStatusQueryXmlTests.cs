using System.Text;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Versions;
using PortCustoms.Core.Xml;
using PortCustoms.Edifact;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Xml;

/// <summary>The gate's live status query in WCO XML (status-query-1.xsd): both documents validated both ways, findings positioned.</summary>
public sealed class WcoStatusQueryXmlTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 21, 0, 0, TimeSpan.FromHours(1));

    private const string Meta =
        "<MetaData><WCODataModelVersionCode>3.11</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName>" +
        "<ResponsibleCountryCode>NL</ResponsibleCountryCode><ResponsibleAgencyName>CUSTOMS</ResponsibleAgencyName></MetaData>";

    [Fact]
    public void A_query_is_a_valid_StatusQuery_naming_the_container_the_port_and_the_time_and_reads_back_as_itself()
    {
        var body = WcoStatusQueryXml.WriteQuery(new CustomsStatusQueryMessage("Q-0193", Msc.ToString()), T0, "NLRTM");

        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("<StatusQuery xmlns=\"urn:portcustoms:wco:status-query:1\">", text, StringComparison.Ordinal);
        Assert.Contains("<IssueDateTime>2026-12-04T21:00:00+01:00</IssueDateTime><Submitter><ID>NLRTM</ID></Submitter><TransportEquipment><ID>MSCU1234566</ID></TransportEquipment>", text, StringComparison.Ordinal);
        var read = WcoStatusQueryXml.ReadQuery(body);
        Assert.True(read.IsValid);
        Assert.Equal(new CustomsStatusQueryMessage("Q-0193", Msc.ToString()), read.Message);
    }

    [Theory]
    [InlineData("4", "24NL0000000000015", true)]
    [InlineData("UNKNOWN", null, false)]
    public void An_answer_reads_back_as_itself(string code, string? reference, bool issued)
    {
        var answer = new CustomsStatusAnswerMessage(Msc.ToString(), code, reference, issued ? T0 : null);

        var read = WcoStatusQueryXml.ReadAnswer(WcoStatusQueryXml.WriteAnswer(answer, responseToId: "Q-0193"));

        Assert.True(read.IsValid);
        Assert.Equal(answer, read.Message);
    }

    [Fact]
    public void The_format_asks_with_the_port_from_MessageVersions_and_the_time_from_its_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.ToUniversalTime());
        var versions = new MessageVersionPolicy(Microsoft.Extensions.Options.Options.Create(new MessageVersionOptions { PortLocode = "NLRTM" }), time);
        var format = new XmlCustomsMessageFormat(versions: versions, time: time);

        var text = Encoding.UTF8.GetString(format.Encode(new CustomsStatusQueryMessage("Q-1", Msc.ToString())).Span);

        Assert.Contains("<IssueDateTime>2026-12-04T20:00:00+00:00</IssueDateTime><Submitter><ID>NLRTM</ID></Submitter>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_without_a_status_is_refused_at_the_element_that_came_instead()
    {
        var body = Encoding.UTF8.GetBytes(
            "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "\n" +
            "<Response>\n" +
            "  <TransportEquipment><ID>MSCU1234566</ID></TransportEquipment>\n" +
            "</Response></StatusAnswer>");

        var read = WcoStatusQueryXml.ReadAnswer(body);

        Assert.False(read.IsValid);
        Assert.Null(read.Message);
        var finding = Assert.Single(read.Findings.Listed);
        Assert.Equal((XmlErrorCodes.UnexpectedElement, EdifactSeverity.Error, 3L, 4L, "/StatusAnswer/Response[1]/TransportEquipment[1]"),
            (finding.Code, finding.Severity, finding.Line, finding.Column, finding.XPath));
        Assert.False(new XmlCustomsMessageFormat().TryDecode<CustomsStatusAnswerMessage>(body, out _));
    }

    [Fact]
    public void A_status_code_the_schema_refuses_is_a_value_finding_with_its_position()
    {
        var body = Encoding.UTF8.GetBytes(
            "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "\n" +
            "<Response><Status><NameCode>released!</NameCode></Status><TransportEquipment><ID>MSCU1234566</ID></TransportEquipment></Response></StatusAnswer>");

        var finding = Assert.Single(WcoStatusQueryXml.ReadAnswer(body).Findings.Listed);

        Assert.Equal((XmlErrorCodes.InvalidValue, 2L, "/StatusAnswer/Response[1]/Status[1]/NameCode[1]"), (finding.Code, finding.Line, finding.XPath));
        Assert.True(finding.Column > 0);
    }

    [Fact]
    public void An_issue_time_offset_the_schema_lets_through_but_no_clock_has_is_a_finding_not_a_crash()
    {
        // xs:dateTime as System.Xml.Schema checks it accepts offsets up to 99:59 (the XML reader's fuzz campaign found the same).
        var body = Encoding.UTF8.GetBytes(
            "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta +
            "<Response><IssueDateTime>2026-12-04T20:00:00+15:00</IssueDateTime><Status><NameCode>4</NameCode></Status><TransportEquipment><ID>MSCU1234566</ID></TransportEquipment></Response></StatusAnswer>");

        var read = WcoStatusQueryXml.ReadAnswer(body);

        Assert.Null(read.Message);
        Assert.Equal((XmlErrorCodes.InvalidValue, "/StatusAnswer/Response[1]/IssueDateTime[1]"), (read.Findings.Listed[0].Code, read.Findings.Listed[0].XPath));
        Assert.False(new XmlCustomsMessageFormat().TryDecode<CustomsStatusAnswerMessage>(body, out _));
    }

    [Fact]
    public void A_container_number_with_a_wrong_check_digit_is_refused()
    {
        var body = Encoding.UTF8.GetBytes(
            "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta +
            "<Response><Status><NameCode>4</NameCode></Status><TransportEquipment><ID>MSCU1234567</ID></TransportEquipment></Response></StatusAnswer>");

        var read = WcoStatusQueryXml.ReadAnswer(body);

        Assert.Null(read.Message);
        Assert.Equal((XmlErrorCodes.ContainerNumber, "/StatusAnswer/Response[1]/TransportEquipment[1]/ID[1]"), (read.Findings.Listed[0].Code, read.Findings.Listed[0].XPath));
    }

    [Fact]
    public void Hostile_truncated_and_foreign_documents_are_refused_with_their_code()
    {
        Assert.Equal(XmlErrorCodes.DtdRefused, WcoStatusQueryXml.ReadAnswer(Encoding.UTF8.GetBytes(
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">&x;</StatusAnswer>")).Findings.Listed[0].Code);
        Assert.Equal(XmlErrorCodes.WellFormed, WcoStatusQueryXml.ReadAnswer(Encoding.UTF8.GetBytes(
            "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "<Response><Status><NameCode>4")).Findings.Listed[0].Code);
        Assert.Equal(XmlErrorCodes.WellFormed, WcoStatusQueryXml.ReadAnswer(ReadOnlyMemory<byte>.Empty).Findings.Listed[0].Code);
        // A query is not an answer, and a customs response is neither.
        var query = WcoStatusQueryXml.WriteQuery(new CustomsStatusQueryMessage("Q-1", Msc.ToString()), T0, null);
        Assert.Equal(XmlErrorCodes.UnknownRoot, WcoStatusQueryXml.ReadAnswer(query).Findings.Listed[0].Code);
        Assert.False(new XmlCustomsMessageFormat().TryDecode<CustomsStatusAnswerMessage>(query, out _));
    }

    [Fact]
    public void An_answer_the_schema_refuses_is_never_written()
    {
        var ex = Assert.Throws<NotSupportedException>(() => new XmlCustomsMessageFormat().Encode(new CustomsStatusAnswerMessage(Msc.ToString(), "released!")));

        Assert.Contains("/StatusAnswer/Response[1]/Status[1]/NameCode[1]", ex.Message, StringComparison.Ordinal);
    }
}
