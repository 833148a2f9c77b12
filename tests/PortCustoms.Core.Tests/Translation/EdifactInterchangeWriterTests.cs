using System.Text;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;
using PortCustoms.Edifact.Contrl;

namespace PortCustoms.Core.Tests.Translation;

/// <summary>The interchange header is written in one place, <see cref="EdifactWriter.WriteInterchangeHeader"/>, for every interchange the app sends.</summary>
public sealed class EdifactInterchangeWriterTests
{
    private static readonly DateTimeOffset PreparedAt = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_Defaults_WritesUnaUnbSyntax3AndUnzOnLines()
    {
        var bytes = EdifactInterchangeWriter.Write(new EdifactInterchangeOptions { PreparedAt = PreparedAt }, _ => { });

        Assert.Equal("UNA:+.? '\nUNB+UNOC:3+PORTCUSTOMS+CUSTOMS+261126:0800+1'\nUNZ+0+1'\n", Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void Write_SyntaxVersion4_WritesCenturyInTheDate()
    {
        var options = new EdifactInterchangeOptions { PreparedAt = PreparedAt, SyntaxVersion = 4, NewLineAfterSegment = false, ControlReference = "IC7" };

        var bytes = EdifactInterchangeWriter.Write(options, _ => { });

        Assert.Equal("UNA:+.? 'UNB+UNOC:4+PORTCUSTOMS+CUSTOMS+20261126:0800+IC7'UNZ+0+IC7'", Encoding.Latin1.GetString(bytes));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Write_SameEnvelopeAsAContrlInterchange(int syntaxVersion)
    {
        // CONTRL answers go back to the sender: the acknowledged interchange's recipient is the CONTRL's sender.
        var acknowledged = new ContrlInterchange("IC1", new ContrlParty("CUSTOMS"), new ContrlParty("PORTCUSTOMS"), []);
        var contrl = ContrlBuilder.BuildFunctional(acknowledged, "1", syntaxVersion);
        var options = new EdifactInterchangeOptions { PreparedAt = PreparedAt, SyntaxVersion = syntaxVersion, NewLineAfterSegment = false, ControlReference = "C1" };

        var header = Encoding.Latin1.GetString(EdifactInterchangeWriter.Write(options, _ => { }))[..^"UNZ+0+C1'".Length];
        var answer = Encoding.Latin1.GetString(ContrlWriter.WriteInterchange(contrl, acknowledged, "C1", PreparedAt, syntaxVersion));

        Assert.StartsWith(header + "UNH+", answer, StringComparison.Ordinal);
    }
}
