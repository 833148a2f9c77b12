using PortCustoms.Core.Gate;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Batch;

public sealed class BatchPipelineTests
{
    private static BatchFilePipeline Pipeline(RecordingEventPublisher? publisher = null, BatchOptions? options = null) => new(
        Options.Create(options ?? new BatchOptions()),
        new EdifactTranslator(),
        publisher ?? new RecordingEventPublisher(),
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion());

    private static readonly byte[] InterchangeHeader = Encoding.ASCII.GetBytes("UNA:+.? 'UNB+UNOC:3+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+261126:0815+BIG1'\n");

    /// <summary>A gate-out whose container fails its check digit: one error in every message.</summary>
    private static byte[] BadMessage(long n) => Encoding.ASCII.GetBytes(
        $"UNH+{n + 1}+CODECO:D:95B:UN:ITG12'BGM+36+G-{n + 1}+9'NAD+MS+NLRTMECT:160:166'EQD+CN+MAEU7654321+2210:102:5++3+4'DTM+7:202611260930?+01:303'LOC+7+NLRTM:139:6'CNT+16:1'UNT+8+{n + 1}'\n");

    [Theory]
    [InlineData("UNA:+.? 'UNB+UNOC:3", BatchFormat.Edifact)]
    [InlineData("\uFEFF\r\n  UNB+UNOC:3+A+B", BatchFormat.Edifact)]
    [InlineData("[ {\"eventId\": \"E\"} ]", BatchFormat.TerminalJsonEvents)]
    [InlineData("{\"eventId\": \"E\", \"containerNumber\": \"X\"}", BatchFormat.TerminalJsonEvents)]
    [InlineData("{\"vesselImo\": \"9811000\", \"voyage\": \"1\", \"containers\": []}", BatchFormat.TerminalJsonDischargeList)]
    [InlineData("voyage,ContainerNumber,vesselImo\r\n", BatchFormat.DischargeListCsv)]
    [InlineData("a,b,c\r\n1,2,3", BatchFormat.Unknown)]
    [InlineData("<Declaration/>", BatchFormat.Unknown)]
    [InlineData("", BatchFormat.Unknown)]
    public void Detect_FromContent_NamesTheFormat(string head, BatchFormat expected) =>
        Assert.Equal(expected, BatchFormatDetector.Detect(Encoding.UTF8.GetBytes(head)));

    [Fact]
    public void BatchFindings_ManyOfOneCode_KeepsTheFirstHundredAndCountsEveryOne()
    {
        var findings = new BatchFindings(keptPerCode: 100);
        for (var i = 1; i <= 100_000; i++)
        {
            findings.Add(BatchFinding.Warning("W", "w", new BatchPosition(i, 0, 0, 0)));
        }
        findings.Add(BatchFinding.Error("E", "e"));

        Assert.Equal(101, findings.Kept.Count);
        Assert.Equal(100, findings.Kept[^2].Position.Line);
        Assert.Equal([("E", true, 1L), ("W", false, 100_000L)], findings.Counts);
        Assert.True(findings.HasErrors);
    }

    [Fact]
    public async Task CsvRecordReader_QuotedFieldsWithCommasQuotesAndLineBreaks_AreOneFieldEach()
    {
        var csv = "a,b\r\n\"x, \"\"y\"\"\",\"line1\nline2\"\r\nlast,\r\n";
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        var header = await reader.ReadAsync();
        var row = await reader.ReadAsync();
        var last = await reader.ReadAsync();

        Assert.Equal(["a", "b"], header!.Fields);
        Assert.Equal(["x, \"y\"", "line1\nline2"], row!.Fields);
        Assert.Equal(4, last!.Line);
        Assert.Equal(["last", ""], last.Fields);
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task CsvRecordReader_InvalidUtf8_ThrowsWithTheStableCode()
    {
        using var reader = new CsvRecordReader(new MemoryStream([(byte)'a', (byte)',', 0xC3, 0x28, (byte)'\n']));

        var ex = await Assert.ThrowsAsync<CsvFormatException>(async () => await reader.ReadAsync());

        Assert.Equal(BatchErrorCodes.CsvNotUtf8, ex.Code);
    }

    [Fact]
    public async Task JsonItemReader_ItemsAcrossReadBuffers_AreEachHandedOverWhole()
    {
        var json = "[" + string.Join(",", Enumerable.Range(1, 5000).Select(i => $"{{\"eventId\":\"E-{i}\",\"pad\":\"{new string('x', i % 97)}\"}}")) + "]";
        var seen = new List<string>();

        var malformed = await JsonItemReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), dischargeList: false, (item, index) =>
        {
            var text = Encoding.UTF8.GetString(item.Span);
            Assert.StartsWith("{\"eventId\":\"E-" + index + "\"", text, StringComparison.Ordinal);
            seen.Add(text);
            return ValueTask.CompletedTask;
        }, null);

