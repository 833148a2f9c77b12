using System.Buffers;
using BenchmarkDotNet.Attributes;
using PortCustoms.Edifact;

namespace PortCustoms.Benchmarks.Edifact;

/// <summary>The reader on a small interchange: tokens, envelope validation, materialised messages.</summary>
[MemoryDiagnoser]
public class EdifactReaderBenchmarks
{
    private byte[] _interchange = [];
    private EdifactInterchangeValidator _validator = new();

    [GlobalSetup]
    public void Setup()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new EdifactWriter(output, new EdifactWriterOptions { NewLineAfterSegment = true });
        writer.WriteServiceStringAdvice();
        writer.WriteSegmentStart("UNB");
        writer.WriteElement("UNOC");
        writer.WriteComponent("3");
        writer.WriteElement("SENDER");
        writer.WriteElement("RECIPIENT");
        writer.WriteElement("260101");
        writer.WriteComponent("1200");
        writer.WriteElement("REF1");
        writer.WriteSegmentEnd();
        for (int m = 1; m <= 10; m++)
        {
            writer.WriteSegmentStart("UNH");
            writer.WriteElement(m.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteElement("CUSCAR");
            writer.WriteComponent("D");
            writer.WriteComponent("01B");
            writer.WriteComponent("UN");
            writer.WriteSegmentEnd();
            writer.WriteSegment("BGM", "85", "DOC1", "9");
            for (int e = 0; e < 10; e++)
            {
                writer.WriteSegmentStart("EQD");
                writer.WriteElement("CN");
                writer.WriteElement("MSCU1234565");
                writer.WriteComponent("6346");
                writer.WriteComponent("5");
                writer.WriteElement("45G1");
                writer.WriteSegmentEnd();
                writer.WriteSegment("FTX", "AAA", "", "", "Goods ?+ things: it's fine");
            }

            writer.WriteMessageTrailer();
        }

        writer.WriteInterchangeTrailer();
        _interchange = output.WrittenSpan.ToArray();
        _validator = new EdifactInterchangeValidator();
    }

    [Benchmark(Baseline = true)]
    public int ReadAllTokens()
    {
        var reader = new EdifactReader(_interchange);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public int ReadAllTokensOneSegmentPerKilobyte()
    {
        var reader = new EdifactReader(Chunked(_interchange, 1024));
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public int Validate() => _validator.Validate(_interchange).MessageCount;

    [Benchmark]
    public async Task<int> ReadMessages()
    {
        await using var reader = new EdifactStreamReader(new MemoryStream(_interchange, writable: false));
        int segments = 0;
        await foreach (EdifactMessage message in reader.ReadMessagesAsync())
        {
            segments += message.Segments.Count;
            message.Dispose();
        }

        return segments;
    }

    private static ReadOnlySequence<byte> Chunked(byte[] data, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i < data.Length; i += size)
        {
            var next = new Segment(data.AsMemory(i, Math.Min(size, data.Length - i)), i);
            if (last is null)
            {
                first = next;
            }
            else
            {
                last.SetNext(next);
            }

            last = next;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
