using System.Diagnostics.Metrics;

namespace PortCustoms.Core.Gate;

/// <summary>Gate counters on the <c>PortCustoms.Gate</c> meter.</summary>
public sealed class GateMetrics
{
    public const string MeterName = "PortCustoms.Gate";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _answerDuration;
    private readonly Counter<long> _liveQueryFailures;
    private readonly Histogram<double> _liveQueryDuration;
    private readonly Counter<long> _storeFailures;
    private readonly Counter<long> _unmappedCodes;
    private readonly Counter<long> _notifications;

    public GateMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("portcustoms.gate.decisions", unit: "{decision}", description: "Gate decisions, by decision and source.");
        _answerDuration = meter.CreateHistogram<double>("portcustoms.gate.answer.duration", unit: "ms", description: "Time to decide a gate answer (store, live query, audit insert), by decision and source; the 3 s target is on its p95.");
        _liveQueryFailures = meter.CreateCounter<long>("portcustoms.gate.live_query.failures", unit: "{failure}", description: "Live customs queries that gave no usable answer, by outcome.");
        _liveQueryDuration = meter.CreateHistogram<double>("portcustoms.gate.live_query.duration", unit: "ms", description: "Live customs query duration.");
        _notifications = meter.CreateCounter<long>("portcustoms.customs.notifications", unit: "{notification}", description: "Customs notifications received, by outcome (APPLIED, STALE, DUPLICATE, CONFLICT).");
        _unmappedCodes = meter.CreateCounter<long>("portcustoms.codes.unmapped", unit: "{code}", description: "Codes the configured code lists do not map, seen in customs messages (held, never dropped), by message type and field.");
        _storeFailures = meter.CreateCounter<long>("portcustoms.gate.store.failures", unit: "{failure}", description: "Storage operations of gate answers that failed or passed Gate:StoreTimeout, by operation and kind.");
    }

    internal void Decided(GateDecision decision, DecisionSource source, TimeSpan elapsed)
    {
        var (decisionTag, sourceTag) = (new KeyValuePair<string, object?>("decision", decision.ToName()), new KeyValuePair<string, object?>("source", source.ToName()));
        _decisions.Add(1, decisionTag, sourceTag);
        _answerDuration.Record(elapsed.TotalMilliseconds, decisionTag, sourceTag);
    }

    internal void NotificationReceived(Customs.NotificationOutcome outcome) =>
        _notifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToUpperInvariant()));

    /// <summary>
    /// A code no configured code list maps was seen and held on. Tagged by message type and field only: the code itself
    /// comes from input and would give the metric unbounded cardinality (it is named in the log and the receipt).
    /// </summary>
    public void UnmappedCode(string messageType, string field) =>
        _unmappedCodes.Add(1, new KeyValuePair<string, object?>("messageType", messageType), new KeyValuePair<string, object?>("field", field));

    internal void StoreFailed(StoreOperation operation, bool timedOut) =>
        _storeFailures.Add(1, new KeyValuePair<string, object?>("operation", operation.ToString()), new KeyValuePair<string, object?>("kind", timedOut ? "timeout" : "error"));

    internal void LiveQueried(CustomsLiveQueryResult result)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", result.Outcome.ToString());
        _liveQueryDuration.Record(result.Elapsed.TotalMilliseconds, outcome);
        if (result.Outcome != CustomsLiveQueryOutcome.Answered)
        {
            _liveQueryFailures.Add(1, outcome);
        }
    }
}
