namespace PortCustoms.Core.Operations;

/// <summary>
/// One row of a parallel-running export (contracts/cli.md, <c>compare</c>): what a channel said about a container, and
/// when. <see cref="Line"/> is where the row stands in its file, for the report.
/// </summary>
public sealed record ChannelRecord(string ContainerNumber, string Outcome, DateTimeOffset At, string? Reference, long Line)
{
    /// <summary>
    /// The outcome on one scale, so a legacy channel that reports customs statuses and PortCustoms' gate decisions
    /// compare: RELEASED is CLEAR, INSPECTION_REQUIRED is INSPECT; HOLD is HOLD; anything else compares as written.
    /// </summary>
    public string NormalizedOutcome => ParallelRunComparison.Normalize(Outcome);
}

/// <summary>How a pair of rows (or a lone row) compares.</summary>
public enum ComparisonKind : byte
{
    /// <summary>Same outcome at the same time (to the second).</summary>
    Match = 1,

    /// <summary>Same outcome, one channel within the window before the other: timing, not translation.</summary>
    Timing,

    /// <summary>Different outcomes, or the same beyond the window: a translation or data error to look at.</summary>
    Difference,

    /// <summary>Only the legacy channel has this row.</summary>
    LegacyOnly,

    /// <summary>Only PortCustoms has this row.</summary>
    OursOnly,
}

/// <summary>One line of the comparison: a pair, or a row one channel alone has.</summary>
public sealed record ComparedRow(string ContainerNumber, ComparisonKind Kind, ChannelRecord? Legacy, ChannelRecord? Ours)
{
    /// <summary>Ours minus legacy, when both are there: positive when PortCustoms said it later.</summary>
    public TimeSpan? Lag => Legacy is not null && Ours is not null ? Ours.At - Legacy.At : null;

    /// <summary>What an operator reads: what each side said and when.</summary>
    public string Explanation => Kind switch
    {
        ComparisonKind.Match => $"Both said {Ours!.Outcome} at {Ours.At:u}.",
        ComparisonKind.Timing => $"Both said {Ours!.Outcome}; PortCustoms {(Lag >= TimeSpan.Zero ? "after" : "before")} the legacy channel by {Describe(Lag!.Value)}.",
        ComparisonKind.Difference when Legacy!.NormalizedOutcome == Ours!.NormalizedOutcome =>
            $"Both said {Ours.Outcome}, but {Describe(Lag!.Value)} apart: beyond the window.",
        ComparisonKind.Difference => $"Legacy said {Legacy!.Outcome} at {Legacy.At:u}; PortCustoms said {Ours!.Outcome} at {Ours.At:u}.",
        ComparisonKind.LegacyOnly => $"Only the legacy channel said {Legacy!.Outcome} at {Legacy.At:u}.",
        ComparisonKind.OursOnly => $"Only PortCustoms said {Ours!.Outcome} at {Ours.At:u}.",
        _ => Kind.ToString(),
    };

    private static string Describe(TimeSpan span)
    {
        var abs = span.Duration();
        return abs.TotalMinutes >= 1 ? $"{abs.TotalMinutes:0.#} min" : $"{abs.TotalSeconds:0.#} s";
    }
}

/// <summary>The comparison of two channels over one period: every row, and the counts per kind.</summary>
public sealed record ParallelRunReport(IReadOnlyList<ComparedRow> Rows, TimeSpan Window)
{
    public int Count(ComparisonKind kind) => Rows.Count(r => r.Kind == kind);

    public int Containers => Rows.Select(r => r.ContainerNumber).Distinct(StringComparer.Ordinal).Count();

    /// <summary>True when nothing needs a person: no differences and no one-sided rows (exit 0).</summary>
    public bool Agrees => Rows.All(r => r.Kind is ComparisonKind.Match or ComparisonKind.Timing);
}

/// <summary>
/// Compares a legacy channel's statuses or gate decisions with PortCustoms' for the same period, per container in time
/// order. Rows with the same outcome are paired first, in order while within the window (a match when at the same
/// second, else timing); what is left is paired in time order as differences; the rest stands alone on its side.
/// </summary>
public static class ParallelRunComparison
{
    public static ParallelRunReport Compare(IEnumerable<ChannelRecord> legacy, IEnumerable<ChannelRecord> ours, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);

