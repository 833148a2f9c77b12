using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>
/// Reads the whole process's live heap, so xUnit runs it alone after the parallel tests (as the EDIFACT engine's
/// streaming memory test): with other tests allocating beside it the figure would be theirs too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BatchProcessMemoryCollection
{
    public const string Name = "Batch process-wide memory";
}

[Collection(BatchProcessMemoryCollection.Name)]
public sealed class BatchPipelineMemoryTests
{
    private const long Messages = 160_000;
    private const long Sample = 16_384;
    private const long LiveLimit = 16 * 1024 * 1024;

    private static readonly byte[] Header = Encoding.ASCII.GetBytes("UNA:+.? '\nUNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0400+MEM1'\n");

    private static string Container(long n)
    {
        var firstTen = "MSCU" + (n % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    /// <summary>A COARRI discharge report of two containers, one with a size-type in no code list: a warning, two events.</summary>
    private static byte[] Message(long i) => Encoding.ASCII.GetBytes(
        $"UNH+M{i}+COARRI:D:96B:UN:SMDG15'\nBGM+44+DIS-{i}+9'\nTDT+20+124E+1++MSC:172:20+++9811000:146:11:MSC EXAMPLE'\nLOC+11+NLRTM:139:6'\nNAD+MS+NLRTMECT:160:166'\n" +
        $"EQD+CN+{Container(2 * i)}+45G1:102:5++3+5'\nDTM+203:20261126030200:204'\nLOC+147+0120482::5'\nMEA+AAE+G+TNE:23.15'\nSEL+ML-12345+CA'\n" +
        $"EQD+CN+{Container(2 * i + 1)}+45X9:102:5++3+5'\nDTM+7:202611260310?+00:303'\nMEA+AAE+G+KGM:18000'\nCNT+16:2'\nUNT+15+M{i}'\n");

    [Fact]
    public async Task A_file_larger_than_the_live_heap_allows_is_checked_and_applied_with_its_events_staged_outside_memory()
    {
        long baseline = 0;
        long peakLive = 0;
        void Measure(long i)
        {
            if (i % Sample == 0)
            {
                peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
        var publisher = new CountingPublisher(Measure);
        var pipeline = new BatchFilePipeline(
            Options.Create(new BatchOptions()),
            new EdifactTranslator(),
            publisher,
            new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion());
        GeneratedStream File() => new(Header, i => { Measure(i); return Message(i); }, Messages, Encoding.ASCII.GetBytes($"UNZ+{Messages}+MEM1'\n"));
        var file = File();
        baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var analysis = await pipeline.AnalyzeAsync(new BatchFile("b", "big.edi", 0), file);
        var routing = await pipeline.ApplyAsync(analysis, File());

        // About 62 MB went through (more than three times what the heap may grow by), twice as many events as messages.
        Assert.True(file.BytesProduced > 3 * LiveLimit, $"Only {file.BytesProduced} bytes were produced.");
        Assert.False(analysis.Quarantine);
        Assert.Equal(Messages, analysis.Items);
        Assert.Equal(2 * Messages, routing.StatusEvents);
        Assert.Equal(2 * Messages, publisher.Count);
        Assert.Equal(0, analysis.Findings.ErrorCount);
        Assert.True(analysis.Findings.WarningCount >= Messages);
        Assert.True(peakLive < LiveLimit, $"Live memory grew by {peakLive} bytes.");
    }

    private sealed class CountingPublisher(Action<long> measure) : ContainerEventPublisher
    {
        public long Count { get; private set; }

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            foreach (var _ in events)
            {
                Count++;
                measure(Count);
            }
            return Task.CompletedTask;
        }
    }
}
