using PortCustoms.Core.Operations.Kpis;

namespace PortCustoms.Core.Tests.Operations;

public sealed class KpiCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static MetricMinute Sum(int minute, string instance, string instrument, double sum, string tags = "") =>
        new(T0.AddMinutes(minute), instance, instrument, tags, MetricKind.Sum, (long)sum, sum, 1, 1, 1, null);

    private static MetricMinute Gauge(int minute, string instance, string instrument, double last) =>
        new(T0.AddMinutes(minute), instance, instrument, string.Empty, MetricKind.Gauge, 1, last, last, last, last, null);

    private static MetricMinute Durations(int minute, string instance, string instrument, params double[] valuesMs)
    {
        var accumulator = new MetricAccumulator(instance);
        foreach (var value in valuesMs)
        {
            accumulator.Record(T0.AddMinutes(minute), instrument, MetricKind.Histogram, "ms", value, []);
        }
        return accumulator.Dirty().Single().Row;
    }

    [Theory]
    [InlineData("PT1H", 60)]
    [InlineData("PT15M", 15)]
    [InlineData("P1D", 1440)]
    [InlineData("P1DT12H", 2160)]
    [InlineData("PT90S", 1.5)]
    public void Reads_iso_8601_windows(string text, double minutes)
    {
        Assert.True(KpiCalculator.TryParseWindow(text, out var window, out var error), error);
        Assert.Equal(TimeSpan.FromMinutes(minutes), window);
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("PT")]
    [InlineData("P")]
    [InlineData("-PT1H")]
    [InlineData("PT30S")]
    [InlineData("P32D")]
    [InlineData("P99999999D")]
    [InlineData("")]
    public void Refuses_windows_that_are_not_plain_durations_or_out_of_bounds(string text)
    {
        Assert.False(KpiCalculator.TryParseWindow(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_window_is_one_hour()
    {
        Assert.True(KpiCalculator.TryParseWindow(null, out var window, out _));
        Assert.Equal(TimeSpan.FromHours(1), window);
    }

    [Fact]
    public void The_window_ends_after_the_current_minute()
    {
        var (from, to) = KpiCalculator.Bounds(TimeSpan.FromHours(1), T0.AddMinutes(59).AddSeconds(30));
        Assert.Equal(T0.AddHours(1), to);
        Assert.Equal(T0, from);
    }

    [Fact]
    public void Rows_of_every_instance_add_up_and_rows_outside_the_window_do_not_count()
    {
        MetricMinute[] rows =
        [
            Sum(1, "a", KpiInstruments.Delivered, 600, "messageType=COARRI"),
            Sum(2, "b", KpiInstruments.Delivered, 397),
            Sum(2, "b", KpiInstruments.DeliveryFailures, 2, "category=server-error,messageType=CODECO,outcome=transient"),
            Sum(3, "a", KpiInstruments.DeliveryFailures, 1, "category=refused,messageType=COARRI,outcome=permanent"),
            Sum(-1, "a", KpiInstruments.Delivered, 1000),
            Sum(60, "a", KpiInstruments.DeliveryFailures, 1000, "outcome=transient"),
        ];

        var report = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), rows);

        Assert.Equal(997, report.Delivery.Delivered);
        Assert.Equal(3, report.Delivery.Failed);
        Assert.Equal(0.997, report.Delivery.SuccessRate);
        Assert.True(report.Delivery.TargetMet);
        Assert.Equal(2, report.Delivery.FailedByCategory["server-error"]);
        Assert.Equal(1, report.Delivery.FailedByCategory["refused"]);
        Assert.Equal(2, report.Delivery.FailedByMessageType["CODECO"]);
        Assert.Equal(["a", "b"], report.Instances);
        Assert.Equal(600, report.Delivery.DeliveredByMessageType["COARRI"]);
    }

    [Fact]
    public void Success_below_the_target_is_not_met_and_no_traffic_is_no_rate()
    {
        var below = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), [Sum(1, "a", KpiInstruments.Delivered, 994), Sum(1, "a", KpiInstruments.DeliveryFailures, 6, "outcome=transient")]);
        Assert.False(below.Delivery.TargetMet);
        Assert.Equal(0.994, below.Delivery.SuccessRate);

        var quiet = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), []);
        Assert.Null(quiet.Delivery.SuccessRate);
        Assert.Null(quiet.Delivery.TargetMet);
        Assert.Null(quiet.Gate.P95Ms);
        Assert.Null(quiet.Queue.Depth);
        Assert.Equal(60, quiet.Series.Count);
    }

    [Fact]
    public void Gate_p95_merges_every_instances_buckets()
    {
        // 95 fast answers on one instance, 5 slow ones on another: the p95 sits at the edge of the slow ones.
        var fast = Durations(1, "a", KpiInstruments.GateAnswerDuration, Enumerable.Repeat(40.0, 95).ToArray());
        var slow = Durations(2, "b", KpiInstruments.GateAnswerDuration, 4000, 4200, 4500, 4800, 4900);
        var report = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), [fast, slow, Sum(1, "a", KpiInstruments.GateDecisions, 95, "decision=CLEAR,source=STORE"), Sum(2, "b", KpiInstruments.GateDecisions, 5, "decision=HOLD,source=DEFAULT")]);

        Assert.Equal(100, report.Gate.Answers);
        Assert.Equal(95, report.Gate.ByDecision["CLEAR"]);
        Assert.Equal(5, report.Gate.BySource["DEFAULT"]);
        Assert.InRange(report.Gate.P50Ms!.Value, 25, 50);
        Assert.InRange(report.Gate.P95Ms!.Value, 25, 50);
        Assert.InRange(report.Gate.P99Ms!.Value, 4000, 4900);
        Assert.True(report.Gate.TargetMet);

        var slower = Durations(3, "b", KpiInstruments.GateAnswerDuration, Enumerable.Repeat(3500.0, 10).ToArray());
        var late = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), [fast, slow, slower]);
        Assert.False(late.Gate.TargetMet);
        Assert.InRange(late.Gate.P95Ms!.Value, 3000, 4900);
    }

    [Fact]
    public void Quantiles_stay_within_the_values_seen()
    {
        var row = Durations(0, "a", KpiInstruments.GateAnswerDuration, 1200, 1200, 1200);
        var report = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), [row]);
        Assert.Equal(1200, report.Gate.P50Ms);
        Assert.Equal(1200, report.Gate.P99Ms);
    }

    [Fact]
    public void Gauges_read_the_newest_minute_and_take_the_highest_instance()
    {
        MetricMinute[] rows =
        [
            Gauge(5, "a", KpiInstruments.QueueDepth, 40),
            Gauge(9, "a", KpiInstruments.QueueDepth, 7),
            Gauge(9, "b", KpiInstruments.QueueDepth, 9),
            Gauge(9, "b", KpiInstruments.OldestUndeliveredAge, 75.5),
        ];
        var report = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), rows);
        Assert.Equal(9, report.Queue.Depth);
        Assert.Equal(75.5, report.Queue.OldestUndeliveredSeconds);
        Assert.Equal(T0.AddMinutes(9), report.Queue.ObservedAt);
        Assert.Equal(40, report.Series[5].QueueDepth);
        Assert.Null(report.Series[6].QueueDepth);
    }

    [Fact]
    public void Files_discrepancies_unmapped_codes_and_errors_are_broken_down()
    {
        MetricMinute[] rows =
        [
            Sum(1, "a", KpiInstruments.BatchFiles, 4, "broker=acme,outcome=processed"),
            Sum(1, "a", KpiInstruments.BatchFiles, 1, "broker=acme,outcome=quarantined"),
            Sum(2, "b", KpiInstruments.BatchFiles, 2, "broker=blue,outcome=duplicate"),
            Sum(2, "b", KpiInstruments.Discrepancies, 3, "kind=NOT_DISCHARGED"),
            Sum(2, "b", KpiInstruments.UnmappedCodes, 2, "field=GIS,messageType=CUSRES"),
            Sum(2, "b", KpiInstruments.DeadLettered, 1, "reason=MaxDeliveryCountExceeded"),
        ];
        var report = KpiCalculator.Calculate("PT1H", T0, T0.AddHours(1), rows);
        Assert.Equal(new BrokerFileKpis(4, 1, 0), report.Files["acme"]);
        Assert.Equal(new BrokerFileKpis(0, 0, 2), report.Files["blue"]);
        Assert.Equal(3, report.Discrepancies["NOT_DISCHARGED"]);
        Assert.Equal(2, report.UnmappedCodes.Total);
        Assert.Equal(2, report.UnmappedCodes.ByMessageTypeAndField["CUSRES/GIS"]);
        Assert.Equal(1, report.Delivery.DeadLetteredByReason["MaxDeliveryCountExceeded"]);
        Assert.Equal(1, report.Series[1].Errors["files quarantined"]);
        Assert.Equal(1, report.Series[2].Errors["dead-lettered"]);
        Assert.Equal(2, report.Series[2].Errors["unmapped codes"]);
    }

    [Fact]
    public void A_long_window_is_charted_in_at_most_sixty_steps()
    {
        var report = KpiCalculator.Calculate("P1D", T0, T0.AddDays(1), [Sum(30, "a", KpiInstruments.Delivered, 5), Sum(1439, "a", KpiInstruments.Delivered, 1)]);
        Assert.Equal(60, report.Series.Count);
        Assert.Equal(5, report.Series[1].Delivered);
        Assert.Equal(1, report.Series[59].Delivered);
    }
}

public sealed class DeliveryErrorCategoryTests
{
    [Theory]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "HTTP 503", "server-error")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "HTTP 429", "throttled")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "HTTP 408", "http-error")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "timed out", "timeout")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "connection failed: ConnectionError", "connection")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "client certificate unavailable: X", "certificate")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.PermanentFailure, "HTTP 422", "refused")]
    [InlineData(PortCustoms.Core.Events.CustomsDeliveryOutcome.TransientFailure, "InvalidOperationException: boom", "other")]
    public void Failures_fall_into_a_bounded_set_of_categories(PortCustoms.Core.Events.CustomsDeliveryOutcome outcome, string reason, string category) =>
        Assert.Equal(category, PortCustoms.Core.Events.DeliveryErrorCategory.Of(new PortCustoms.Core.Events.CustomsDeliveryResult(outcome, reason)));
}
