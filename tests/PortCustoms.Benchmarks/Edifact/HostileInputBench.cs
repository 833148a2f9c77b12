using System.Diagnostics;
using System.Globalization;
using System.Text;
using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

namespace PortCustoms.Benchmarks.Edifact;

/// <summary>
/// The modes edifact-hostile-bench.sh runs (issue 12): time per MB as segments widen (the slope must stay flat), and
/// the peak working set of the whole validate path (syntax, envelope, structure, mapping; what <c>portcustoms
/// validate</c> runs) on one huge message and on a million messages with one warning each. Inputs are generated on
/// the fly, so neither the disk nor the generator's memory is measured.
/// </summary>
internal static class HostileInputBench
{
    private const string Header = "UNA:+.? '\nUNB+UNOC:3+BENCH+CUSTOMS+261126:0800+H1'\n";

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        switch (args)
        {
            case ["edifact-slope", .. var sizes]:
                // Optional second argument: the widths in k elements, comma-separated (default 1,16,64).
                exitCode = Slope(
                    sizes.Length > 0 ? int.Parse(sizes[0], CultureInfo.InvariantCulture) : 8,
                    sizes.Length > 1 ? [.. sizes[1].Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture) * 1024)] : [1024, 16 * 1024, 64 * 1024]);
                return true;
            case ["edifact-peak-message", var megabytes]:
                exitCode = Peak("one message", OneMessage(long.Parse(megabytes, CultureInfo.InvariantCulture) * 1_000_000));
                return true;
            case ["edifact-peak-warnings", var count]:
                exitCode = Peak("one-warning messages", WarningMessages(int.Parse(count, CultureInfo.InvariantCulture)));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Validates the whole way, as FileValidator does, and returns the finding count.</summary>
    private static EdifactValidationResult ValidateAll(Stream input)
    {
        var translator = new EdifactTranslator();
        var options = new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient, ReaderOptions = new EdifactReaderOptions { MaxSegmentLength = 1024 * 1024 } };
        return new EdifactInterchangeValidator(options).ValidateAsync(input, (message, sink) =>
        {
            var structured = StructuredMessage.Create(message);
            var diagnostics = EdifactTranslator.SupportedTypes.Contains(structured.MessageType) ? translator.Translate(structured).Diagnostics : structured.StructureDiagnostics;
            foreach (var diagnostic in diagnostics)
            {
                sink.Add(diagnostic);
            }
            message.Dispose();
        }).GetAwaiter().GetResult();
    }

    /// <summary>Milliseconds per MB for messages of 1 k, 16 k and 64 k elements per segment (or the widths given), and each against the first.</summary>
    private static int Slope(int megabytes, int[] widths)
    {
        var best = new Dictionary<int, (double Seconds, double Cpu, long Bytes)>();
        var collections = new Dictionary<int, int>();
        for (int round = 0; round < 4; round++)
        {
            // Interleaved rounds, best of each after the first (warm-up): the machine is shared.
            foreach (int width in widths)
            {
                byte[] data = WideSegments(width, megabytes * 1_000_000L);
                using var process = Process.GetCurrentProcess();
                TimeSpan cpu = process.TotalProcessorTime;
                int gen2 = GC.CollectionCount(2);
                var stopwatch = Stopwatch.StartNew();
                _ = ValidateAll(new MemoryStream(data));
                collections[width] = GC.CollectionCount(2) - gen2;
                double seconds = stopwatch.Elapsed.TotalSeconds;
                process.Refresh();
                double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                if (round > 0)
                {
                    (double s, double c, _) = best.GetValueOrDefault(width, (double.MaxValue, double.MaxValue, 0));
                    best[width] = (Math.Min(s, seconds), Math.Min(c, cpuSeconds), data.Length);
                }
            }
        }

        double baseline = best[widths[0]].Cpu / best[widths[0]].Bytes;
        Console.WriteLine("| elements per segment | input MB | wall ms/MB | CPU ms/MB | CPU time per MB vs 1 k | gen 2 GCs per run |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int width in widths)
        {
            (double seconds, double cpu, long bytes) = best[width];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {width / 1024} k | {bytes / 1e6:F1} | {seconds * 1e3 / (bytes / 1e6):F1} | {cpu * 1e3 / (bytes / 1e6):F1} | {cpu / bytes / baseline:F2} | {collections[width]} |"));
        }

        return 0;
    }

    private static int Peak(string what, Stream input)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        double before = process.PeakWorkingSet64 / 1e6;
        var stopwatch = Stopwatch.StartNew();
        EdifactValidationResult result = ValidateAll(input);
        process.Refresh();
        string counts = string.Join(", ", result.FindingCounts.Select(c => $"{c.Code} {c.Count} ({c.Listed} listed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {input.Position / 1e6:F1} MB in {stopwatch.Elapsed.TotalSeconds:F1} s, messages={result.MessageCount}, peak working set {process.PeakWorkingSet64 / 1e6:F1} MB (at start {before:F1} MB), managed heap {GC.GetTotalMemory(false) / 1e6:F1} MB; findings: {counts}"));
        return 0;
    }

    /// <summary>CUSRES messages of four FTX segments of <paramref name="width"/> elements each, about <paramref name="bytes"/> in all.</summary>
    private static byte[] WideSegments(int width, long bytes)
    {
        var text = new StringBuilder(Header);
        string ftx = "FTX+AAA" + new string('+', width - 1) + "X'\n";
        int messages = (int)Math.Max(1, bytes / (4 * ftx.Length));
        for (int i = 1; i <= messages; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"UNH+{i}+CUSRES:D:95B:UN'\nBGM+962+R{i}+9'\n");
            for (int s = 0; s < 4; s++)
            {
                text.Append(ftx);
            }

            text.Append(CultureInfo.InvariantCulture, $"UNT+7+{i}'\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"UNZ+{messages}+H1'\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>One CODECO of about <paramref name="bytes"/>: millions of short segments (refused past the segment limit).</summary>
    private static Stream OneMessage(long bytes)
    {
        const string Segment = "FTX+AAA'\n";
        long segments = bytes / Segment.Length;
        return new GeneratedStream(Header + "UNH+1+CODECO:D:95B:UN'\nBGM+34+E1+9'\n", _ => Segment, segments, $"UNT+{segments + 3}+1'\nUNZ+1+H1'\n");
    }

    /// <summary><paramref name="count"/> CODECO gate-ins, each with one mapping warning (a date without a time zone).</summary>
    private static Stream WarningMessages(int count) =>
        new GeneratedStream(
            Header,
            i => string.Create(CultureInfo.InvariantCulture, $"UNH+{i + 1}+CODECO:D:95B:UN'\nBGM+34+E{i + 1}+9'\nNAD+MS+T'\nEQD+CN+MSCU1234566+45G1:102:5'\nDTM+7:202611260815:203'\nCNT+16:1'\nUNT+7+{i + 1}'\n"),
            count,
            $"UNZ+{count}+H1'\n");

    /// <summary>A header, <c>count</c> generated parts, a trailer: read as a stream, never held whole.</summary>
    private sealed class GeneratedStream(string header, Func<long, string> part, long count, string trailer) : Stream
    {
        // One builder and one byte buffer reused for every chunk: a string per chunk (128 KB of chars) would land on
        // the large object heap, and its garbage, freed only by a gen 2 collection, would count in the engine's peak.
        private readonly StringBuilder _chunk = new(header);
        private byte[] _pending = [];
        private int _length;
        private bool _started;
        private int _offset;
        private long _next;
        private bool _done;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int written = 0;
            while (written < buffer.Length)
            {
                if (_offset == _length && !Refill())
                {
                    break;
                }

                int n = Math.Min(buffer.Length - written, _length - _offset);
                _pending.AsSpan(_offset, n).CopyTo(buffer[written..]);
                _offset += n;
                written += n;
            }

            _position += written;
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        private bool Refill()
        {
            if (_done)
            {
                return false;
            }

            StringBuilder chunk = _chunk;
            if (_started)
            {
                chunk.Clear();
            }

            _started = true;
            while (chunk.Length < 64 * 1024 && _next < count)
            {
                chunk.Append(part(_next++));
            }

            if (_next == count)
            {
                chunk.Append(trailer);
                _done = true;
            }

            if (_pending.Length < chunk.Length)
            {
                _pending = new byte[Math.Max(chunk.Length, 2 * _pending.Length)];
            }

            int at = 0;
            foreach (ReadOnlyMemory<char> piece in chunk.GetChunks())
            {
                at += Encoding.ASCII.GetBytes(piece.Span, _pending.AsSpan(at));
            }

            _length = at;
            _offset = 0;
            return _length > 0;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
