using System.Collections;
using System.Runtime.InteropServices;

namespace PortCustoms.Edifact;

/// <summary>How many findings of one code and severity there were, and how many of them are listed.</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Count">Every finding with this code and severity, listed or not.</param>
/// <param name="Listed">The first ones, kept with their positions (at most the per-code limit).</param>
public readonly record struct FindingCount(string Code, EdifactSeverity Severity, long Count, int Listed);

/// <summary>
/// Findings kept up to a bound per code (the first N, with their positions) and counted exactly beyond it, so a
/// file with a million repeats of one warning costs the memory of N of them. Every layer (syntax, envelope,
/// structure, mapping) reports through one of these, so every output is capped the same way.
/// </summary>
public sealed class FindingCollection : ICollection<EdifactDiagnostic>
{
    /// <summary>The default of <see cref="EdifactValidationOptions.MaxFindingsPerCode"/>.</summary>
    public const int DefaultMaxPerCode = 100;

    private readonly List<EdifactDiagnostic> _listed = [];
    private readonly Dictionary<(string Code, EdifactSeverity Severity), Tally> _tallies = [];
    private readonly int _maxPerCode;
    private readonly int _maxListed;

    /// <param name="maxPerCode">Findings listed per code and severity.</param>
    /// <param name="maxListed">Findings listed in all (a second bound for files with very many distinct codes).</param>
    public FindingCollection(int maxPerCode = DefaultMaxPerCode, int maxListed = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerCode, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxListed, 1);
        _maxPerCode = maxPerCode;
        _maxListed = maxListed;
    }

    /// <summary>The listed findings, in the order they were added.</summary>
    public IReadOnlyList<EdifactDiagnostic> Listed => _listed;

    /// <summary>Every finding added, listed or not.</summary>
    public long Total { get; private set; }

    public long ErrorCount { get; private set; }

    public long WarningCount => Total - ErrorCount;

    /// <summary>Findings counted but not listed.</summary>
    public long Unlisted => Total - _listed.Count;

    /// <summary>Errors counted but not listed.</summary>
    public long UnlistedErrors { get; private set; }

    /// <summary>Counts per code and severity, ordered by code then severity (errors first).</summary>
    public IReadOnlyList<FindingCount> Counts =>
        [.. _tallies.OrderBy(t => t.Key.Code, StringComparer.Ordinal).ThenByDescending(t => t.Key.Severity).Select(t => new FindingCount(t.Key.Code, t.Key.Severity, t.Value.Count, t.Value.Listed))];

    int ICollection<EdifactDiagnostic>.Count => _listed.Count;

    bool ICollection<EdifactDiagnostic>.IsReadOnly => false;

    public void Add(EdifactDiagnostic item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ref Tally tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, (item.Code, item.Severity), out _);
        tally.Count++;
        Total++;
        bool error = item.Severity == EdifactSeverity.Error;
        if (error)
        {
            ErrorCount++;
        }

        if (tally.Listed < _maxPerCode && _listed.Count < _maxListed)
        {
            tally.Listed++;
            _listed.Add(item);
        }
        else if (error)
        {
            UnlistedErrors++;
        }
    }

    /// <summary>
    /// Whether a finding with this code and severity added now would be listed (so its text is worth formatting). Once
    /// false it stays false: the counts only grow.
    /// </summary>
    public bool WouldList(string code, EdifactSeverity severity) =>
        _listed.Count < _maxListed && (!_tallies.TryGetValue((code, severity), out Tally tally) || tally.Listed < _maxPerCode);

    /// <summary>Adds another collector's counts and listed findings (listed ones only while this one's bounds allow).</summary>
    public void AddFrom(FindingCollection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (EdifactDiagnostic diagnostic in other._listed)
        {
            Add(diagnostic);
        }

        foreach (KeyValuePair<(string Code, EdifactSeverity Severity), Tally> entry in other._tallies)
        {
            long unlisted = entry.Value.Count - entry.Value.Listed;
            if (unlisted == 0)
            {
                continue;
            }

            ref Tally tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, entry.Key, out _);
            tally.Count += unlisted;
            Total += unlisted;
            if (entry.Key.Severity == EdifactSeverity.Error)
            {
                ErrorCount += unlisted;
                UnlistedErrors += unlisted;
            }
        }
    }

    /// <summary>The listed findings from index <paramref name="start"/> on.</summary>
    public EdifactDiagnostic[] Slice(int start) => start >= _listed.Count ? [] : [.. _listed.Skip(start)];

    void ICollection<EdifactDiagnostic>.Clear() => throw new NotSupportedException("Findings are only ever added.");

    bool ICollection<EdifactDiagnostic>.Contains(EdifactDiagnostic item) => _listed.Contains(item);

    void ICollection<EdifactDiagnostic>.CopyTo(EdifactDiagnostic[] array, int arrayIndex) => _listed.CopyTo(array, arrayIndex);

    bool ICollection<EdifactDiagnostic>.Remove(EdifactDiagnostic item) => throw new NotSupportedException("Findings are only ever added.");

    public IEnumerator<EdifactDiagnostic> GetEnumerator() => _listed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private struct Tally
    {
        public long Count;
        public int Listed;
    }
}
