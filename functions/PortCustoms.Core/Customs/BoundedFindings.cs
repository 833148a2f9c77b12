using PortCustoms.Edifact;

namespace PortCustoms.Core.Customs;

/// <summary>
/// The findings of a rejected interchange, bounded: every finding counted per code, only the first
/// <see cref="Capacity"/> by position kept in full. Memory and the answer stay the same size however bad the input.
/// </summary>
public sealed class BoundedFindings(int capacity)
{
    // Max-heap by (position, arrival): the one dequeued when full is the latest in the file.
    private readonly PriorityQueue<EdifactDiagnostic, (long Offset, long Sequence)> _first = new(Comparer<(long, long)>.Create(static (a, b) => b.CompareTo(a)));
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private long _sequence;

    public int Capacity { get; } = capacity;

    /// <summary>Every finding, kept or not (the validator's dropped findings included).</summary>
    public int Count { get; private set; }

    /// <summary>Findings the validator counted but did not keep: their codes are unknown.</summary>
    public int Uncounted { get; private set; }

    public IReadOnlyDictionary<string, int> CountsByCode => _counts;

    public void Add(EdifactDiagnostic diagnostic)
    {
        Count++;
        _counts[diagnostic.Code] = _counts.GetValueOrDefault(diagnostic.Code) + 1;
        _first.Enqueue(diagnostic, (diagnostic.Position.ByteOffset, _sequence++));
        if (_first.Count > Capacity)
        {
            _first.Dequeue();
        }
    }

    public void AddUncounted(int count)
    {
        Count += count;
        Uncounted += count;
    }

    /// <summary>The kept findings in file order.</summary>
    public List<EdifactDiagnostic> First() =>
        [.. _first.UnorderedItems.OrderBy(i => i.Priority).Select(i => i.Element)];
}
