using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Translation;

namespace PortCustoms.Benchmarks.Batch;

/// <summary>The modes batch-bench.sh runs: generate a COARRI interchange with a finding in every message; run the batch pipeline on it.</summary>
internal static class BatchBenchCommands
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        switch (args)
        {
            case ["batch-generate", var path, var megabytes]:
                exitCode = Generate(path, long.Parse(megabytes, CultureInfo.InvariantCulture) * 1024 * 1024);
                return true;
            case ["batch-pipeline", var path]:
                exitCode = RunPipelineAsync(path, warmUp: null).GetAwaiter().GetResult();
                return true;
            case ["batch-pipeline", var path, var warmUp]:
                exitCode = RunPipelineAsync(path, warmUp).GetAwaiter().GetResult();
                return true;
            case ["batch-stages", var path]:
                exitCode = RunStagesAsync(path).GetAwaiter().GetResult();
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Real-shaped COARRI discharge reports (two containers each, seals, mass, stowage), the second container with a
    /// size-type in no code list: one warning (EDI-MAP-SIZE-TYPE-UNKNOWN) in every message, as in the field report.
    /// </summary>
    private static int Generate(string path, long targetBytes)
    {
        using var output = new StreamWriter(File.Create(path), Encoding.Latin1, 1024 * 1024);
        output.Write("UNA:+.? '\nUNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0400+CA000777'\n");
        long written = 64;
        long number = 0;
        var serial = 100_000;
        while (written < targetBytes)
        {
            number++;
            string Container()
            {
                var firstTen = "MSCU" + (serial++ % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
                return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
            }
            var message =
                $"UNH+D{number}+COARRI:D:96B:UN:SMDG15'\nBGM+44+DIS-124E-{number}+9'\nTDT+20+124E+1++MSC:172:20+++9811000:146:11:MSC EXAMPLE'\n" +
                "LOC+11+NLRTM:139:6'\nNAD+MS+NLRTMECT:160:166'\n" +
                $"EQD+CN+{Container()}+45G1:102:5++3+5'\nDTM+203:20261126030200:204'\nLOC+147+0120482::5'\nMEA+AAE+G+TNE:23.15'\nSEL+ML-12345+CA'\n" +
                $"EQD+CN+{Container()}+45X9:102:5++3+5'\nDTM+7:202611260310?+00:303'\nMEA+AAE+G+KGM:18000'\nCNT+16:2'\nUNT+15+D{number}'\n";
            output.Write(message);
            written += message.Length;
        }
        output.Write($"UNZ+{number}+CA000777'\n");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path}: {written} bytes, {number} messages"));
        return 0;
    }

    /// <summary>
    /// The whole batch job in process: pass 1 (check, translate, hash), pass 2 (route to a queue that drops everything),
    /// the result report. With <paramref name="warmUp"/>, that file goes through the same pipeline first, unmeasured: a
    /// Functions host is a long-lived process that has handled files before, so its code is already compiled and tiered.
    /// </summary>
    private static async Task<int> RunPipelineAsync(string path, string? warmUp)
    {
        var pipeline = Pipeline();
        if (warmUp is not null)
        {
            await using var warm = new FileStream(warmUp, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            using var warmed = await pipeline.AnalyzeAsync(new BatchFile("bench", Path.GetFileName(warmUp), warm.Length), warm);
            if (!warmed.Quarantine)
            {
                await using var again = new FileStream(warmUp, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
                await pipeline.ApplyAsync(warmed, again);
            }
        }
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var length = new FileInfo(path).Length;
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        BatchAnalysis analysis;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous))
        {
            analysis = await pipeline.AnalyzeAsync(new BatchFile("bench", Path.GetFileName(path), length), file);
        }
        var analyseSeconds = clock.Elapsed.TotalSeconds;
        var analyseCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        BatchRouting? routing = null;
        if (!analysis.Quarantine)
        {
            await using var again = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            routing = await pipeline.ApplyAsync(analysis, again);
        }
        var report = new CountingStream();
        await BatchReportWriter.WriteResultAsync(report, analysis, new BatchDecision(analysis.Quarantine ? BatchDisposition.Quarantined : BatchDisposition.Processed, DateTimeOffset.UtcNow), routing);
        analysis.Dispose();
        clock.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var megabytes = length / 1024.0 / 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch-pipeline {megabytes / clock.Elapsed.TotalSeconds:F1} {clock.Elapsed.TotalSeconds:F3} {megabytes / cpuSeconds:F1} {cpuSeconds:F3} messages={analysis.Items} findings={analysis.Findings.ErrorCount + analysis.Findings.WarningCount} report={report.Length}B events={routing?.StatusEvents ?? 0} peak={process.PeakWorkingSet64 / 1024.0 / 1024.0:F1}MB"));
        // Where the time goes: pass 1 (check) against the rest (apply, report), and what the collector did.
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analyse {analyseSeconds:F3}s wall {analyseCpu:F3}s CPU; apply+report {clock.Elapsed.TotalSeconds - analyseSeconds:F3}s wall {cpuSeconds - analyseCpu:F3}s CPU; allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0:F0} MB; gc0/1/2 {GC.CollectionCount(0) - collectionsBefore.Item1}/{GC.CollectionCount(1) - collectionsBefore.Item2}/{GC.CollectionCount(2) - collectionsBefore.Item3}; gc pause {GC.GetTotalPauseDuration().TotalSeconds:F3}s"));
        return 0;
    }

    /// <summary>
    /// Where pass 1's time goes, one cumulative stage at a time over the same file: the engine's messages, then with
    /// the structure validator alone, then with structure validation and the group tree, then with translation; CPU
    /// seconds and bytes allocated for each.
    /// </summary>
    private static async Task<int> RunStagesAsync(string path)
    {
        var translator = new EdifactTranslator();
        var validator = new PortCustoms.Edifact.Structure.StructureValidator();
        foreach (var stage in new[] { "read", "validate", "structure", "translate", "analyse", "read", "validate", "structure", "translate", "analyse" })
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            long messages = 0;
            if (stage == "analyse")
            {
                await using var whole = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
                using var analysis = await Pipeline().AnalyzeAsync(new BatchFile("bench", Path.GetFileName(path), whole.Length), whole);
                messages = analysis.Items;
            }
            else
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous))
            await using (var reader = new PortCustoms.Edifact.EdifactStreamReader(file, new PortCustoms.Edifact.EdifactValidationOptions { MaxDiagnostics = 10_000 }, leaveOpen: true))
            {
                await foreach (var message in reader.ReadMessagesAsync())
                {
                    // Every stage drops the message when done, as the pipeline does: its tables go back to the pool.
                    using var read = message;
                    messages++;
                    if (stage == "read")
                    {
                        continue;
                    }
                    if (stage == "validate")
                    {
                        // The structure validator alone, without the findings' diagnostics and the group tree.
                        _ = validator.Validate(message, message.Interchange?.SyntaxVersion == "4" ? 4 : 3);
                        continue;
                    }
                    var structured = StructuredMessage.Create(message);
                    if (stage == "translate")
                    {
                        translator.Translate(structured);
                    }
                }
            }
            clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{stage,-10} {clock.Elapsed.TotalSeconds:F3}s wall {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3}s CPU {(GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0:F0} MB allocated, {messages} messages"));
        }
        return 0;
    }

    private static BatchFilePipeline Pipeline() => new(
        Options.Create(new BatchOptions()),
        new EdifactTranslator(),
        new NullPublisher(),
        new CustomsNotificationService(new NullCustomsStore(), new PortCustoms.Core.Gate.GateMetrics(new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<CustomsNotificationService>.Instance),
        new NullDocuments(),
        new NullCompletion());

    private sealed class NullPublisher : ContainerEventPublisher
    {
        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private sealed class NullCustomsStore : CustomsStateStore
    {
        public override Task<NotificationOutcome> AddNotificationAsync(CustomsNotification notification, CancellationToken cancellationToken = default) => Task.FromResult(NotificationOutcome.Applied);

        public override Task<ContainerCustomsState?> GetStateAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) => Task.FromResult<ContainerCustomsState?>(null);

        public override Task<IReadOnlyList<StoredCustomsNotification>> GetHistoryAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StoredCustomsNotification>>([]);
    }

    private sealed class NullDocuments : IVesselCallDocumentStore
    {
        public Task<VesselCallDocument> PutManifestAsync(VesselCall vesselCall, string documentId, string source, CargoManifest manifest, CancellationToken cancellationToken) =>
            Task.FromResult(new VesselCallDocument(vesselCall, VesselCallDocumentKind.Manifest, documentId, source, DateTimeOffset.UtcNow));

        public Task<VesselCallDocument> PutDischargeListAsync(VesselCall vesselCall, string documentId, string source, DischargeList dischargeList, CancellationToken cancellationToken) =>
            Task.FromResult(new VesselCallDocument(vesselCall, VesselCallDocumentKind.DischargeList, documentId, source, DateTimeOffset.UtcNow));

        public IAsyncEnumerable<VesselCallDocument> ListAsync(VesselCall vesselCall, CancellationToken cancellationToken) => AsyncEnumerable.Empty<VesselCallDocument>();

        public Task<CargoManifest> ReadManifestAsync(VesselCallDocument document, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DischargeList> ReadDischargeListAsync(VesselCallDocument document, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class NullCompletion : IDischargeListCompletion
    {
        public Task DischargeListCompletedAsync(VesselCall vesselCall, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
