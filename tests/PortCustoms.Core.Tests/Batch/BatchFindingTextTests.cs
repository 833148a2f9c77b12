using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>
/// Issue 13 point 9 at scale: a finding past its code's bound is counted but its text never formatted. What the report
/// keeps must be exactly what formatting every finding and then keeping the first N of each code gave.
/// </summary>
public sealed class BatchFindingTextTests
{
    private static BatchFilePipeline Pipeline(int findingsPerCode) => new(
        Options.Create(new BatchOptions { FindingsPerCode = findingsPerCode, Brokers = { ["b"] = new BatchBrokerOptions { Rejection = BatchRejection.Message } } }),
        new EdifactTranslator(),
        new RecordingEventPublisher(),
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion());

    /// <summary>
    /// COARRI messages with findings of several codes in each: an unknown size-type and an unknown UN/LOCODE (warnings)
    /// in every message, a failed check digit (error) in every third, an element too long (structure) in every fifth.
    /// </summary>
    private static byte[] ManyFindings(int messages)
    {
        var file = new StringBuilder("UNA:+.? 'UNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0400+CA1'\n");
        for (var n = 1; n <= messages; n++)
        {
            var container = n % 3 == 0 ? "MSCU1234567" : "MSCU1234566";
            var voyage = n % 5 == 0 ? "124E-VOYAGE-NUMBER-FAR-TOO-LONG-FOR-8028" : "124E";
            file.Append($"UNH+M{n}+COARRI:D:96B:UN:SMDG15'\nBGM+44+DIS-{n}+9'\nTDT+20+{voyage}+1++MSC:172:20+++9811000:146:11:MSC EXAMPLE'\n")
                .Append("LOC+11+ZZQ{0}:139:6'\nNAD+MS+NLRTMECT:160:166'\n".Replace("{0}", ((char)('A' + (n % 26))).ToString(), StringComparison.Ordinal))
                .Append($"EQD+CN+{container}+45X{n % 10}:102:5++3+5'\nDTM+203:20261126030200:204'\nMEA+AAE+G+KGM:18000'\nCNT+16:1'\nUNT+10+M{n}'\n");
        }
        return Encoding.Latin1.GetBytes(file.Append($"UNZ+{messages}+CA1'\n").ToString());
    }

    /// <summary>Every message translated with every text formatted, then the first <paramref name="perCode"/> of each code kept.</summary>
    private static async Task<(List<BatchFinding> Kept, Dictionary<string, long> Counts, List<long> WithErrors)> FormattedThenCappedAsync(byte[] content, int perCode)
    {
        var translator = new EdifactTranslator();
        var clock = translator.Clocks.ForBroker("b");
        var kept = new List<BatchFinding>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var withErrors = new List<long>();
        await using var reader = new EdifactStreamReader(new MemoryStream(content), new EdifactValidationOptions { MaxDiagnostics = 10_000 });
        long index = 0;
        await foreach (var message in reader.ReadMessagesAsync())
        {
            index++;
            foreach (var diagnostic in translator.Translate(StructuredMessage.Create(message), clock).Diagnostics)
            {
                Assert.NotEqual(string.Empty, diagnostic.Message);
                counts[diagnostic.Code] = counts.GetValueOrDefault(diagnostic.Code) + 1;
                if (counts[diagnostic.Code] <= perCode)
                {
                    kept.Add(BatchFinding.From(diagnostic, index));
                }
                if (diagnostic.Severity == EdifactSeverity.Error && withErrors.LastOrDefault() != index)
                {
                    withErrors.Add(index);
                }
            }
        }
        return (kept, counts, withErrors);
    }

    [Theory]
    [InlineData(100, 600)]
    [InlineData(3, 40)]
    [InlineData(1, 7)]
    public async Task The_kept_findings_and_counts_are_those_of_formatting_every_finding(int perCode, int messages)
    {
        var content = ManyFindings(messages);
        var (expected, counts, withErrors) = await FormattedThenCappedAsync(content, perCode);
        Assert.True(counts.Count >= 4, string.Join(", ", counts.Keys));
        Assert.Contains(counts, c => c.Value > perCode);

        using var analysis = await Pipeline(perCode).AnalyzeAsync(new BatchFile("b", "many.edi", content.Length), new MemoryStream(content));

        // The mapping's findings come first, message by message; the file's own (the time-zone note) after them.
        var mapped = analysis.Findings.Kept.Where(f => counts.ContainsKey(f.Code)).ToList();
        Assert.Equal(expected, mapped);
        Assert.Equal(expected, analysis.Findings.Kept.Take(expected.Count));
        Assert.All(analysis.Findings.Kept, f => Assert.NotEqual(string.Empty, f.Message));
        var reported = analysis.Findings.Counts.ToDictionary(c => c.Code, c => c.Count, StringComparer.Ordinal);
        foreach (var (code, count) in counts)
        {
            Assert.Equal(count, reported[code]);
        }
        // The messages with an error are rejected one by one (in order, counted exactly), the rest accepted.
        Assert.Contains(3L, withErrors);
        Assert.Equal(withErrors, analysis.RejectedItems);
        Assert.Equal(withErrors.Count, analysis.RejectedItemCount);
    }

    [Fact]
    public async Task The_pipelines_own_repeated_findings_keep_their_text_up_to_the_bound_and_count_the_rest()
    {
        var content = ManyFindings(9);
        var pipeline = new BatchFilePipeline(
            Options.Create(new BatchOptions { FindingsPerCode = 3, Brokers = { ["b"] = new BatchBrokerOptions { AllowedMessageTypes = ["CODECO"] } } }),
            new EdifactTranslator(),
            new RecordingEventPublisher(),
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion());

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "coarri.edi", content.Length), new MemoryStream(content));

        var kept = analysis.Findings.Kept.Where(f => f.Code == BatchErrorCodes.MessageTypeNotAllowed).ToList();
        Assert.Equal(Enumerable.Repeat("Broker 'b' may not send COARRI messages.", 3), kept.Select(f => f.Message));
        Assert.Equal([1L, 2, 3], kept.Select(f => f.Position.Item));
        Assert.Equal(9, analysis.Findings.Counts.Single(c => c.Code == BatchErrorCodes.MessageTypeNotAllowed).Count);
    }

    [Fact]
    public void WouldKeep_turns_false_at_the_bound_and_stays_false()
    {
        var findings = new BatchFindings(2);
        Assert.True(findings.WouldKeep("A"));
        findings.Add(new EdifactDiagnostic("A", EdifactSeverity.Warning, "first", default));
        Assert.True(findings.WouldKeep("A"));
        findings.Add(BatchFinding.Warning("A", "second"));
        Assert.False(findings.WouldKeep("A"));
        findings.Add(new EdifactDiagnostic("A", EdifactSeverity.Error, string.Empty, default));
        Assert.False(findings.WouldKeep("A"));
        Assert.True(findings.WouldKeep("B"));

        Assert.Equal(["first", "second"], findings.Kept.Select(f => f.Message));
        Assert.Equal(("A", true, 3L), Assert.Single(findings.Counts));
        Assert.Equal((1, 2), (findings.ErrorCount, findings.WarningCount));
    }
}