        Assert.Null(malformed);
        Assert.Equal(5000, seen.Count);
    }

    [Fact]
    public async Task JsonItemReader_TruncatedArray_IsMalformed()
    {
        var malformed = await JsonItemReader.ReadAsync(new MemoryStream("[{\"a\":1},{\"b\":"u8.ToArray()), false, (_, _) => ValueTask.CompletedTask, null);

        Assert.Equal(BatchErrorCodes.JsonMalformed, malformed?.Code);
    }

    [Fact]
    public async Task A_generated_interchange_with_an_error_in_every_message_streams_through_with_a_bounded_report_and_exact_counts()
    {
        const long messages = 150_000;
        var file = new GeneratedStream(InterchangeHeader, BadMessage, messages, Encoding.ASCII.GetBytes($"UNZ+{messages}+BIG1'\n"));
        var publisher = new RecordingEventPublisher();

        using var analysis = await Pipeline(publisher).AnalyzeAsync(new BatchFile("b", "big.edi", 0), file);

        Assert.Equal(messages, analysis.Items);
        Assert.Equal(file.BytesProduced, analysis.Bytes);
        Assert.True(analysis.Bytes > 20_000_000);
        Assert.True(analysis.Quarantine);
        var (code, _, count) = Assert.Single(analysis.Findings.Counts, c => c.Code.StartsWith("EDI-MAP-CONTAINER", StringComparison.Ordinal));
        Assert.Equal(messages, count);
        Assert.Equal(100, analysis.Findings.Kept.Count(f => f.Code == code));
        Assert.Equal(messages, analysis.RejectedItemCount);
        Assert.Empty(publisher.Sent);
        // The whole file went through the hash without being held: the same bytes again give the same hash.
        var again = new GeneratedStream(InterchangeHeader, BadMessage, messages, Encoding.ASCII.GetBytes($"UNZ+{messages}+BIG1'\n"));
        Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(again)), analysis.ContentHash);

        using var report = new MemoryStream();
        await BatchReportWriter.WriteErrorAsync(report, analysis, new BatchDecision(BatchDisposition.Quarantined, DateTimeOffset.UnixEpoch));
        Assert.True(report.Length < 200_000, $"The report is {report.Length} bytes.");
    }

    [Fact]
    public async Task Message_level_rejection_applies_only_the_messages_without_errors()
    {
        var options = new BatchOptions { Default = new BatchBrokerOptions { Rejection = BatchRejection.Message } };
        var publisher = new RecordingEventPublisher();
        var pipeline = Pipeline(publisher, options);
        var good = Encoding.ASCII.GetBytes("UNH+9+CODECO:D:95B:UN:ITG12'BGM+36+G-OK+9'NAD+MS+NLRTMECT:160:166'EQD+CN+MAEU7654320+2210:102:5++3+4'DTM+7:202611260930?+01:303'LOC+7+NLRTM:139:6'CNT+16:1'UNT+8+9'\n");
        byte[] File() => [.. InterchangeHeader, .. BadMessage(0), .. good, .. BadMessage(2), .. "UNZ+3+BIG1'"u8];

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "m.edi", 0), new MemoryStream(File()));
        var routing = await pipeline.ApplyAsync(analysis, new MemoryStream(File()));

        Assert.False(analysis.Quarantine);
        Assert.Equal(2, analysis.RejectedItemCount);
        Assert.Equal(1, routing.StatusEvents);
        Assert.Equal(["G-OK"], publisher.Queued.Select(e => e.EventId));
        var contrl = Encoding.Latin1.GetString(Assert.Single(BatchFilePipeline.BuildContrl(analysis, DateTimeOffset.UnixEpoch)).Contrl);
        Assert.Contains("UCM+1+CODECO:D:95B:UN+4", contrl, StringComparison.Ordinal);
        Assert.Contains("UCM+3+CODECO:D:95B:UN+4", contrl, StringComparison.Ordinal);
        Assert.DoesNotContain("UCM+9", contrl, StringComparison.Ordinal);
    }
}