        var legacyByContainer = ByContainer(legacy);
        var oursByContainer = ByContainer(ours);
        var rows = new List<ComparedRow>();
        foreach (var container in legacyByContainer.Keys.Union(oursByContainer.Keys).Order(StringComparer.Ordinal))
        {
            rows.AddRange(CompareContainer(
                container,
                legacyByContainer.GetValueOrDefault(container, []),
                oursByContainer.GetValueOrDefault(container, []),
                window));
        }
        return new ParallelRunReport(rows, window);
    }

    public static string Normalize(string outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var upper = outcome.Trim().ToUpperInvariant();
        return upper switch
        {
            "RELEASED" or "CLEAR" => "CLEAR",
            "INSPECTION_REQUIRED" or "INSPECT" => "INSPECT",
            _ => upper,
        };
    }

    /// <summary>The key rows are grouped by: letters and digits only, upper-cased ("mscu 123456-6" is MSCU1234566).</summary>
    public static string ContainerKey(string containerNumber)
    {
        ArgumentNullException.ThrowIfNull(containerNumber);
        return string.Concat(containerNumber.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();
    }

    private static Dictionary<string, List<ChannelRecord>> ByContainer(IEnumerable<ChannelRecord> records) =>
        records.GroupBy(r => ContainerKey(r.ContainerNumber), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Line).ToList(), StringComparer.Ordinal);

    private static IEnumerable<ComparedRow> CompareContainer(string container, List<ChannelRecord> legacy, List<ChannelRecord> ours, TimeSpan window)
    {
        var pairs = new List<ComparedRow>();
        var unpairedLegacy = new List<ChannelRecord>();
        var unpairedOurs = new List<ChannelRecord>();

        // Per outcome, both sides in time order, paired in order while within the window: the n-th HOLD of one channel
        // goes with the n-th HOLD of the other, so a constant lag never crosses pairs.
        foreach (var outcome in legacy.Concat(ours).Select(r => r.NormalizedOutcome).Distinct(StringComparer.Ordinal))
        {
            var l = legacy.Where(r => r.NormalizedOutcome == outcome).ToList();
            var o = ours.Where(r => r.NormalizedOutcome == outcome).ToList();
            int i = 0, j = 0;
            while (i < l.Count && j < o.Count)
            {
                var lag = o[j].At - l[i].At;
                if (lag.Duration() <= window)
                {
                    var kind = lag.Duration() < TimeSpan.FromSeconds(1) ? ComparisonKind.Match : ComparisonKind.Timing;
                    pairs.Add(new ComparedRow(container, kind, l[i++], o[j++]));
                }
                else if (lag > TimeSpan.Zero)
                {
                    unpairedLegacy.Add(l[i++]);
                }
                else
                {
                    unpairedOurs.Add(o[j++]);
                }
            }
            unpairedLegacy.AddRange(l.Skip(i));
            unpairedOurs.AddRange(o.Skip(j));
        }
        unpairedLegacy.Sort((a, b) => a.At.CompareTo(b.At));
        unpairedOurs.Sort((a, b) => a.At.CompareTo(b.At));

        // What is left, in time order: differences while both sides have rows, then the rest alone.
        var common = Math.Min(unpairedLegacy.Count, unpairedOurs.Count);
        for (var i = 0; i < common; i++)
        {
            pairs.Add(new ComparedRow(container, ComparisonKind.Difference, unpairedLegacy[i], unpairedOurs[i]));
        }
        pairs.AddRange(unpairedLegacy.Skip(common).Select(l => new ComparedRow(container, ComparisonKind.LegacyOnly, l, null)));
        pairs.AddRange(unpairedOurs.Skip(common).Select(o => new ComparedRow(container, ComparisonKind.OursOnly, null, o)));

        return pairs.OrderBy(p => (p.Legacy ?? p.Ours)!.At);
    }
}
