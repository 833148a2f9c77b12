using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using PortCustoms.Edifact;

namespace PortCustoms.Benchmarks.Edifact;

/// <summary>The modes edifact-bench.sh runs: generate a big interchange, measure throughput, measure peak memory.</summary>
internal static class EdifactBenchCommands
{
    private const int ReadBufferSize = 1024 * 1024;

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0)
        {
            return false;
        }

        if (HostileInputBench.TryRun(args, out exitCode))
        {
            return true;
        }

        switch (args[0])
        {
            case "edifact-generate" when args.Length >= 4:
                exitCode = Generate(args[1], long.Parse(args[2], CultureInfo.InvariantCulture) * 1024 * 1024, args[3..]);
                return true;
            case "edifact-throughput" when args.Length >= 2:
                exitCode = Throughput(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3, args.Length > 3 ? args[3].Split(',') : null);
                return true;
            case "edifact-profile" when args.Length >= 2:
                exitCode = Profile(args[1]);
                return true;
            case "npm-definitions" when args.Length >= 5:
                exitCode = NpmDefinitions.Write(args[1], args[2], args[3], args[4]);
                return true;
            case "edifact-peak" when args.Length >= 2:
                exitCode = Peak(args[1]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Repeats the fixtures' messages into one interchange of at least <paramref name="targetBytes"/>, counts kept right by the writer.</summary>
    private static int Generate(string path, long targetBytes, string[] fixtures)
    {
        List<EdifactMessage> messages = [];
        foreach (string fixture in fixtures)
        {
            using FileStream input = File.OpenRead(fixture);
            var reader = new EdifactStreamReader(input);
            messages.AddRange(ToList(reader.ReadMessagesAsync()));
        }

        if (messages.Count == 0)
        {
            Console.Error.WriteLine("No messages in the fixtures.");
            return 2;
        }

        using FileStream output = File.Create(path);
        var buffer = new ArrayBufferWriter<byte>(4 * 1024 * 1024);
        var writer = new EdifactWriter(buffer, new EdifactWriterOptions { CharacterSet = EdifactCharacterSet.Unoc, NewLineAfterSegment = true });
        writer.WriteServiceStringAdvice();
        writer.WriteSegmentStart("UNB");
        writer.WriteElement("UNOC");
        writer.WriteComponent("3");
        writer.WriteElement("PORTCUSTOMS");
        writer.WriteComponent("ZZZ");
        writer.WriteElement("CUSTOMS");
        writer.WriteComponent("ZZZ");
        writer.WriteElement("260101");
        writer.WriteComponent("1200");
        writer.WriteElement("BENCH1");
        writer.WriteSegmentEnd();
        long written = 0;
        int number = 0;
        while (written + buffer.WrittenCount < targetBytes)
        {
            EdifactMessage message = messages[number % messages.Count];
            number++;
            foreach (EdifactSegment segment in message.Segments)
            {
                if (segment.Tag == "UNT")
                {
                    continue;
                }

                writer.WriteSegmentStart(segment.Tag);
                foreach (EdifactElement element in segment.Elements)
                {
                    bool isReference = segment.Tag == "UNH" && element.Index == 1;
                    writer.WriteElement(isReference ? number.ToString(CultureInfo.InvariantCulture) : element.Components[0]);
                    for (int c = 1; c < element.Components.Count; c++)
                    {
                        writer.WriteComponent(element.Components[c]);
                    }
                }

                writer.WriteSegmentEnd();
            }

            writer.WriteMessageTrailer();
            if (buffer.WrittenCount > 3 * 1024 * 1024)
            {
                output.Write(buffer.WrittenSpan);
                written += buffer.WrittenCount;
                buffer.ResetWrittenCount();
            }
        }

        writer.WriteInterchangeTrailer();
        output.Write(buffer.WrittenSpan);
        written += buffer.WrittenCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path}: {written} bytes, {number} messages"));
        return 0;
    }

    /// <param name="only">The names of the measures to take (e.g. engine-validate,vector-scan while tuning), or null for all.</param>
    private static int Throughput(string path, int repeat, string[]? only = null)
    {
        long length = new FileInfo(path).Length;
        var runs = new (string Name, Func<string> Run)[]
        {
            ("engine-validate", () =>
            {
                EdifactValidationResult result = new EdifactInterchangeValidator(new EdifactValidationOptions { BufferSize = ReadBufferSize })
                    .ValidateFileAsync(path).GetAwaiter().GetResult();
                return $"messages={result.MessageCount} diagnostics={result.Diagnostics.Count}";
            }),
            ("engine-tokenize", () => $"tokens={TokenizeAll(path)}"),
            ("engine-messages", () => $"messages={MaterializeMessages(path)}"),
            ("vector-scan", () => $"separators={ScanFile(path).Count}"),
        };
        if (only is not null)
        {
            runs = [.. runs.Where(r => only.Contains(r.Name, StringComparer.Ordinal))];
        }

        // Interleaved rounds, best of each: on a shared machine the load changes from second to second, and a ratio
        // of two measures taken minutes apart would say more about the neighbours than about the code.
        var best = runs.ToDictionary(r => r.Name, r => (Seconds: double.MaxValue, CpuSeconds: double.MaxValue, Detail: r.Run()));
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            foreach ((string name, Func<string> run) in runs)
            {
                process.Refresh();
                TimeSpan cpu = process.TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                string detail = run();
                double seconds = stopwatch.Elapsed.TotalSeconds;
                process.Refresh();
                double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                (double s, double c, _) = best[name];
                best[name] = (Math.Min(s, seconds), Math.Min(c, cpuSeconds), detail);
            }
        }

        foreach ((string name, (double seconds, double cpuSeconds, string detail)) in best)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {length / 1e6 / seconds:F1} {seconds:F3} {length / 1e6 / cpuSeconds:F1} {cpuSeconds:F3} {detail}"));
        }

        return 0;
    }

    /// <summary>In-memory splits of the engine's cost, to see where time goes (not part of the table).</summary>
    private static int Profile(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        var results = new List<(string Name, double BestSeconds, double BestCpuSeconds, string Detail)>
        {
            Measure("mem-tags-and-skip", 3, () =>
            {
                var reader = new EdifactReader(data);
                long segments = 0;
                while (reader.Read())
                {
                    if (reader.TokenType == EdifactTokenType.SegmentTag)
                    {
                        segments++;
                        reader.TrySkipSegment();
                    }
                }

                return $"segments={segments}";
            }),
            Measure("mem-tokens", 3, () =>
            {
                var reader = new EdifactReader(data);
                long tokens = 0;
                while (reader.Read())
                {
                    tokens++;
                }

                return $"tokens={tokens}";
            }),
            Measure("mem-validate", 3, () => $"messages={new EdifactInterchangeValidator().Validate(data).MessageCount}"),
            Measure("memstream-validate", 3, () => $"messages={new EdifactInterchangeValidator(new EdifactValidationOptions { BufferSize = ReadBufferSize }).ValidateAsync(new MemoryStream(data)).GetAwaiter().GetResult().MessageCount}"),
            Measure("mem-validate-nocharset", 3, () => $"messages={new EdifactInterchangeValidator(new EdifactValidationOptions { CheckCharacterSet = false }).Validate(data).MessageCount}"),
            Measure("mem-vector-scan", 3, () => $"separators={VectorSeparatorScan.Scan(data).Count}"),
        };
        foreach ((string name, double seconds, double cpuSeconds, string detail) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} wall {data.Length / 1e6 / seconds:F1} MB/s, cpu {data.Length / 1e6 / cpuSeconds:F1} MB/s {detail}"));
        }

        return 0;
    }

    private static int Peak(string path)
    {
        EdifactValidationResult result = new EdifactInterchangeValidator(new EdifactValidationOptions { BufferSize = ReadBufferSize })
            .ValidateFileAsync(path).GetAwaiter().GetResult();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"peak-working-set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F1} MB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F1} MB, messages={result.MessageCount} diagnostics={result.Diagnostics.Count}"));
        return 0;
    }

    /// <summary>Best wall time and best CPU time of <paramref name="repeat"/> runs after a warm-up.</summary>
    /// <remarks>The CPU time (all threads of this process) is shown beside the wall time because the machine may be shared.</remarks>
    private static (string Name, double BestSeconds, double BestCpuSeconds, string Detail) Measure(string name, int repeat, Func<string> run)
    {
        string detail = run(); // warm-up: JIT, page cache
        double best = double.MaxValue;
        double bestCpu = double.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            detail = run();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
        }

        return (name, best, bestCpu, detail);
    }

    /// <summary>Every token of the file through the reader over a pipe: the cost of a consumer that looks at each value.</summary>
    private static long TokenizeAll(string path)
    {
        using FileStream file = OpenSequential(path);
        PipeReader pipe = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4));
        var state = new EdifactReaderState();
        long tokens = 0;
        while (true)
        {
            ReadResult result = pipe.ReadAsync().AsTask().GetAwaiter().GetResult();
            ReadOnlySequence<byte> buffer = result.Buffer;
            var reader = new EdifactReader(buffer, result.IsCompleted, state);
            while (reader.Read())
            {
                tokens++;
            }

            state = reader.CurrentState;
            pipe.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        pipe.Complete();
        return tokens;
    }

    private static int MaterializeMessages(string path)
    {
        using FileStream file = OpenSequential(path);
        var reader = new EdifactStreamReader(file, new EdifactValidationOptions { BufferSize = ReadBufferSize });
        int count = 0;
        IAsyncEnumerator<EdifactMessage> messages = reader.ReadMessagesAsync().GetAsyncEnumerator();
        while (messages.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            count++;
            messages.Current.Dispose();
        }

        return count;
    }

    private static (long Count, long Checksum) ScanFile(string path)
    {
        using FileStream file = OpenSequential(path);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        long count = 0;
        long checksum = 0;
        int read;
        while ((read = file.Read(buffer, 0, ReadBufferSize)) > 0)
        {
            (long c, long s) = VectorSeparatorScan.Scan(buffer.AsSpan(0, read));
            count += c;
            checksum += s;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return (count, checksum);
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    private static List<EdifactMessage> ToList(IAsyncEnumerable<EdifactMessage> source)
    {
        var list = new List<EdifactMessage>();
        IAsyncEnumerator<EdifactMessage> e = source.GetAsyncEnumerator();
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            list.Add(e.Current);
        }

        return list;
    }
}
