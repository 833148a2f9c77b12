using System.Text;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;

namespace PortCustoms.Core.Tests.Events;

public sealed class ContainerStatusEventReaderTests
{
    private static ContainerEventBatch Read(string json) => ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ReadBatch_ContractExample_ReadsEveryField()
    {
        var batch = Read(TestEvents.ValidJson);
        Assert.True(batch.IsValid);
        var e = Assert.Single(batch.Events);
        Assert.Equal("E-778899", e.EventId);
        Assert.Equal("MSCU1234566", e.ContainerNumber.ToString());
        Assert.Equal(ContainerEventType.Discharged, e.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 2, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal("9811000", e.VesselImo.ToString());
        Assert.Equal("124E", e.Voyage);
        Assert.Equal("NLRTM", e.Location);
        Assert.Equal(["ML-12345"], e.SealNumbers);
        Assert.Equal(23150m, e.GrossMassKg);
        Assert.Equal("45G1", e.SizeType.ToString());
        Assert.Empty(batch.Warnings);
    }

    [Fact]
    public void ReadBatch_Array_KeepsOrderAndOffset()
    {
        var batch = Read("""
            [ { "eventId": "A", "containerNumber": "MSCU1234566", "type": "GATED_IN", "occurredAt": "2026-11-26T08:15:00+01:00" },
              { "eventId": "B", "containerNumber": "CSQU3054383", "type": "LOADED", "occurredAt": "2026-11-26T09:15:00-05:00", "unknownField": { "x": [1] } } ]
            """);
        Assert.True(batch.IsValid);
        Assert.Equal(["A", "B"], batch.Events.Select(e => e.EventId));
        Assert.Equal(TimeSpan.FromHours(1), batch.Events[0].OccurredAt.Offset);
    }

    [Fact]
    public void ReadBatch_OneBadEventAmongGood_RejectsNamingIndexIdAndFields()
    {
        var batch = Read("""
            [ { "eventId": "OK-1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T03:02:00Z" },
              { "eventId": "BAD-2", "containerNumber": "MSCU1234567", "type": "TELEPORTED", "occurredAt": "2026-11-26T03:02:00",
                "vesselImo": "9811001", "sizeType": "45-1" } ]
            """);
        Assert.False(batch.IsValid);
        var failure = Assert.Single(batch.Failures);
        Assert.Equal(1, failure.Index);
        Assert.Equal("BAD-2", failure.EventId);
        Assert.Equal(
            ["containerNumber", "occurredAt", "sizeType", "type", "vesselImo"],
            failure.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadBatch_MissingRequiredFields_NamesEach()
    {
        var batch = Read("""{ "voyage": "124E" }""");
        var failure = Assert.Single(batch.Failures);
        Assert.Null(failure.EventId);
        Assert.Equal(["containerNumber", "eventId", "occurredAt", "type"], failure.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadBatch_EscapedNamesAndValues_ReadAsPlain()
    {
        var batch = Read("""
            { "\u0065ventId": "E\u002D1", "containerNumber": "MSCU123456\u0036", "type": "GATED\u005FOUT",
              "occurredAt": "2026-11-26T03:02:00\u002B01:00", "sizeType": "45G\u0031", "vesselImo": "981100\u0030" }
            """);
        Assert.True(batch.IsValid);
        var e = Assert.Single(batch.Events);
        Assert.Equal(("E-1", "MSCU1234566", ContainerEventType.GatedOut), (e.EventId, e.ContainerNumber.ToString(), e.Type));
        Assert.Equal(TimeSpan.FromHours(1), e.OccurredAt.Offset);
        Assert.Equal(("45G1", "9811000"), (e.SizeType.ToString(), e.VesselImo.ToString()));
    }

    [Fact]
    public void ReadBatch_UnknownButValidSizeType_AcceptedWithWarning()
    {
        var batch = Read(TestEvents.ValidJson.Replace("45G1", "9ZX9", StringComparison.Ordinal));
        Assert.True(batch.IsValid);
        var warning = Assert.Single(batch.Warnings);
        Assert.Equal("sizeType", warning.Field);
        Assert.Equal("E-778899", warning.EventId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{ \"eventId\": ")]
    [InlineData("42")]
    [InlineData("{} {}")]
    public void ReadBatch_NotAListOfEvents_IsMalformed(string json) => Assert.NotNull(Read(json).Malformed);

    [Fact]
    public void TryReadSingle_WriterOutput_RoundTrips()
    {
        var original = TestEvents.Event("E-1", ContainerEventType.GatedOut, 5);
        Assert.True(ContainerStatusEventReader.TryReadSingle(TestEvents.Body(original), out var read, out _, out _));
        Assert.Equal(TestEvents.Body(original), TestEvents.Body(read!));
    }

    [Fact]
    public void CustomsWriter_AliasSizeType_SendsCanonicalCodeAndKeepsTheOneSent()
    {
        var e = new ContainerStatusEvent("E-1", TestEvents.Container(1), ContainerEventType.Loaded, TestEvents.T0)
        {
            SizeType = PortCustoms.Core.Model.SizeTypeCode.Parse("40HC"),
        };
        var json = Encoding.UTF8.GetString(CustomsStatusEventWriter.ToUtf8Bytes(new CustomsStatusNotice(e, 3, true)));
        Assert.Contains("\"sizeType\":\"45G1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"sizeTypeAsSent\":\"40HC\"", json, StringComparison.Ordinal);
        Assert.Contains("\"outOfOrder\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"arrival\":3", json, StringComparison.Ordinal);
    }
}
