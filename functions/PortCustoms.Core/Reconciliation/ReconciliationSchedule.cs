namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// The port-local times of reconciliation (batch window, deadline) turned into instants, in the configured IANA zone,
/// across daylight-saving changes. Pure: the caller passes the time.
/// </summary>
public sealed class ReconciliationSchedule
{
    private readonly ReconciliationOptions _options;
    private readonly TimeZoneInfo _zone;

    public ReconciliationSchedule(ReconciliationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
    }

    /// <summary>Within [start, end) local time; a window past midnight (22:00-03:00) wraps.</summary>
    public bool IsInBatchWindow(DateTimeOffset now)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _zone).DateTime);
        var (start, end) = (_options.BatchWindowStart, _options.BatchWindowEnd);
        return start <= end ? local >= start && local < end : local >= start || local < end;
    }

    /// <summary>The next occurrence of the deadline's local time strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset DeadlineAfter(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        var candidate = local.Date + _options.DeadlineTime.ToTimeSpan();
        for (var day = 0; day < 3; day++, candidate = candidate.AddDays(1))
        {
            // A local time skipped by a DST change moves to the first valid minute after it.
            var wall = candidate;
            while (_zone.IsInvalidTime(wall))
            {
                wall = wall.AddMinutes(1);
            }
            var instant = new DateTimeOffset(wall, _zone.GetUtcOffset(wall));
            if (instant > now)
            {
                return instant;
            }
        }
        return now.AddDays(1);
    }

    public DateTimeOffset ResolveUntil(DateTimeOffset now) => now + _options.ResolutionWindow;
}
