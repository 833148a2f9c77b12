using System.Text.RegularExpressions;

namespace PortCustoms.Core.Operations.Kpis;

/// <summary>Turns the minute rows of every instance into the <see cref="KpiReport"/> of a window. Pure: the same rows give the same report.</summary>
public static class KpiCalculator
{
    public const double TargetSuccessRate = 0.995;
    public const double TargetGateP95Ms = 3000;

    /// <summary>Windows accepted by <c>GET /api/v1/kpis</c>: one minute to 31 days.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>Reads an ISO 8601 duration in days, hours, minutes and seconds (<c>PT1H</c>, <c>P1D</c>, <c>P1DT12H</c>) within the accepted bounds, or says why not.</summary>
    /// <remarks>Years and months have no fixed length, so they are refused rather than guessed.</remarks>
    public static bool TryParseWindow(string? text, out TimeSpan window, out string? error)
    {
        window = TimeSpan.FromHours(1);
        error = null;
        if (text is null)
        {
            return true;
        }
        var match = s_duration.Match(text);
        if (!match.Success || text is "P" or "PT" || text.EndsWith('T'))
        {
            error = $"window '{text}' is not an ISO 8601 duration in days, hours, minutes or seconds (PT1H, P1D).";
            return false;
        }
        static double Part(Match m, string name) =>
            m.Groups[name].Success ? double.Parse(m.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var seconds = (Part(match, "d") * 86400) + (Part(match, "h") * 3600) + (Part(match, "m") * 60) + Part(match, "s");
        window = seconds > MaxWindow.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        if (window < MinWindow || window > MaxWindow)
        {
            error = $"window '{text}' must be between PT1M and P31D.";
            return false;
        }
        return true;
    }

    private static readonly Regex s_duration = new(
        @"^P(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,6})H)?(?:(?<m>\d{1,6})M)?(?:(?<s>\d{1,9}(?:\.\d{1,3})?)S)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(100));

    /// <summary>The window ending at <paramref name="now"/>'s minute (the current minute included), in whole minutes.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(TimeSpan window, DateTimeOffset now)
    {
        var to = MetricAccumulator.MinuteOf(now).AddMinutes(1);
        var minutes = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes));
        return (to.AddMinutes(-minutes), to);
    }

    public static KpiReport Calculate(string window, DateTimeOffset from, DateTimeOffset to, IEnumerable<MetricMinute> rows, int steps = 60)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inWindow = rows.Where(r => r.Minute >= from && r.Minute < to).ToList();
        var instances = inWindow.Select(r => r.Instance).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var totalMinutes = Math.Max(1, (int)(to - from).TotalMinutes);
        var stepMinutes = Math.Max(1, (int)Math.Ceiling(totalMinutes / (double)Math.Max(1, steps)));
        // Rows grouped by chart step once, rather than the whole window scanned again for every step.
        var byStep = inWindow.GroupBy(r => (int)((r.Minute - from).TotalMinutes / stepMinutes)).ToDictionary(g => g.Key, g => g.ToList());
        List<KpiInterval> series = [];
        for (var (start, step) = (from, 0); start < to; start = start.AddMinutes(stepMinutes), step++)
        {
            series.Add(Interval(start, byStep.GetValueOrDefault(step) ?? []));
        }