public sealed class BatchPipelineEventTimeTests
{
    [Fact]
    public async Task A_json_event_dated_beyond_the_allowed_skew_is_refused_as_on_http_and_the_file_is_not_applied()
    {
        var now = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var publisher = new RecordingEventPublisher();
        var pipeline = new BatchFilePipeline(
            Options.Create(new BatchOptions()),
            new EdifactTranslator(),
            publisher,
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion())
        {
            EventsNotAfter = () => now.AddMinutes(5),
        };
        var json = """
            [ { "eventId": "E-1", "containerNumber": "MSCU1234566", "type": "DISCHARGED", "occurredAt": "2026-11-26T09:00:00Z" },
              { "eventId": "E-2", "containerNumber": "MSCU1234566", "type": "GATED_OUT", "occurredAt": "9999-12-31T00:00:00Z" } ]
            """;
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(json));

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "events.json", file.Length), file);

        Assert.True(analysis.Quarantine);
        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code == BatchErrorCodes.EventInvalid);
        Assert.Contains("E-2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("future", finding.Message, StringComparison.Ordinal);
        Assert.Empty(publisher.Sent);
    }

    [Fact]
    public async Task An_edifact_event_dated_beyond_the_allowed_skew_is_refused_with_the_json_paths_code_at_its_DTM_and_the_file_is_not_applied()
    {
        // The fixture's second container was discharged at 03:10Z; the first (DTM 203) at 03:02.
        var now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        var publisher = new RecordingEventPublisher();
        var pipeline = new BatchFilePipeline(
            Options.Create(new BatchOptions()),
            new EdifactTranslator(),
            publisher,
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion())
        {
            EventsNotAfter = () => now.AddMinutes(5),
        };
        var file = Translation.TranslationFixtures.Fixture("coarri-d96b-discharge.edi");

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "coarri.edi", file.Length), new MemoryStream(file));

        Assert.True(analysis.Quarantine);
        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code == BatchErrorCodes.EventInvalid);
        Assert.True(finding.IsError);
        Assert.Contains("CMAU4001000", finding.Message, StringComparison.Ordinal);
        Assert.Contains("future", finding.Message, StringComparison.Ordinal);
        Assert.Equal((14L, 13, 1, 2, 1L), (finding.Position.Line, finding.Position.Segment, finding.Position.Element, finding.Position.Component, finding.Position.Item));
        var contrl = Encoding.Latin1.GetString(Assert.Single(BatchFilePipeline.BuildContrl(analysis, DateTimeOffset.UnixEpoch)).Contrl);
        Assert.Contains("UCS+12", contrl, StringComparison.Ordinal);
        Assert.Contains("UCD+12+1:2", contrl, StringComparison.Ordinal);

        now = now.AddMinutes(10);
        using var later = await pipeline.AnalyzeAsync(new BatchFile("b", "coarri.edi", file.Length), new MemoryStream(file));
        Assert.False(later.Quarantine);
    }
}

