using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>Message references checked against earlier files in bounded chunks while the file streams (the ledger is Cloud's; here a recording fake).</summary>
public sealed class BatchMessageReferenceChunkTests
{
    /// <summary>Says which references earlier files used, and records every call.</summary>
    private sealed class EarlierFiles(params string[] used) : IBatchMessageReferences
    {
        public List<int> Lookups { get; } = [];

        public List<BatchMessageReference> Recorded { get; } = [];

        public Task<IReadOnlyList<string?>> FindUsedAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken)
        {
            Lookups.Add(references.Count);
            return Task.FromResult<IReadOnlyList<string?>>([.. references.Select(r => used.Contains(r.Reference) ? "b/earlier.edi@0x1" : null)]);
        }

        public Task RecordAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken)
        {
            Recorded.AddRange(references);
            return Task.CompletedTask;
        }
    }

    private static BatchFilePipeline Pipeline(RecordingEventPublisher publisher, BatchRejection rejection) => new(
        Options.Create(new BatchOptions { Brokers = { ["b"] = new BatchBrokerOptions { Rejection = rejection } } }),
        new EdifactTranslator(),
        publisher,
        new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
        new RecordingDocumentStore(),
        new RecordingCompletion());

    private static GeneratedStream File(long messages) => new(
        Encoding.ASCII.GetBytes("UNA:+.? 'UNB+UNOC:3+NLRTMECT:ZZZ+NLCUSTOMS:ZZZ+261126:0815+REF1'\n"),
        n => Encoding.ASCII.GetBytes(
            $"UNH+{n + 1}+CODECO:D:95B:UN:ITG12'BGM+36+G-{n + 1}+9'NAD+MS+NLRTMECT:160:166'EQD+CN+MAEU7654320+2210:102:5++3+4'DTM+7:202611260930?+01:303'LOC+7+NLRTM:139:6'CNT+16:1'UNT+8+{n + 1}'\n"),
        messages,
        Encoding.ASCII.GetBytes($"UNZ+{messages}+REF1'\n"));

    [Fact]
    public async Task References_are_looked_up_in_chunks_of_at_most_100_and_a_used_one_is_rejected_alone_and_never_recorded()
    {
        var publisher = new RecordingEventPublisher();
        var pipeline = Pipeline(publisher, BatchRejection.Message);
        var earlier = new EarlierFiles("7", "201");

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "gate.edi", 0), File(250), earlier);
        var routing = await pipeline.ApplyAsync(analysis, File(250));

        Assert.Equal([100, 100, 50], earlier.Lookups);
        Assert.False(analysis.Quarantine);
        Assert.Equal(2, analysis.RejectedItemCount);
        Assert.Equal(2, analysis.Findings.Counts.Single(c => c.Code == BatchErrorCodes.DuplicateMessageReference).Count);
        Assert.Equal(248, earlier.Recorded.Count);
        Assert.DoesNotContain(earlier.Recorded, r => r.Reference is "7" or "201");
        Assert.All(earlier.Recorded, r => Assert.Equal(("NLRTMECT", "CODECO"), (r.Sender, r.MessageType)));
        Assert.Equal(248, routing.StatusEvents);
        Assert.DoesNotContain(publisher.Queued, e => e.EventId is "G-7" or "G-201");
        Assert.Equal(["201", "7"], analysis.Interchanges.Single().RejectedMessages.Select(m => m.Reference).Order());
    }

    [Fact]
    public async Task With_interchange_rejection_a_used_reference_quarantines_the_file_and_nothing_after_it_is_recorded()
    {
        var earlier = new EarlierFiles("150");

        using var analysis = await Pipeline(new RecordingEventPublisher(), BatchRejection.Interchange).AnalyzeAsync(new BatchFile("b", "gate.edi", 0), File(250), earlier);

        Assert.True(analysis.Quarantine);
        // The first chunk was clean and recorded (it counts only if the file is decided processed); none after the finding.
        Assert.Equal(100, earlier.Recorded.Count);
    }

    [Fact]
    public async Task Without_a_ledger_nothing_is_looked_up_and_every_message_is_staged()
    {
        var publisher = new RecordingEventPublisher();
        var pipeline = Pipeline(publisher, BatchRejection.Interchange);

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "gate.edi", 0), File(120));
        var routing = await pipeline.ApplyAsync(analysis, File(120));

        Assert.Equal(120, routing.StatusEvents);
    }
}
