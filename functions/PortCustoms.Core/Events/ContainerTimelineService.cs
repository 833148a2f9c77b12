using Microsoft.Extensions.Options;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>One event as the container view shows it.</summary>
public sealed record TimelineEntryView(ContainerStatusEvent Event, long Arrival, bool OutOfOrder, bool DeliveredToCustoms, int DuplicateArrivals);

/// <summary>The port-side history of a container: events in the order they happened, where it is, and its anomalies.</summary>
public sealed record ContainerTimelineView(
    ContainerNumber ContainerNumber,
    ContainerPresence Presence,
    IReadOnlyList<TimelineEntryView> Events,
    IReadOnlyList<ContainerAnomaly> Anomalies);

/// <summary>The query behind <c>GET /api/v1/containers/{containerNumber}</c> (timeline and anomalies).</summary>
public sealed class ContainerTimelineService
{
    private readonly ContainerTimelineStore _store;
    private readonly ContainerEventOptions _options;
    private readonly TimeProvider _time;

    public ContainerTimelineService(ContainerTimelineStore store, IOptions<ContainerEventOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The container's timeline; an empty one when no event is known.</summary>
    public async Task<ContainerTimelineView> GetAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var timeline = await _store.LoadAsync(containerNumber, cancellationToken);
        var events = timeline.Entries
            .Select(e => new TimelineEntryView(e.Event, e.Arrival, e.OutOfOrder, e.Delivered, e.DuplicateArrivals))
            .ToArray();
        var anomalies = new List<ContainerAnomaly>(timeline.GetAnomalies());

        // Still in the terminal after a discharge longer than the dwell: an open anomaly, visible before the gate-out.
        if (timeline.Presence == ContainerPresence.InTerminal
            && ContainerEventMessageHandler.DischargeBefore(timeline, timeline.Entries.Count) is { } discharged
            && _time.GetUtcNow() - discharged.OccurredAt > _options.MaxDwell)
        {
            anomalies.Add(new ContainerAnomaly(ContainerAnomalyKind.DwellExceeded, AnomalySeverity.Warning, discharged.EventId, discharged.OccurredAt,
                $"in the terminal {(_time.GetUtcNow() - discharged.OccurredAt).TotalDays:F1} days since discharge (limit {_options.MaxDwell.TotalDays:F1})"));
        }
        return new ContainerTimelineView(containerNumber, timeline.Presence, events, anomalies);
    }
}
