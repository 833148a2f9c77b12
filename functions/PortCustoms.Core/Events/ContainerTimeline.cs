using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>One event in a container's timeline, with how it arrived and whether customs has it.</summary>
public sealed class TimelineEntry
{
    public TimelineEntry(ContainerStatusEvent statusEvent, long arrival, bool outOfOrder)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        Event = statusEvent;
        Arrival = arrival;
        OutOfOrder = outOfOrder;
    }

    public ContainerStatusEvent Event { get; }

    /// <summary>1 for the first event that arrived for this container, 2 for the next...</summary>
    public long Arrival { get; }

    /// <summary>Arrived after an event that happened later.</summary>
    public bool OutOfOrder { get; }

    public bool Delivered { get; internal set; }

    /// <summary>How many more times the same event id arrived after the first.</summary>
    public int DuplicateArrivals { get; internal set; }

    /// <summary>Opaque concurrency token owned by the store (an ETag); null when not stored yet.</summary>
    public string? StoreVersion { get; set; }

    public EventKey Key => Event.Key;

    internal bool IsDirty { get; set; }
}

public enum SequencingOutcome : byte
{
    None = 0,

    /// <summary>New: inserted in its place in the timeline.</summary>
    Applied,

    /// <summary>Already in the timeline: no effect.</summary>
    Duplicate,
}

/// <summary>What applying one event did.</summary>
public readonly record struct SequencingResult(SequencingOutcome Outcome, TimelineEntry Entry, int Position, IReadOnlyList<ContainerAnomaly> NewTransitionAnomalies)
{
    public bool OutOfOrder => Outcome == SequencingOutcome.Applied && Entry.OutOfOrder;
}

/// <summary>
/// One container's history, kept in the order things happened (<see cref="EventKey"/>: instant, then event id), whatever
/// the order they arrived in. This is the sequencer: a duplicate has no effect, a late event is inserted in its place
/// and flagged, and impossible transitions are derived from the ordered history (so a late event can also resolve one).
/// Not thread-safe: one session consumer owns a container at a time.
/// </summary>
public sealed class ContainerTimeline
{
    private readonly List<TimelineEntry> _entries = [];
    private readonly Dictionary<string, TimelineEntry> _byId = new(StringComparer.Ordinal);
    private readonly List<ContainerAnomaly> _recorded = [];
    private readonly List<TimelineEntry> _dirty = [];
    private List<ContainerAnomaly> _transitions = [];
    private ContainerPresence _presence;

    public ContainerTimeline(ContainerNumber containerNumber)
    {
        if (containerNumber.IsEmpty)
        {
            throw new ArgumentException("A container number is required.", nameof(containerNumber));
        }
        ContainerNumber = containerNumber;
    }

    public ContainerNumber ContainerNumber { get; }

    /// <summary>In the order the events happened.</summary>
    public IReadOnlyList<TimelineEntry> Entries => _entries;

    /// <summary>How many distinct events have arrived (the last arrival number handed out).</summary>
    public long ArrivalCount { get; private set; }

    /// <summary>Where the last event (in time order) leaves the container.</summary>
    public ContainerPresence Presence => _presence;

    /// <summary>Anomalies found from the events' content and customs status (release, dwell, export clearance).</summary>
    public IReadOnlyList<ContainerAnomaly> RecordedAnomalies => _recorded;

    /// <summary>Impossible transitions in the ordered history as it stands now.</summary>
    public IReadOnlyList<ContainerAnomaly> TransitionAnomalies => _transitions;

    /// <summary>Opaque concurrency token of the timeline's head record, owned by the store.</summary>
    public string? StoreVersion { get; set; }

    /// <summary>Entries added or changed since the store last saved.</summary>
    public IReadOnlyList<TimelineEntry> DirtyEntries => _dirty;

    public bool HeadDirty { get; private set; }

    public bool TryGetEntry(string eventId, out TimelineEntry entry) => _byId.TryGetValue(eventId, out entry!);

    /// <summary>Applies one event (the sequencer step).</summary>
    public SequencingResult Apply(ContainerStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(statusEvent);
        if (statusEvent.ContainerNumber != ContainerNumber)
        {
            throw new ArgumentException($"Event '{statusEvent.EventId}' is for {statusEvent.ContainerNumber}, not {ContainerNumber}.", nameof(statusEvent));
        }
        if (_byId.TryGetValue(statusEvent.EventId, out var existing))
        {
            return new SequencingResult(SequencingOutcome.Duplicate, existing, _entries.IndexOf(existing), []);
        }

        var key = statusEvent.Key;
        var position = _entries.Count;
        // The common case is in order: append without a search.
        if (position > 0 && _entries[^1].Key > key)
        {
            position = FindInsertPosition(key);
        }
        var outOfOrder = position < _entries.Count;
        var entry = new TimelineEntry(statusEvent, ++ArrivalCount, outOfOrder);
        _entries.Insert(position, entry);
        _byId.Add(statusEvent.EventId, entry);
        MarkDirty(entry);
        HeadDirty = true;

        IReadOnlyList<ContainerAnomaly> newAnomalies;
        if (!outOfOrder)
        {
            var (next, violation) = ContainerTransitions.Apply(_presence, statusEvent.Type);
            _presence = next;
            if (violation is null)
            {
                newAnomalies = [];
            }
            else
            {
                var anomaly = TransitionAnomaly(statusEvent, violation);
                _transitions.Add(anomaly);
                newAnomalies = [anomaly];
            }
        }
        else
        {
            newAnomalies = RecomputeTransitions();
        }
        return new SequencingResult(SequencingOutcome.Applied, entry, position, newAnomalies);
    }