public sealed class BatchPipelineStagingTests
{
    private static string Body(string fixture, string reference) =>
        System.Text.RegularExpressions.Regex.Match(Encoding.Latin1.GetString(Translation.TranslationFixtures.Fixture(fixture)), "UNH\\+.*?UNT\\+[0-9]+\\+[^']*'", System.Text.RegularExpressions.RegexOptions.Singleline).Value
            .Replace("DIS001", reference, StringComparison.Ordinal).Replace("DIS-124E-1", $"DIS-{reference}", StringComparison.Ordinal);

    private static byte[] Interchange(params string[] messages) => Encoding.Latin1.GetBytes(
        $"UNA:+.? '\nUNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0400+MIX1'\n{string.Join('\n', messages)}\nUNZ+{messages.Length}+MIX1'\n");

    private static (BatchFilePipeline Pipeline, RecordingEventPublisher Publisher) Pipeline()
    {
        var publisher = new RecordingEventPublisher();
        return (new BatchFilePipeline(
            Options.Create(new BatchOptions()),
            new EdifactTranslator(),
            publisher,
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion()), publisher);
    }

    /// <summary>What the translator gives for each message of the file, read the way pass 1 reads it.</summary>
    private static async Task<List<string>> TranslatedEventsAsync(byte[] file)
    {
        var translator = new EdifactTranslator();
        var events = new List<string>();
        await using var reader = new PortCustoms.Edifact.EdifactStreamReader(new MemoryStream(file));
        await foreach (var message in reader.ReadMessagesAsync())
        {
            events.AddRange((translator.Translate(StructuredMessage.Create(message)).Events ?? []).Select(e => Encoding.UTF8.GetString(PortCustoms.Core.Events.ContainerStatusEventWriter.ToUtf8Bytes(e))));
        }
        return events;
    }

    [Fact]
    public async Task Applying_an_event_file_publishes_exactly_the_translated_events_from_the_stage_without_reading_the_content_again_and_can_repeat()
    {
        var file = Interchange(Body("coarri-d96b-discharge.edi", "C1"), Body("coarri-d96b-discharge.edi", "C2"), Body("coarri-d96b-discharge.edi", "C3"));
        var expected = await TranslatedEventsAsync(file);
        var (pipeline, publisher) = Pipeline();

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "c.edi", file.Length), new MemoryStream(file));
        var first = await pipeline.ApplyAsync(analysis, new UnreadableStream());
        var again = await pipeline.ApplyAsync(analysis, new UnreadableStream());

        Assert.False(analysis.Quarantine);
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected.Count, first.StatusEvents);
        Assert.Equal(expected.Count, again.StatusEvents);
        var queued = publisher.Queued.ToDictionary(e => e.EventId, e => Encoding.UTF8.GetString(PortCustoms.Core.Events.ContainerStatusEventWriter.ToUtf8Bytes(e)), StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), queued.Values.Order(StringComparer.Ordinal));
        Assert.Equal([.. publisher.Sent.Take(expected.Count)], [.. publisher.Sent.Skip(expected.Count)]);
    }

    [Fact]
    public async Task A_file_mixing_events_and_a_customs_response_applies_both_once_reading_the_content_again_for_the_response_only()
    {
        var file = Interchange(Body("coarri-d96b-discharge.edi", "C1"), Body("cusres-d96b-inspection.edi", "R51"), Body("coarri-d96b-discharge.edi", "C2"));
        var expected = await TranslatedEventsAsync(file);
        var (pipeline, publisher) = Pipeline();

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "mixed.edi", file.Length), new MemoryStream(file));
        var routing = await pipeline.ApplyAsync(analysis, new MemoryStream(file));

        Assert.False(analysis.Quarantine);
        Assert.Equal(1, routing.Notifications);
        Assert.Equal(4, routing.StatusEvents);
        Assert.Equal(expected.Count, publisher.Sent.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            publisher.Queued.Select(e => Encoding.UTF8.GetString(PortCustoms.Core.Events.ContainerStatusEventWriter.ToUtf8Bytes(e))).Order(StringComparer.Ordinal));
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The content was read again.");

        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("The content was read again.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("The content was read again.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new InvalidOperationException("The content was read again.");
    }
}
