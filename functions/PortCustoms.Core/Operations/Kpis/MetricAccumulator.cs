using System.Collections.Concurrent;

namespace PortCustoms.Core.Operations.Kpis;

/// <summary>
/// This instance's measurements, added up per UTC minute, instrument and tag set until they are written. A minute's row
/// stays "dirty" until a write of its latest figures succeeds; a closed minute that is written is forgotten. If the
/// store stays down, the oldest minutes beyond <see cref="MaxMinutesHeld"/> are dropped and counted, so memory stays
/// bounded.
/// </summary>
public sealed class MetricAccumulator
{
    private readonly ConcurrentDictionary<(DateTimeOffset Minute, string Instrument, string Tags), Cell> _cells = new();
    private long _dropped;

    public MetricAccumulator(string instance, int maxMinutesHeld = 120)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMinutesHeld, 2);
        Instance = instance;
        MaxMinutesHeld = maxMinutesHeld;
    }

    public string Instance { get; }

    public int MaxMinutesHeld { get; }

    /// <summary>Rows dropped unwritten because the store was down longer than <see cref="MaxMinutesHeld"/>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    /// <summary>Adds one measurement. Durations (unit <c>ms</c> or <c>s</c>) of histograms go into <see cref="LatencyBuckets"/> in milliseconds.</summary>
    public void Record(DateTimeOffset at, string instrument, MetricKind kind, string? unit, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return;
        }
        if (kind == MetricKind.Histogram && unit == "s")
        {
            value *= 1000;
        }
        var cell = _cells.GetOrAdd((MinuteOf(at), instrument, MetricTags.Format(tags)), static (_, k) => new Cell(k), kind);
        cell.Add(value);
    }

    /// <summary>The rows changed since they were last written, with their current figures.</summary>
    public IReadOnlyList<(MetricMinute Row, long Version)> Dirty()
    {
        List<(MetricMinute, long)> rows = [];
        foreach (var (key, cell) in _cells)
        {
            if (cell.TrySnapshot(key, Instance, out var row, out var version))
            {
                rows.Add((row, version));
            }
        }
        rows.Sort(static (a, b) => a.Item1.Minute.CompareTo(b.Item1.Minute));
        return rows;
    }

    /// <summary>
    /// Marks rows written at the version read by <see cref="Dirty"/>; rows of minutes before <paramref name="now"/>'s that
    /// nothing changed since are forgotten.
    /// </summary>
    public void Written(IEnumerable<(MetricMinute Row, long Version)> rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var current = MinuteOf(now);
        foreach (var (row, version) in rows)
        {
            var key = (row.Minute, row.Instrument, row.Tags);
            if (_cells.TryGetValue(key, out var cell) && cell.MarkWritten(version) && row.Minute < current)
            {
                _cells.TryRemove(new KeyValuePair<(DateTimeOffset, string, string), Cell>(key, cell));
            }
        }
        DropBeyondLimit(current);
    }

    private void DropBeyondLimit(DateTimeOffset current)
    {
        var oldest = current.AddMinutes(-MaxMinutesHeld);
        foreach (var key in _cells.Keys)
        {
            if (key.Minute <= oldest && _cells.TryRemove(key, out _))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    private sealed class Cell(MetricKind kind)
    {
        private readonly Lock _gate = new();
        private long _count;
        private double _sum;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _last;
        private long[]? _buckets;
        private long _version;
        private long _writtenVersion;

        public void Add(double value)
        {
            lock (_gate)
            {
                _count++;
                _sum += value;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
                _last = value;
                if (kind == MetricKind.Histogram)
                {
                    _buckets ??= new long[LatencyBuckets.Count];
                    _buckets[LatencyBuckets.IndexOf(value)]++;
                }
                _version++;
            }
        }

        public bool TrySnapshot((DateTimeOffset Minute, string Instrument, string Tags) key, string instance, out MetricMinute row, out long version)
        {
            lock (_gate)
            {
                version = _version;
                if (_version == _writtenVersion)
                {
                    row = null!;
                    return false;
                }
                row = new MetricMinute(key.Minute, instance, key.Instrument, key.Tags, kind, _count, _sum, _min, _max, _last, _buckets?.ToArray());
                return true;
            }
        }

        /// <summary>True when nothing was added since <paramref name="version"/>.</summary>
        public bool MarkWritten(long version)
        {
            lock (_gate)
            {
                _writtenVersion = Math.Max(_writtenVersion, version);
                return _version == version;
            }
        }
    }
}
