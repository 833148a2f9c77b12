using System.Buffers;
using System.Text;
using PortCustoms.Edifact.Contrl;
using PortCustoms.Edifact.Structure;
using PortCustoms.Edifact.Tests.Structure;

namespace PortCustoms.Edifact.Tests.Contrl;

public sealed class ContrlWriterTests
{
    private static readonly ContrlInterchange Received = new(
        "IC0001",
        new ContrlParty("BROKER1", "ZZZ"),
        new ContrlParty("TERMINAL:NL+RTM", "ZZZ"),
        [new StructureValidator().Validate(Edi.Message("UNH+M1+CUSCAR:D:95B:UN'BGM+85'EQD++C1'FTX+AAA'CNT+7:1X'UNT+6+M1'")).ToContrlReport()]);

    [Fact]
    public void Write_FunctionalAcknowledgement_ReleasesDelimitersAndCountsUnt()
    {
        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Received, "C1");
        var buffer = new ArrayBufferWriter<byte>();

        ContrlWriter.Write(new EdifactWriter(buffer), contrl);

        Assert.Equal(
            "UNH+C1+CONTRL:D:3:UN'UCI+IC0001+BROKER1:ZZZ+TERMINAL?:NL?+RTM:ZZZ+7'UCM+M1+CUSCAR:D:95B:UN+4'"
            + "UCS+3'UCD+13+1'UCS+4+15'UCS+5'UCD+37+1:2'UNT+9+C1'",
            Encoding.Latin1.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void WriteInterchange_FunctionalAcknowledgement_IsAValidInterchangeBackToTheSender()
    {
        ContrlMessage contrl = ContrlBuilder.BuildFunctional(Received, "C1");

        byte[] interchange = ContrlWriter.WriteInterchange(contrl, Received, "CIC0001", new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

        string text = Encoding.Latin1.GetString(interchange);
        Assert.StartsWith("UNA:+.? 'UNB+UNOC:3+TERMINAL?:NL?+RTM:ZZZ+BROKER1:ZZZ+261126:0800+CIC0001'UNH+C1+CONTRL:D:3:UN'", text, StringComparison.Ordinal);
        Assert.EndsWith("UNT+9+C1'UNZ+1+CIC0001'", text, StringComparison.Ordinal);
        EdifactValidationResult result = new EdifactInterchangeValidator().Validate(interchange);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Code)));
        Assert.Equal(1, result.MessageCount);
    }
}
