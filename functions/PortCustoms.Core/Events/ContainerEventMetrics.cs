using System.Diagnostics.Metrics;

namespace PortCustoms.Core.Events;

/// <summary>The status-event flow's instruments (meter <c>PortCustoms.Events</c>).</summary>
public sealed class ContainerEventMetrics : IDisposable
{
    public const string MeterName = "PortCustoms.Events";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _anomalies;
    private readonly Counter<long> _processingRetries;
    private readonly Histogram<double> _latency;

    public ContainerEventMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _accepted = _meter.CreateCounter<long>("portcustoms.events.accepted", "{event}", "Events validated and put on the queue.");
        _rejected = _meter.CreateCounter<long>("portcustoms.events.rejected", "{request}", "Event requests refused as invalid.");
        _processed = _meter.CreateCounter<long>("portcustoms.events.processed", "{event}", "Messages taken by the sequencer, by outcome.");
        _delivered = _meter.CreateCounter<long>("portcustoms.events.delivered", "{event}", "Events delivered to customs.");
        _deliveryFailures = _meter.CreateCounter<long>("portcustoms.events.delivery_failures", "{attempt}", "Failed delivery attempts, by outcome.");
        _deadLettered = _meter.CreateCounter<long>("portcustoms.events.dead_lettered", "{message}", "Messages dead-lettered, by reason.");
        _anomalies = _meter.CreateCounter<long>("portcustoms.events.anomalies", "{anomaly}", "Anomalies found, by kind and severity.");
        _processingRetries = _meter.CreateCounter<long>("portcustoms.events.processing_retries", "{attempt}", "Messages held for another attempt after the store or the queue failed (no delivery used).");
        _latency = _meter.CreateHistogram<double>("portcustoms.events.delivery_latency", "s", "From enqueue to customs' acceptance.");
    }

    internal Meter Meter => _meter;

    public void Accepted(int count) => _accepted.Add(count);

    public void Rejected() => _rejected.Add(1);

    public void ProcessingRetried() => _processingRetries.Add(1);

    public void Processed(SequencingOutcome outcome) => _processed.Add(1, new KeyValuePair<string, object?>("outcome", outcome == SequencingOutcome.Duplicate ? "duplicate" : "applied"));

    public void Delivered(TimeSpan sinceEnqueued, string messageType = "STATUS-EVENT")
    {
        var type = new KeyValuePair<string, object?>("messageType", messageType);
        _delivered.Add(1, type);
        _latency.Record(Math.Max(0, sinceEnqueued.TotalSeconds), type);
    }

    public void DeliveryFailed(CustomsDeliveryOutcome outcome, string messageType = "STATUS-EVENT", string category = "other") =>
        _deliveryFailures.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome == CustomsDeliveryOutcome.PermanentFailure ? "permanent" : "transient"),
            new KeyValuePair<string, object?>("messageType", messageType),
            new KeyValuePair<string, object?>("category", category));

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Anomaly(ContainerAnomalyKind kind, AnomalySeverity severity) =>
        _anomalies.Add(1, new KeyValuePair<string, object?>("kind", ContainerAnomaly.ToWireName(kind)), new KeyValuePair<string, object?>("severity", severity == AnomalySeverity.Alarm ? "alarm" : "warning"));

    public void Dispose() => _meter.Dispose();
}
