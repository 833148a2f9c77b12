namespace PortCustoms.Core.Operations.Kpis;

/// <summary>The instrument names the KPIs are read from (stable: dashboards and alert rules name them too).</summary>
public static class KpiInstruments
{
    public const string Delivered = "portcustoms.events.delivered";
    public const string DeliveryFailures = "portcustoms.events.delivery_failures";
    public const string DeliveryLatency = "portcustoms.events.delivery_latency";
    public const string DeadLettered = "portcustoms.events.dead_lettered";
    public const string EventsRejected = "portcustoms.events.rejected";
    public const string QueueDepth = "portcustoms.events.queue.depth";
    public const string DeadLetterDepth = "portcustoms.events.dead_letter.depth";
    public const string OldestUndeliveredAge = "portcustoms.events.oldest_undelivered.age";
    public const string GateDecisions = "portcustoms.gate.decisions";
    public const string GateAnswerDuration = "portcustoms.gate.answer.duration";
    public const string GateLiveQueryFailures = "portcustoms.gate.live_query.failures";
    public const string Notifications = "portcustoms.customs.notifications";
    public const string UnmappedCodes = "portcustoms.codes.unmapped";
    public const string BatchFiles = "portcustoms.batch.files";
    public const string Discrepancies = "portcustoms.reconciliation.discrepancies";
}
