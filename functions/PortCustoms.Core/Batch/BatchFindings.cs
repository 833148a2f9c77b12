using PortCustoms.Core.Translation;
using PortCustoms.Edifact;

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
        if (Count(finding.Code, finding.IsError))
        {
            _kept.Add(finding);
        }
    }

    /// <summary>
    /// Whether a finding with <paramref name="code"/> added now would be kept (its text then worth formatting). Once
    /// false it stays false: counts only grow.
    /// </summary>
    public bool WouldKeep(string code) => !_counts.TryGetValue(code, out var count) || count.Count < KeptPerCode;

    /// <summary>
    /// Adds an engine or mapping finding of message <paramref name="message"/>: counted always, turned into a
    /// <see cref="BatchFinding"/> only when kept (most of a large file's findings are counted only).
    /// </summary>
    public void Add(EdifactDiagnostic diagnostic, long message = 0)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        if (Count(diagnostic.Code, diagnostic.Severity == EdifactSeverity.Error))
        {
            _kept.Add(BatchFinding.From(diagnostic, message));
        }
    }

    /// <summary>Adds a finding whose text is formatted only when it is kept (<see cref="FindingText"/>).</summary>
    public void Add(string code, bool isError, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "code")] ref FindingText message, BatchPosition position = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (Count(code, isError))
        {
            _kept.Add(new BatchFinding(code, isError, message.ToStringAndClear(), position));
        }
    }

    /// <summary>Counts one finding; true when it is to be kept.</summary>
    private bool Count(string code, bool isError)
    {
        if (isError)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, code, out _);
        count.Count++;
        count.IsError |= isError;
        return count.Count <= KeptPerCode;
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
