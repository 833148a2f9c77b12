using System.Text;

namespace PortCustoms.Edifact.Tests;

/// <summary>
/// Memory bounded by the options, not the input (issue 12): findings capped per code with exact counts, and a message
/// past a size limit refused with a finding instead of materialised.
/// </summary>
public class BoundedMemoryTests
{
    private const string Header = "UNA:+.? '\nUNB+UNOC:3+SENDER+RECIPIENT+261126:0800+IC1'\n";

    private static string Message(string reference, int dataSegments, string segment = "FTX+AAA+++TEXT") =>
        $"UNH+{reference}+CUSCAR:D:95B:UN'\n" + string.Concat(Enumerable.Repeat(segment + "'\n", dataSegments)) + $"UNT+{dataSegments + 2}+{reference}'\n";

    [Fact]
    public void FindingCollection_ManyOfOneCode_ListsTheFirstNAndCountsAll()
    {
        var findings = new FindingCollection(maxPerCode: 3);
        for (int i = 1; i <= 1000; i++)
        {
            findings.Add(new EdifactDiagnostic("A", EdifactSeverity.Warning, "a", new EdifactPosition(i, i, i, 0, 0)));
        }

        findings.Add(new EdifactDiagnostic("B", EdifactSeverity.Error, "b", new EdifactPosition(2000, 0, 1, 0, 0)));

        Assert.Equal([1L, 2L, 3L, 2000L], findings.Listed.Select(d => d.Line));
        Assert.Equal([new FindingCount("A", EdifactSeverity.Warning, 1000, 3), new FindingCount("B", EdifactSeverity.Error, 1, 1)], findings.Counts);
        Assert.Equal((1001L, 1L, 997L, 0L), (findings.Total, findings.ErrorCount, findings.Unlisted, findings.UnlistedErrors));
    }

    [Fact]
    public void FindingCollection_AddFrom_SumsCountsAndKeepsTheCap()
    {
        var first = new FindingCollection(maxPerCode: 2);
        var second = new FindingCollection(maxPerCode: 2);
        for (int i = 0; i < 5; i++)
        {
            first.Add(new EdifactDiagnostic("A", EdifactSeverity.Error, "a", default));
            second.Add(new EdifactDiagnostic("A", EdifactSeverity.Error, "a", default));
        }

        var all = new FindingCollection(maxPerCode: 2);
        all.AddFrom(first);
        all.AddFrom(second);

        Assert.Equal(2, all.Listed.Count);
        Assert.Equal(new FindingCount("A", EdifactSeverity.Error, 10, 2), Assert.Single(all.Counts));
        Assert.Equal(8, all.UnlistedErrors);
    }

    [Fact]
    public void Validate_EnvelopeFindingsOfOneCode_ListsMaxFindingsPerCodeAndCountsAll()
    {
        // 500 messages whose UNT count is wrong: one envelope finding each.
        string text = Header + string.Concat(Enumerable.Range(1, 500).Select(i => Message($"M{i}", 1).Replace("UNT+3", "UNT+9", StringComparison.Ordinal))) + "UNZ+500+IC1'\n";
        var options = new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient, MaxFindingsPerCode = 10 };

        EdifactValidationResult result = new EdifactInterchangeValidator(options).Validate(Encoding.ASCII.GetBytes(text));

        Assert.Equal(10, result.Diagnostics.Count);
        Assert.Equal(new FindingCount(EdifactErrorCodes.MessageCountMismatch, EdifactSeverity.Warning, 500, 10), Assert.Single(result.FindingCounts));
        Assert.Equal(490, result.DiagnosticsDropped);
        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task ValidateAsync_MessageFindingsOfOneCode_AreCappedLikeEnvelopeOnes()
    {
        string text = Header + string.Concat(Enumerable.Range(1, 300).Select(i => Message($"M{i}", 1))) + "UNZ+300+IC1'\n";
        var options = new EdifactValidationOptions { MaxFindingsPerCode = 5 };

        EdifactValidationResult result = await new EdifactInterchangeValidator(options).ValidateAsync(
            new MemoryStream(Encoding.ASCII.GetBytes(text)),
            (message, findings) => findings.Add(new EdifactDiagnostic("EDI-STR-X", EdifactSeverity.Error, "x", message.Header.Position)));

        Assert.Equal(5, result.Diagnostics.Count);
        Assert.Equal(new FindingCount("EDI-STR-X", EdifactSeverity.Error, 300, 5), Assert.Single(result.FindingCounts));
        Assert.False(result.IsValid);
    }

    public static TheoryData<string, EdifactValidationOptions> Limits => new()
    {
        { "segments", new EdifactValidationOptions { MaxMessageSegments = 50 } },
        { "bytes", new EdifactValidationOptions { MaxMessageBytes = 1000 } },
        { "values", new EdifactValidationOptions { MaxMessageValues = 200 } },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task ReadMessagesAsync_MessagePastALimit_IsRefusedWithAFindingAndTheNextIsRead(string limit, EdifactValidationOptions options)
    {
        string text = Header + Message("BIG", 1000) + Message("SMALL", 3) + "UNZ+2+IC1'\n";
        await using var reader = new EdifactStreamReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), options);

        List<EdifactMessage> messages = [];
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            messages.Add(message);
        }

        Assert.Equal(["SMALL"], messages.Select(m => m.Reference));
        EdifactDiagnostic refused = Assert.Single(reader.Diagnostics);
        Assert.Equal((EdifactErrorCodes.MessageTooLarge, EdifactSeverity.Error, 3L, 2), (refused.Code, refused.Severity, refused.Line, refused.Segment));
        Assert.Contains(limit, refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, reader.MessageCount);
    }

    [Fact]
    public async Task ValidateAsync_RefusedMessage_StillHasItsEnvelopeChecked()
    {
        string text = Header + Message("BIG", 100).Replace("UNT+102", "UNT+7", StringComparison.Ordinal) + "UNZ+1+IC1'\n";
        int handedOn = 0;

        EdifactValidationResult result = await new EdifactInterchangeValidator(new EdifactValidationOptions { MaxMessageSegments = 10 })
            .ValidateAsync(new MemoryStream(Encoding.ASCII.GetBytes(text)), (_, _) => handedOn++);

        Assert.Equal(0, handedOn);
        Assert.Equal([EdifactErrorCodes.MessageTooLarge, EdifactErrorCodes.MessageCountMismatch], result.Diagnostics.Select(d => d.Code));
    }
}
