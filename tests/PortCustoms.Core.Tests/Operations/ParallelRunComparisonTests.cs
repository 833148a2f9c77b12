using System.Text;
using CsCheck;
using PortCustoms.Core.Operations;

namespace PortCustoms.Core.Tests.Operations;

public sealed class ParallelRunComparisonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private static ChannelRecord R(string container, string outcome, int minutes, long line = 1) =>
        new(container, outcome, T0.AddMinutes(minutes), null, line);

    [Fact]
    public void The_same_outcome_at_the_same_second_is_a_match()
    {
        var report = ParallelRunComparison.Compare([R("MSCU1234566", "CLEAR", 0)], [R("MSCU1234566", "CLEAR", 0)], Window);

        Assert.Equal(ComparisonKind.Match, Assert.Single(report.Rows).Kind);
        Assert.True(report.Agrees);
    }

    [Fact]
    public void The_same_outcome_within_the_window_is_timing_with_the_lag()
    {
        var report = ParallelRunComparison.Compare([R("MSCU1234566", "HOLD", 0)], [R("MSCU1234566", "HOLD", 4)], Window);

        var row = Assert.Single(report.Rows);
        Assert.Equal(ComparisonKind.Timing, row.Kind);
        Assert.Equal(TimeSpan.FromMinutes(4), row.Lag);
        Assert.Contains("after the legacy channel by 4 min", row.Explanation, StringComparison.Ordinal);
        Assert.True(report.Agrees);
    }

    [Fact]
    public void Different_outcomes_are_a_difference_that_fails_the_run()
    {
        var report = ParallelRunComparison.Compare([R("MSCU1234566", "CLEAR", 0)], [R("MSCU1234566", "HOLD", 0)], Window);

        var row = Assert.Single(report.Rows);
        Assert.Equal(ComparisonKind.Difference, row.Kind);
        Assert.Contains("Legacy said CLEAR", row.Explanation, StringComparison.Ordinal);
        Assert.False(report.Agrees);
    }

    [Fact]
    public void The_same_outcome_beyond_the_window_is_a_difference()
    {
        var report = ParallelRunComparison.Compare([R("MSCU1234566", "CLEAR", 0)], [R("MSCU1234566", "CLEAR", 45)], Window);

        var row = Assert.Single(report.Rows);
        Assert.Equal(ComparisonKind.Difference, row.Kind);
        Assert.Contains("beyond the window", row.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_one_side_alone_has_are_reported_on_their_side()
    {
        var report = ParallelRunComparison.Compare(
            [R("MSCU1234566", "HOLD", 0), R("MSCU1234566", "CLEAR", 30)],
            [R("MSCU1234566", "HOLD", 1), R("TGHU9876540", "CLEAR", 5)],
            Window);

        Assert.Equal(1, report.Count(ComparisonKind.Timing));
        Assert.Equal(1, report.Count(ComparisonKind.LegacyOnly));
        Assert.Equal(1, report.Count(ComparisonKind.OursOnly));
        Assert.Equal(2, report.Containers);
        Assert.False(report.Agrees);
    }

    [Fact]
    public void Customs_statuses_and_gate_decisions_compare_on_one_scale()
    {
        var report = ParallelRunComparison.Compare(
            [R("MSCU1234566", "RELEASED", 0), R("MSCU1234566", "inspection_required", 60)],
            [R("mscu 123456 6", "CLEAR", 0), R("MSCU1234566", "INSPECT", 60)],
            Window);

        Assert.All(report.Rows, r => Assert.Equal(ComparisonKind.Match, r.Kind));
        Assert.Equal(1, report.Containers);
    }

    [Fact]
    public void A_change_seen_late_pairs_with_its_own_outcome_not_the_next_row()
    {
        // Legacy: HOLD at 0, CLEAR at 20. Ours saw the CLEAR 3 minutes late and the HOLD on time.
        var report = ParallelRunComparison.Compare(
            [R("MSCU1234566", "HOLD", 0), R("MSCU1234566", "CLEAR", 20)],
            [R("MSCU1234566", "HOLD", 0), R("MSCU1234566", "CLEAR", 23)],
            Window);

        Assert.Equal([ComparisonKind.Match, ComparisonKind.Timing], report.Rows.Select(r => r.Kind));
    }

    private static readonly string[] ContainerNumbers = ["MSCU1234566", "TGHU9876540", "CSQU3054383", "MAEU1234567", "OOLU1234562"];

    private static readonly Gen<List<ChannelRecord>> Channel =
        Gen.Select(Gen.Int[0, 4], Gen.OneOfConst("CLEAR", "HOLD", "INSPECT"), Gen.Int[0, 600])
            .Select((c, outcome, minute) => new ChannelRecord(ContainerNumbers[c], outcome!, T0.AddMinutes(minute), null, 0))
            .List[0, 30];

    [Fact]
    public void Every_row_of_both_channels_appears_exactly_once_in_the_report() =>
        Gen.Select(Channel, Channel).Sample((legacy, ours) =>
        {
            var report = ParallelRunComparison.Compare(legacy, ours, Window);
            Assert.Equal(legacy.Count, report.Rows.Count(r => r.Legacy is not null));
            Assert.Equal(ours.Count, report.Rows.Count(r => r.Ours is not null));
            Assert.All(report.Rows.Where(r => r.Kind is ComparisonKind.Match or ComparisonKind.Timing),
                r => Assert.Equal(r.Legacy!.NormalizedOutcome, r.Ours!.NormalizedOutcome));
        });

    [Fact]
    public void A_channel_against_itself_shifted_within_the_window_always_agrees() =>
        Gen.Select(Channel, Gen.Int[-9, 9]).Sample((legacy, shift) =>
        {
            var ours = legacy.Select(r => r with { At = r.At.AddMinutes(shift) }).ToList();
            var report = ParallelRunComparison.Compare(legacy, ours, Window);
            Assert.True(report.Agrees);
            Assert.All(report.Rows, r => Assert.Equal(shift == 0 ? ComparisonKind.Match : ComparisonKind.Timing, r.Kind));
        });
}

public sealed class ChannelRecordReaderTests
{
    private static Task<(IReadOnlyList<ChannelRecord> Records, IReadOnlyList<ChannelRecordError> Errors)> Read(string text) =>
        ChannelRecordReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Csv_columns_in_any_order_and_any_case()
    {
        var (records, errors) = await Read("At,OUTCOME,reference,containerNumber\r\n2026-11-26T08:00:00+01:00,CLEAR,R-1,MSCU1234566\r\n");

        Assert.Empty(errors);
        var record = Assert.Single(records);
        Assert.Equal("MSCU1234566", record.ContainerNumber);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 7, 0, 0, TimeSpan.Zero), record.At);
        Assert.Equal("R-1", record.Reference);
        Assert.Equal(2, record.Line);
    }

    [Fact]
    public async Task Json_array_of_objects()
    {
        var (records, errors) = await Read("""  [ { "containerNumber": "MSCU1234566", "outcome": "HOLD", "at": "2026-11-26T08:00:00Z" } ]""");

        Assert.Empty(errors);
        Assert.Equal("HOLD", Assert.Single(records).Outcome);
    }

    [Theory]
    [InlineData("containerNumber,outcome\nMSCU1234566,CLEAR\n", ChannelRecordReader.CodeMissingColumn, 1)]
    [InlineData("containerNumber,outcome,at\nMSCU1234566,,2026-11-26T08:00:00Z\n", ChannelRecordReader.CodeMissingField, 2)]
    [InlineData("containerNumber,outcome,at\nMSCU1234566,CLEAR,2026-11-26T08:00:00\n", ChannelRecordReader.CodeInvalidTime, 2)]
    [InlineData("containerNumber,outcome,at\nMSCU1234566,CLEAR,yesterday\n", ChannelRecordReader.CodeInvalidTime, 2)]
    [InlineData("containerNumber,outcome,at\n\"MSCU1234566,CLEAR,2026-11-26T08:00:00Z\n", ChannelRecordReader.CodeUnreadable, 2)]
    [InlineData("[ { \"containerNumber\": 1 ", ChannelRecordReader.CodeUnreadable, 1)]
    [InlineData("", ChannelRecordReader.CodeUnreadable, 1)]
    public async Task Bad_input_is_a_positioned_coded_error(string text, string code, long line)
    {
        var (_, errors) = await Read(text);

        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(line, error.Line);
    }
}
