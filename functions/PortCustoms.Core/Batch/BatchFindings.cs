namespace PortCustoms.Core.Batch;

/// <summary>
/// The findings of one file, bounded: the first <see cref="KeptPerCode"/> of each code with their positions, and the
/// exact count of every code. Memory grows with the number of distinct codes, never with the number of findings, so a
/// file with a million warnings is reported as cheaply as one with ten.
/// </summary>
public sealed class BatchFindings
{
    private readonly Dictionary<string, CodeCount> _counts = new(StringComparer.Ordinal);
    private readonly List<BatchFinding> _kept = [];

    public BatchFindings(int keptPerCode = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keptPerCode, 1);
        KeptPerCode = keptPerCode;
    }

    public int KeptPerCode { get; }

    public long ErrorCount { get; private set; }

    public long WarningCount { get; private set; }

    public bool HasErrors => ErrorCount > 0;

    /// <summary>The kept findings, in the order they were found.</summary>
    public IReadOnlyList<BatchFinding> Kept => _kept;

    /// <summary>Every code seen, with its exact count and whether it was an error, ordered by code.</summary>
    public IEnumerable<(string Code, bool IsError, long Count)> Counts =>
        _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value.IsError, c.Value.Count));

    public void Add(BatchFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.IsError)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }
        var key = finding.Code;
        _counts.TryGetValue(key, out var count);
        count.Count++;
        count.IsError |= finding.IsError;
        _counts[key] = count;
        if (count.Count <= KeptPerCode)
        {
            _kept.Add(finding);
        }
    }

    /// <summary>Counts findings that were counted elsewhere but not handed over one by one (an engine's own bound).</summary>
    public void AddUncounted(string code, bool isError, long count)
    {
        if (count <= 0)
        {
            return;
        }
        if (isError)
        {
            ErrorCount += count;
        }
        else
        {
            WarningCount += count;
        }
        _counts.TryGetValue(code, out var c);
        c.Count += count;
        c.IsError |= isError;
        _counts[code] = c;
    }

    private struct CodeCount
    {
        public long Count;
        public bool IsError;
    }
}
