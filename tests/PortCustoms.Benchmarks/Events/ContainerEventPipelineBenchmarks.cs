using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Benchmarks.Events;

/// <summary>
/// Events per second through the status-event pipeline in process, against plain System.Text.Json deserialization of the
/// same message bodies (source-generated, the fastest standard way: the limit). Target: the full pipeline at 50% or more
/// of the baseline's rate. Each operation is one event (OperationsPerInvoke).
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/PortCustoms.Benchmarks -- --filter '*ContainerEventPipeline*' --job short --memory</c>
/// 10,000 events over 1,000 containers (10 each), one in ten arriving late (out of order), as queue bodies. They are
/// consumed as the session processor consumes them: <see cref="Sessions"/> containers at a time (MaxConcurrentSessions),
/// their events interleaved, each container's timeline held while its session is, then released (its state lives in the
/// store between sessions), so the process never holds every timeline at once.
/// Min and median are shown beside the mean: on a shared machine the mean of a short job's three iterations is mostly
/// the neighbours' load; the minimum is the closest to the code's own cost.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ContainerEventPipelineBenchmarks
{
    private const int Containers = 1000;
    private const int PerContainer = 10;
    private const int Events = Containers * PerContainer;
    private const int Sessions = 8;
    private const int EventsPerSessionGroup = Sessions * PerContainer;

    private static readonly ContainerEventType[] Lifecycle =
    [
        ContainerEventType.Announced, ContainerEventType.Discharged, ContainerEventType.Inspected, ContainerEventType.Stripped,
        ContainerEventType.Stuffed, ContainerEventType.GatedOut, ContainerEventType.GatedIn, ContainerEventType.Inspected,
        ContainerEventType.Loaded, ContainerEventType.Announced,
    ];

    private byte[][] _bodies = [];
    private ContainerStatusEvent[] _events = [];
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var t0 = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        var byContainer = new List<List<ContainerStatusEvent>>(Containers);
        for (var c = 0; c < Containers; c++)
        {
            var firstTen = "MSCU" + c.ToString("D6", CultureInfo.InvariantCulture);
            var container = ContainerNumber.Parse(firstTen + ContainerNumber.ComputeCheckDigit(firstTen).ToString(CultureInfo.InvariantCulture));
            var perContainer = new List<ContainerStatusEvent>(PerContainer);
            for (var i = 0; i < PerContainer; i++)
            {
                perContainer.Add(new ContainerStatusEvent($"E-{c:D6}-{i:D2}", container, Lifecycle[i], t0.AddMinutes(i * 30))
                {
                    VesselImo = ImoNumber.Parse("9811000"),
                    Voyage = "124E",
                    Location = "NLRTM",
                    SealNumbers = ["ML-12345"],
                    GrossMassKg = 23150,
                    SizeType = SizeTypeCode.Parse(i % 2 == 0 ? "45G1" : "40HC"),
                });
            }
            // One in ten arrives late: swap a random adjacent pair.
            var swap = random.Next(PerContainer - 1);
            (perContainer[swap], perContainer[swap + 1]) = (perContainer[swap + 1], perContainer[swap]);
            byContainer.Add(perContainer);
        }
        // Sessions groups of containers, their events interleaved within the group.
        _events = byContainer.Chunk(Sessions)
            .SelectMany(group => Enumerable.Range(0, PerContainer).SelectMany(i => group.Select(c => c[i])))
            .ToArray();
        _bodies = _events.Select(ContainerStatusEventWriter.ToUtf8Bytes).ToArray();
        // The options the app itself writes customs payloads with.
        _writer = new Utf8JsonWriter(_output, ContainerStatusEventWriter.WriterOptions);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "Baseline: JsonSerializer.Deserialize (source-gen DTO)")]
    public int PlainDeserialize()
    {
        var n = 0;
        foreach (var body in _bodies)
        {
            var dto = JsonSerializer.Deserialize(body, BenchmarkJsonContext.Default.EventDto)!;
            n += dto.EventId!.Length;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Pipeline: read+validate, sequence, translate, serialize")]
    public long FullPipeline()
    {
        var timelines = new Dictionary<ContainerNumber, ContainerTimeline>(Sessions);
        long written = 0;
        for (var i = 0; i < _bodies.Length; i++)
        {
            ContainerStatusEventReader.TryReadSingle(_bodies[i], out var e, out _, out _);
            written += SequenceAndTranslate(timelines, e!);
            EndSessionsAfterGroup(timelines, i);
        }
        return written;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Sequence, translate, serialize (parsed events)")]
    public long SequenceTranslateSerialize()
    {
        var timelines = new Dictionary<ContainerNumber, ContainerTimeline>(Sessions);
        long written = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            written += SequenceAndTranslate(timelines, _events[i]);
            EndSessionsAfterGroup(timelines, i);
        }
        return written;
    }

    private static void EndSessionsAfterGroup(Dictionary<ContainerNumber, ContainerTimeline> timelines, int index)
    {
        if ((index + 1) % EventsPerSessionGroup == 0)
        {
            timelines.Clear();
        }
    }

    private int SequenceAndTranslate(Dictionary<ContainerNumber, ContainerTimeline> timelines, ContainerStatusEvent e)
    {
        if (!timelines.TryGetValue(e.ContainerNumber, out var timeline))
        {
            timelines.Add(e.ContainerNumber, timeline = new ContainerTimeline(e.ContainerNumber));
        }
        var result = timeline.Apply(e);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        CustomsStatusEventWriter.Write(_writer, new CustomsStatusNotice(e, result.Entry.Arrival, result.OutOfOrder));
        _writer.Flush();
        return _output.WrittenCount;
    }
}

/// <summary>The contract's shape as a plain DTO, for the baseline.</summary>
public sealed class EventDto
{
    public string? EventId { get; set; }

    public string? ContainerNumber { get; set; }

    public string? Type { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string? VesselImo { get; set; }

    public string? Voyage { get; set; }

    public string? Location { get; set; }

    public List<string>? SealNumbers { get; set; }

    public decimal? GrossMassKg { get; set; }

    public string? SizeType { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EventDto))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