    /// <summary>Counts a repeated arrival of an event already in the timeline.</summary>
    public void RecordDuplicateArrival(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.DuplicateArrivals++;
        MarkDirty(entry);
    }

    public void MarkDelivered(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.Delivered)
        {
            entry.Delivered = true;
            MarkDirty(entry);
        }
    }

    /// <summary>Records an anomaly found outside the transition rules; the same kind for the same event is kept once.</summary>
    public bool Record(ContainerAnomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        foreach (var known in _recorded)
        {
            if (known.Kind == anomaly.Kind && known.EventId == anomaly.EventId)
            {
                return false;
            }
        }
        _recorded.Add(anomaly);
        HeadDirty = true;
        return true;
    }

    /// <summary>All anomalies as the container view shows them: transitions, recorded ones, and arrival facts.</summary>
    public IReadOnlyList<ContainerAnomaly> GetAnomalies()
    {
        var all = new List<ContainerAnomaly>(_transitions.Count + _recorded.Count);
        all.AddRange(_transitions);
        all.AddRange(_recorded);
        foreach (var entry in _entries)
        {
            if (entry.OutOfOrder)
            {
                all.Add(new ContainerAnomaly(ContainerAnomalyKind.OutOfOrder, AnomalySeverity.Warning, entry.Event.EventId, entry.Event.OccurredAt,
                    $"arrived as number {entry.Arrival}, after an event that happened later; placed in time order"));
            }
            if (entry.DuplicateArrivals > 0)
            {
                all.Add(new ContainerAnomaly(ContainerAnomalyKind.Duplicate, AnomalySeverity.Warning, entry.Event.EventId, entry.Event.OccurredAt,
                    $"arrived {entry.DuplicateArrivals} more time(s); applied once"));
            }
        }
        return all;
    }

    /// <summary>Called by the store once everything dirty is durable.</summary>
    public void AcceptChanges()
    {
        foreach (var entry in _dirty)
        {
            entry.IsDirty = false;
        }
        _dirty.Clear();
        HeadDirty = false;
    }

    /// <summary>Rebuilds a stored entry (store use only): no sequencing, no anomalies until <see cref="CompleteRestore"/>.</summary>
    public TimelineEntry Restore(ContainerStatusEvent statusEvent, long arrival, bool outOfOrder, bool delivered, int duplicateArrivals, string? storeVersion)
    {
        var entry = new TimelineEntry(statusEvent, arrival, outOfOrder)
        {
            Delivered = delivered,
            DuplicateArrivals = duplicateArrivals,
            StoreVersion = storeVersion,
        };
        _entries.Add(entry);
        _byId.Add(statusEvent.EventId, entry);
        ArrivalCount = Math.Max(ArrivalCount, arrival);
        return entry;
    }

    /// <summary>Finishes a restore: sorts, recomputes transitions, and restores the recorded anomalies.</summary>
    public void CompleteRestore(IEnumerable<ContainerAnomaly> recorded, long arrivalCount)
    {
        _entries.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        _recorded.AddRange(recorded);
        ArrivalCount = Math.Max(ArrivalCount, arrivalCount);
        RecomputeTransitions();
        AcceptChanges();
    }

    private void MarkDirty(TimelineEntry entry)
    {
        if (!entry.IsDirty)
        {
            entry.IsDirty = true;
            _dirty.Add(entry);
        }
    }

    private int FindInsertPosition(EventKey key)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].Key < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private List<ContainerAnomaly> RecomputeTransitions()
    {
        var before = _transitions;
        var now = new List<ContainerAnomaly>();
        var presence = ContainerPresence.Unknown;
        foreach (var entry in _entries)
        {
            var (next, violation) = ContainerTransitions.Apply(presence, entry.Event.Type);
            presence = next;
            if (violation is not null)
            {
                now.Add(TransitionAnomaly(entry.Event, violation));
            }
        }
        _presence = presence;
        _transitions = now;
        var added = new List<ContainerAnomaly>();
        foreach (var anomaly in now)
        {
            if (!before.Contains(anomaly))
            {
                added.Add(anomaly);
            }
        }
        return added;
    }

    private static ContainerAnomaly TransitionAnomaly(ContainerStatusEvent e, string violation) =>
        new(ContainerAnomalyKind.ImpossibleTransition, AnomalySeverity.Warning, e.EventId, e.OccurredAt, violation);
}