        return new KpiReport(
            window,
            from,
            to,
            Delivery(inWindow),
            Gate(inWindow),
            Queue(inWindow),
            SumBy(inWindow, KpiInstruments.Notifications, "outcome"),
            Files(inWindow),
            SumBy(inWindow, KpiInstruments.Discrepancies, "kind"),
            Unmapped(inWindow),
            series,
            instances);
    }

    private static DeliveryKpis Delivery(List<MetricMinute> rows)
    {
        var delivered = Total(rows, KpiInstruments.Delivered);
        var failed = Total(rows, KpiInstruments.DeliveryFailures);
        var rate = Rate(delivered, failed);
        var latency = Merge(rows, KpiInstruments.DeliveryLatency);
        return new DeliveryKpis(
            delivered,
            failed,
            rate,
            TargetSuccessRate,
            rate is null ? null : rate >= TargetSuccessRate,
            SumBy(rows, KpiInstruments.Delivered, "messageType"),
            SumBy(rows, KpiInstruments.DeliveryFailures, "category"),
            SumBy(rows, KpiInstruments.DeliveryFailures, "messageType"),
            Total(rows, KpiInstruments.DeadLettered),
            SumBy(rows, KpiInstruments.DeadLettered, "reason"),
            Total(rows, KpiInstruments.EventsRejected),
            latency.Quantile(0.95) is { } ms ? Math.Round(ms / 1000, 3) : null);
    }

    private static GateKpis Gate(List<MetricMinute> rows)
    {
        var durations = Merge(rows, KpiInstruments.GateAnswerDuration);
        var p95 = durations.Quantile(0.95);
        return new GateKpis(
            Total(rows, KpiInstruments.GateDecisions),
            SumBy(rows, KpiInstruments.GateDecisions, "decision"),
            SumBy(rows, KpiInstruments.GateDecisions, "source"),
            Round(durations.Quantile(0.50)),
            Round(p95),
            Round(durations.Quantile(0.99)),
            TargetGateP95Ms,
            p95 is null ? null : p95 <= TargetGateP95Ms,
            Total(rows, KpiInstruments.GateLiveQueryFailures));
    }

    private static QueueKpis Queue(List<MetricMinute> rows)
    {
        // Gauges: every instance observes the same queue, so the newest minute's highest reading is the figure.
        var depth = Latest(rows, KpiInstruments.QueueDepth);
        var deadLetters = Latest(rows, KpiInstruments.DeadLetterDepth);
        var oldest = Latest(rows, KpiInstruments.OldestUndeliveredAge);
        var observed = new[] { depth.At, deadLetters.At, oldest.At }.Where(a => a is not null).Max();
        return new QueueKpis(
            depth.Value is { } d ? (long)d : null,
            deadLetters.Value is { } l ? (long)l : null,
            oldest.Value,
            observed);
    }

    private static Dictionary<string, BrokerFileKpis> Files(List<MetricMinute> rows)
    {
        Dictionary<string, BrokerFileKpis> files = new(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Instrument == KpiInstruments.BatchFiles))
        {
            var broker = row.Tag("broker") ?? "(unknown)";
            var current = files.GetValueOrDefault(broker) ?? new BrokerFileKpis(0, 0, 0);
            var count = (long)row.Sum;
            files[broker] = row.Tag("outcome") switch
            {
                "processed" => current with { Processed = current.Processed + count },
                "quarantined" => current with { Quarantined = current.Quarantined + count },
                "duplicate" => current with { Duplicate = current.Duplicate + count },
                _ => current,
            };
        }
        return files;
    }

    private static UnmappedCodeKpis Unmapped(List<MetricMinute> rows)
    {
        Dictionary<string, long> byPlace = new(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Instrument == KpiInstruments.UnmappedCodes))
        {
            var key = $"{row.Tag("messageType") ?? "?"}/{row.Tag("field") ?? "?"}";
            byPlace[key] = byPlace.GetValueOrDefault(key) + (long)row.Sum;
        }
        return new UnmappedCodeKpis(Total(rows, KpiInstruments.UnmappedCodes), byPlace);
    }

    private static KpiInterval Interval(DateTimeOffset from, List<MetricMinute> rows)
    {
        var delivered = Total(rows, KpiInstruments.Delivered);
        var failed = Total(rows, KpiInstruments.DeliveryFailures);
        Dictionary<string, long> errors = new(StringComparer.Ordinal);
        foreach (var (category, count) in SumBy(rows, KpiInstruments.DeliveryFailures, "category"))
        {
            errors[$"delivery {category}"] = count;
        }
        AddIfAny(errors, "dead-lettered", Total(rows, KpiInstruments.DeadLettered));
        AddIfAny(errors, "events rejected", Total(rows, KpiInstruments.EventsRejected));
        AddIfAny(errors, "files quarantined", rows.Where(r => r.Instrument == KpiInstruments.BatchFiles && r.Tag("outcome") == "quarantined").Sum(r => (long)r.Sum));
        AddIfAny(errors, "unmapped codes", Total(rows, KpiInstruments.UnmappedCodes));
        AddIfAny(errors, "live query failures", Total(rows, KpiInstruments.GateLiveQueryFailures));
        var depth = Latest(rows, KpiInstruments.QueueDepth).Value;
        return new KpiInterval(
            from,
            delivered,
            failed,
            Rate(delivered, failed),
            Total(rows, KpiInstruments.GateDecisions),
            Round(Merge(rows, KpiInstruments.GateAnswerDuration).Quantile(0.95)),
            depth is { } d ? (long)d : null,
            errors);
    }

    private static void AddIfAny(Dictionary<string, long> errors, string name, long count)
    {
        if (count > 0)
        {
            errors[name] = count;
        }
    }

    private static double? Rate(long delivered, long failed) =>
        delivered + failed == 0 ? null : Math.Round(delivered / (double)(delivered + failed), 6);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static long Total(List<MetricMinute> rows, string instrument) =>
        rows.Where(r => r.Instrument == instrument).Sum(r => (long)Math.Round(r.Sum));

    private static Dictionary<string, long> SumBy(List<MetricMinute> rows, string instrument, string tag)
    {
        Dictionary<string, long> sums = new(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Instrument == instrument))
        {
            if (row.Tag(tag) is { } value)
            {
                sums[value] = sums.GetValueOrDefault(value) + (long)Math.Round(row.Sum);
            }
        }
        return sums;
    }

    private static (double? Value, DateTimeOffset? At) Latest(List<MetricMinute> rows, string instrument)
    {
        var gauge = rows.Where(r => r.Instrument == instrument).ToList();
        if (gauge.Count == 0)
        {
            return (null, null);
        }
        var newest = gauge.Max(r => r.Minute);
        return (gauge.Where(r => r.Minute == newest).Max(r => r.Last), newest);
    }

    private static MergedHistogram Merge(List<MetricMinute> rows, string instrument)
    {
        var buckets = new long[LatencyBuckets.Count];
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var row in rows.Where(r => r.Instrument == instrument && r.Buckets is not null))
        {
            for (var i = 0; i < Math.Min(buckets.Length, row.Buckets!.Length); i++)
            {
                buckets[i] += row.Buckets[i];
            }
            min = Math.Min(min, row.Min);
            max = Math.Max(max, row.Max);
        }
        return new MergedHistogram(buckets, min, max);
    }

    private readonly record struct MergedHistogram(long[] Buckets, double Min, double Max)
    {
        public double? Quantile(double q) => LatencyBuckets.Quantile(Buckets, q, Min, Max);
    }
}
