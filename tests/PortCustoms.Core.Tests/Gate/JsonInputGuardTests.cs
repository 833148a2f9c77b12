using System.Text;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;

namespace PortCustoms.Core.Tests.Gate;

public sealed class JsonInputGuardTests
{
    private static JsonInputFault? Check(string json) => JsonInputGuard.Check(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"a":"x","b":[1,2,{"c":"\ud83d\ude00"}],"d":null,"e":1.5e300}""")]
    [InlineData("""[{"a":1},{"a":2}]""")]
    [InlineData("""not json at all""")]
    public void Check_AcceptableOrNotJson_NoFault(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("""{"a":"ok","reason":"x\ud800"}""", "reason")]
    [InlineData("""{"a":"ok","reason":"\udc00"}""", "reason")]
    [InlineData("""{"lane":{"id":"\ud800x"}}""", "lane.id")]
    [InlineData("""{"riskScore":1e400}""", "riskScore")]
    [InlineData("""{"riskScore":-1e400}""", "riskScore")]
    [InlineData("""{"status":"HOLD","status":"RELEASED"}""", "status")]
    [InlineData("""{"lane":{"id":1,"id":2}}""", "lane.id")]
    public void Check_ObjectBody_FaultNamesTheField(string json, string field)
    {
        var fault = Check(json);
        Assert.NotNull(fault);
        Assert.Equal(field, fault.PathIn(arrayBody: false));
    }

    [Fact]
    public void Check_InvalidUtf8InAValue_FaultNamesTheField()
    {
        byte[] json = [.. "{\"terminal\":\"N"u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal("terminal", JsonInputGuard.Check(json)?.PathIn(arrayBody: false));
    }

    [Fact]
    public void Check_ArrayBody_FaultNamesTheItemAndField()
    {
        var fault = Check("""[{"voyage":"ok"},{"eventId":"E2","voyage":"\ud800"}]""");
        Assert.Equal("[1].voyage", fault?.PathIn(arrayBody: true));
    }

    [Fact]
    public void Check_SameNameInSiblingObjects_NoFault() =>
        Assert.Null(Check("""[{"a":{"id":1},"b":{"id":2}},{"a":1}]"""));

    [Fact]
    public void ReadBatch_EventAfterTheAllowedSkew_RefusedAtOccurredAt()
    {
        var now = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var batch = ContainerStatusEventReader.ReadBatch(
            """[{"eventId":"E1","containerNumber":"MSCU1234566","type":"DISCHARGED","occurredAt":"2026-11-26T08:04:00Z"},{"eventId":"E2","containerNumber":"MSCU1234566","type":"GATED_OUT","occurredAt":"9999-12-31T23:59:59Z"}]"""u8,
            notAfter: now.AddMinutes(5));

        var failure = Assert.Single(batch.Failures);
        Assert.Equal((1, "occurredAt"), (failure.Index, Assert.Single(failure.Errors).Field));
    }

    [Theory]
    [InlineData("voyage", "124\u001bE")]
    [InlineData("voyage", "124\u0085E")]
    public void ReadBatch_ControlCharacterInText_RefusedAtTheField(string field, string value)
    {
        var json = $$"""{"eventId":"E1","containerNumber":"MSCU1234566","type":"DISCHARGED","occurredAt":"2026-11-26T03:02:00Z","{{field}}":{{System.Text.Json.JsonSerializer.Serialize(value)}}}""";
        var failure = Assert.Single(ContainerStatusEventReader.ReadBatch(Encoding.UTF8.GetBytes(json)).Failures);
        Assert.Equal(field, Assert.Single(failure.Errors).Field);
    }
}
