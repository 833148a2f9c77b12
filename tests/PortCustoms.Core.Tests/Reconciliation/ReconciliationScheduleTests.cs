using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Core.Tests.Reconciliation;

public sealed class ReconciliationScheduleTests
{
    private static ReconciliationSchedule Amsterdam(TimeOnly? start = null, TimeOnly? end = null) => new(new ReconciliationOptions
    {
        TimeZone = "Europe/Amsterdam",
        BatchWindowStart = start ?? new TimeOnly(2, 0),
        BatchWindowEnd = end ?? new TimeOnly(5, 0),
        DeadlineTime = new TimeOnly(6, 0),
    });

    [Theory]
    [InlineData("2026-11-26T00:59:59Z", false)] // 01:59:59 local (UTC+1)
    [InlineData("2026-11-26T01:00:00Z", true)]  // 02:00 local
    [InlineData("2026-11-26T03:59:59Z", true)]
    [InlineData("2026-11-26T04:00:00Z", false)] // 05:00 local: the end is exclusive
    [InlineData("2026-07-01T00:30:00Z", true)]  // 02:30 local in summer (UTC+2)
    [InlineData("2026-07-01T03:00:00Z", false)] // 05:00 local in summer
    public void IsInBatchWindow_LocalTimeInTheConfiguredZone(string utc, bool expected)
    {
        Assert.Equal(expected, Amsterdam().IsInBatchWindow(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void IsInBatchWindow_WindowPastMidnight_Wraps()
    {
        var schedule = Amsterdam(new TimeOnly(22, 0), new TimeOnly(3, 0));
        Assert.True(schedule.IsInBatchWindow(new DateTimeOffset(2026, 11, 26, 22, 30, 0, TimeSpan.Zero))); // 23:30 local
        Assert.True(schedule.IsInBatchWindow(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero)));   // 02:00 local
        Assert.False(schedule.IsInBatchWindow(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void DeadlineAfter_BeforeTheHour_SameLocalDay()
    {
        var deadline = Amsterdam().DeadlineAfter(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.FromHours(1)), deadline);
    }

    [Fact]
    public void DeadlineAfter_AfterTheHour_NextLocalDay()
    {
        var deadline = Amsterdam().DeadlineAfter(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.FromHours(1)), deadline);
    }

    [Fact]
    public void DeadlineAfter_AcrossTheSpringChange_UsesTheSummerOffset()
    {
        // 29 March 2026: clocks go from 02:00 to 03:00 in Amsterdam; 06:00 that day is UTC+2.
        var deadline = Amsterdam().DeadlineAfter(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero), deadline.ToUniversalTime());
    }

    [Fact]
    public void Ctor_UnknownZone_Throws()
    {
        Assert.ThrowsAny<Exception>(() => new ReconciliationSchedule(new ReconciliationOptions { TimeZone = "Mars/Olympus" }));
    }
}
