using System.Text;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Xml;

/// <summary><c>CustomsPlatform:Format = xml</c>: status events and notifications as WCO XML documents, validated both ways.</summary>
public sealed class XmlCustomsMessageFormatTests
{
    private readonly XmlCustomsMessageFormat _format = new();

    [Fact]
    public void A_status_event_is_a_valid_ContainerStatusReport_and_reads_back_as_itself()
    {
        var statusEvent = new ContainerStatusEvent("E-778899", Msc, ContainerEventType.Discharged, new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.FromHours(1)))
        {
            SizeType = SizeTypeCode.Parse("45G1"),
            SealNumbers = ["SEAL1"],
        };

        var body = _format.Encode(statusEvent);

        var text = Encoding.UTF8.GetString(body.Span);
        Assert.Contains("<ContainerStatusReport xmlns=\"urn:portcustoms:wco:status-event:1\">", text, StringComparison.Ordinal);
        Assert.True(_format.TryDecode<ContainerStatusEvent>(body, out var read));
        Assert.Equal((statusEvent.EventId, statusEvent.ContainerNumber, statusEvent.Type, statusEvent.OccurredAt, statusEvent.SizeType), (read.EventId, read.ContainerNumber, read.Type, read.OccurredAt, read.SizeType));
        Assert.Equal(["SEAL1"], read.SealNumbers);
    }

    [Fact]
    public void A_notification_round_trips_as_a_CustomsResponse()
    {
        var notification = new CustomsNotification
        {
            NotificationId = "CN-1",
            ContainerNumber = Msc,
            Status = CustomsStatus.Released,
            IssuedAt = T0,
            ReceivedAt = T0,
            CustomsReference = "24NL1",
        };

        Assert.True(_format.TryDecode<CustomsNotification>(_format.Encode(notification), out var read));
        Assert.Equal((notification.NotificationId, notification.Status, notification.CustomsReference), (read.NotificationId, read.Status, read.CustomsReference));
    }

    [Fact]
    public void The_live_query_has_an_XML_document()
    {
        Assert.True(_format.CarriesStatusQuery);
        Assert.True(_format.TryDecode<CustomsStatusQueryMessage>(_format.Encode(new CustomsStatusQueryMessage("Q-1", Msc.ToString())), out var query));
        Assert.Equal(("Q-1", Msc.ToString()), (query.QueryId, query.ContainerNumber));
        Assert.False(_format.TryDecode<CustomsStatusAnswerMessage>(Encoding.UTF8.GetBytes("<x/>"), out _));
    }

    [Fact]
    public void Malformed_or_hostile_input_decodes_to_false()
    {
        Assert.False(_format.TryDecode<ContainerStatusEvent>(Encoding.UTF8.GetBytes("<ContainerStatusReport"), out _));
        Assert.False(_format.TryDecode<ContainerStatusEvent>(Encoding.UTF8.GetBytes("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"), out _));
    }
}
