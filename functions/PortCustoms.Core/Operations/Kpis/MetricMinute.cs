using System.Globalization;
using System.Text;

namespace PortCustoms.Core.Operations.Kpis;

/// <summary>How an instrument's measurements add up over a minute.</summary>
public enum MetricKind
{
    /// <summary>Counters: the sum is what counts.</summary>
    Sum,

    /// <summary>Histograms: count, sum, min, max and the <see cref="LatencyBuckets"/> counts.</summary>
    Histogram,

    /// <summary>Gauges (queue depth, days to expiry): the last value observed in the minute.</summary>
    Gauge,
}

/// <summary>
/// What one app instance measured of one instrument with one set of tags in one UTC minute: the unit of durable KPI
/// data. An instance rewrites its own row for the current minute as it goes (the cumulative figure, so a repeated
/// write converges), and a KPI window adds the rows of every instance, so any instance, before or after a restart,
/// answers the same.
/// </summary>
public sealed record MetricMinute(
    DateTimeOffset Minute,
    string Instance,
    string Instrument,
    string Tags,
    MetricKind Kind,
    long Count,
    double Sum,
    double Min,
    double Max,
    double Last,
    long[]? Buckets)
{
    /// <summary>The tags' value for <paramref name="key"/>, or null.</summary>
    public string? Tag(string key) => MetricTags.Get(Tags, key);
}

/// <summary>Tags as one canonical string (<c>k=v,k=v</c>, sorted by key, '=' ',' '%' escaped), so equal tag sets meet in one row.</summary>
public static class MetricTags
{
    public static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }
        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }
            builder.Append(Escape(key)).Append('=').Append(Escape(value));
        }
        return builder.ToString();
    }

    public static string? Get(string tags, string key)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var pair in tags.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Unescape(pair[..equals]) == key)
            {
                return Unescape(pair[(equals + 1)..]);
            }
        }
        return null;
    }

    private static string Escape(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);

    private static string Unescape(string value) =>
        value.Replace("%3D", "=", StringComparison.Ordinal).Replace("%2C", ",", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}

/// <summary>
/// Fixed histogram bucket bounds for durations, in milliseconds (seconds are converted), so every instance's minute
/// rows merge bucket by bucket and a percentile over any window is read from the merged counts.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Upper bounds (inclusive); one more bucket holds everything above the last.</summary>
    public static readonly double[] UpperBoundsMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000, 30000, 60000, 300000];

    public static int Count => UpperBoundsMs.Length + 1;

    public static int IndexOf(double valueMs)
    {
        var index = Array.BinarySearch(UpperBoundsMs, valueMs);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), interpolated inside its bucket and kept within [min, max]; null without data.</summary>
    public static double? Quantile(ReadOnlySpan<long> buckets, double q, double min, double max)
    {
        long total = 0;
        foreach (var count in buckets)
        {
            total += count;
        }
        if (total == 0)
        {
            return null;
        }
        var rank = q * total;
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] == 0)
            {
                continue;
            }
            if (seen + buckets[i] >= rank)
            {
                var lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                var upper = i < UpperBoundsMs.Length ? UpperBoundsMs[i] : max;
                lower = Math.Max(lower, min);
                upper = Math.Min(upper, max);
                if (upper < lower)
                {
                    upper = lower;
                }
                var fraction = (rank - seen) / buckets[i];
                return lower + ((upper - lower) * fraction);
            }
            seen += buckets[i];
        }
        return max;
    }
}
