namespace PortCustoms.Core.Operations.Kpis;

/// <summary>
/// The operations desk's figures over a window (<c>GET /api/v1/kpis</c>), the same for the port's and the customs
/// authority's desks because both read them from the same durable rows. Rates and percentiles are null when nothing
/// happened in the window: no data is not 100 %.
/// </summary>
public sealed record KpiReport(
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    DeliveryKpis Delivery,
    GateKpis Gate,
    QueueKpis Queue,
    IReadOnlyDictionary<string, long> Notifications,
    IReadOnlyDictionary<string, BrokerFileKpis> Files,
    IReadOnlyDictionary<string, long> Discrepancies,
    UnmappedCodeKpis UnmappedCodes,
    IReadOnlyList<KpiInterval> Series,
    IReadOnlyList<string> Instances);

/// <summary>Status events to customs: success rate is delivered / (delivered + failed attempts), against the agreed 0.995.</summary>
public sealed record DeliveryKpis(
    long Delivered,
    long Failed,
    double? SuccessRate,
    double TargetSuccessRate,
    bool? TargetMet,
    IReadOnlyDictionary<string, long> DeliveredByMessageType,
    IReadOnlyDictionary<string, long> FailedByCategory,
    IReadOnlyDictionary<string, long> FailedByMessageType,
    long DeadLettered,
    IReadOnlyDictionary<string, long> DeadLetteredByReason,
    long Rejected,
    double? LatencyP95Seconds);

/// <summary>Gate answers: decisions and answer-time percentiles, against the agreed p95 of 3000 ms.</summary>
public sealed record GateKpis(
    long Answers,
    IReadOnlyDictionary<string, long> ByDecision,
    IReadOnlyDictionary<string, long> BySource,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double TargetP95Ms,
    bool? TargetMet,
    long LiveQueryFailures);

/// <summary>Events accepted and not yet delivered, as last observed; null when no instance reported it.</summary>
public sealed record QueueKpis(long? Depth, long? DeadLetterDepth, double? OldestUndeliveredSeconds, DateTimeOffset? ObservedAt);

public sealed record BrokerFileKpis(long Processed, long Quarantined, long Duplicate);

public sealed record UnmappedCodeKpis(long Total, IReadOnlyDictionary<string, long> ByMessageTypeAndField);

/// <summary>One step of the charts' time axis.</summary>
public sealed record KpiInterval(
    DateTimeOffset From,
    long Delivered,
    long Failed,
    double? SuccessRate,
    long GateAnswers,
    double? GateP95Ms,
    long? QueueDepth,
    IReadOnlyDictionary<string, long> Errors);
