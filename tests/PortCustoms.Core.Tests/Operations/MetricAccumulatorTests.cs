using PortCustoms.Core.Operations.Kpis;

namespace PortCustoms.Core.Tests.Operations;

public sealed class MetricAccumulatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Measurements_add_up_per_minute_instrument_and_tag_set_whatever_the_tag_order()
    {
        var accumulator = new MetricAccumulator("a");
        accumulator.Record(T0.AddSeconds(5), "c", MetricKind.Sum, null, 2, [new("x", "1"), new("y", "2")]);
        accumulator.Record(T0.AddSeconds(50), "c", MetricKind.Sum, null, 3, [new("y", "2"), new("x", "1")]);
        accumulator.Record(T0.AddSeconds(65), "c", MetricKind.Sum, null, 7, [new("x", "1"), new("y", "2")]);

        var rows = accumulator.Dirty();
        Assert.Equal(2, rows.Count);
        Assert.Equal((T0, 5.0, "x=1,y=2"), (rows[0].Row.Minute, rows[0].Row.Sum, rows[0].Row.Tags));
        Assert.Equal((T0.AddMinutes(1), 7.0), (rows[1].Row.Minute, rows[1].Row.Sum));
        Assert.Equal("a", rows[0].Row.Instance);
    }

    [Fact]
    public void Tag_values_that_hold_separators_round_trip()
    {
        var tags = MetricTags.Format([new("reason", "a=b,c%d"), new("broker", "x")]);
        Assert.Equal("a=b,c%d", MetricTags.Get(tags, "reason"));
        Assert.Equal("x", MetricTags.Get(tags, "broker"));
        Assert.Null(MetricTags.Get(tags, "other"));
    }

    [Fact]
    public void Seconds_histograms_are_kept_in_milliseconds()
    {
        var accumulator = new MetricAccumulator("a");
        accumulator.Record(T0, "h", MetricKind.Histogram, "s", 2.5, []);
        var row = accumulator.Dirty().Single().Row;
        Assert.Equal(2500, row.Max);
        Assert.Equal(1, row.Buckets![LatencyBuckets.IndexOf(2500)]);
    }

    [Fact]
    public void A_written_row_is_not_written_again_until_it_changes_and_a_closed_minute_is_forgotten()
    {
        var accumulator = new MetricAccumulator("a");
        accumulator.Record(T0, "c", MetricKind.Sum, null, 1, []);
        accumulator.Record(T0.AddMinutes(1), "c", MetricKind.Sum, null, 1, []);
        var first = accumulator.Dirty();
        accumulator.Written(first, T0.AddMinutes(1).AddSeconds(10));
        Assert.Empty(accumulator.Dirty());

        // The current minute keeps adding up; the closed one starts again from nothing if a late measurement comes.
        accumulator.Record(T0.AddMinutes(1).AddSeconds(20), "c", MetricKind.Sum, null, 1, []);
        var second = Assert.Single(accumulator.Dirty());
        Assert.Equal(2, second.Row.Sum);
    }

    [Fact]
    public void A_measurement_during_the_write_keeps_the_row_dirty()
    {
        var accumulator = new MetricAccumulator("a");
        accumulator.Record(T0, "c", MetricKind.Sum, null, 1, []);
        var read = accumulator.Dirty();
        accumulator.Record(T0.AddSeconds(1), "c", MetricKind.Sum, null, 1, []);
        accumulator.Written(read, T0.AddMinutes(5));
        var again = Assert.Single(accumulator.Dirty());
        Assert.Equal(2, again.Row.Sum);
    }

    [Fact]
    public void While_the_store_is_down_memory_stays_bounded_and_drops_are_counted()
    {
        var accumulator = new MetricAccumulator("a", maxMinutesHeld: 10);
        for (var minute = 0; minute < 30; minute++)
        {
            accumulator.Record(T0.AddMinutes(minute), "c", MetricKind.Sum, null, 1, []);
        }
        accumulator.Written([], T0.AddMinutes(29));
        Assert.Equal(10, accumulator.Dirty().Count);
        Assert.Equal(20, accumulator.Dropped);
    }

    [Fact]
    public void Not_a_number_is_ignored()
    {
        var accumulator = new MetricAccumulator("a");
        accumulator.Record(T0, "c", MetricKind.Histogram, "ms", double.NaN, []);
        Assert.Empty(accumulator.Dirty());
    }
}
