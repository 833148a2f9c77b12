using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Functions.Reconciliation;

/// <summary>
/// The reconciliation's meter (<c>PortCustoms.Reconciliation</c>): discrepancies per kind, the alert counter for kinds
/// the port marks critical (an alert rule watches it), and missed deadlines.
/// </summary>
public sealed class ReconciliationMetrics : IDisposable
{
    public const string MeterName = "PortCustoms.Reconciliation";

    private readonly Meter _meter;
    private readonly Counter<long> _discrepancies;
    private readonly Counter<long> _criticalAlerts;
    private readonly Counter<long> _deadlinesMissed;

    public ReconciliationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _discrepancies = _meter.CreateCounter<long>("portcustoms.reconciliation.discrepancies", unit: "{discrepancy}", description: "Discrepancies found, by kind.");
        _criticalAlerts = _meter.CreateCounter<long>("portcustoms.reconciliation.critical_alerts", unit: "{alert}", description: "Critical discrepancies found (alert), by kind.");
        _deadlinesMissed = _meter.CreateCounter<long>("portcustoms.reconciliation.deadlines_missed", unit: "{run}", description: "Runs not complete by the configured deadline.");
    }

    public void Reported(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var group in report.Discrepancies.GroupBy(d => (d.Code, d.Critical)))
        {
            var kind = new KeyValuePair<string, object?>("kind", group.Key.Code);
            _discrepancies.Add(group.Count(), kind);
            if (group.Key.Critical)
            {
                _criticalAlerts.Add(group.Count(), kind, new KeyValuePair<string, object?>("vessel_call", report.VesselCall));
            }
        }
    }

    public void DeadlineMissed(string vesselCall) => _deadlinesMissed.Add(1, new KeyValuePair<string, object?>("vessel_call", vesselCall));

    public void Dispose() => _meter.Dispose();
}

internal static partial class ReconciliationLog
{
    [LoggerMessage(EventId = 1410, Level = LogLevel.Error, Message = "Reconciliation {InstanceId} of vessel call {VesselCall} is not complete by its deadline {Deadline}: escalated.")]
    public static partial void ReconciliationDeadlineMissed(this ILogger logger, string instanceId, string vesselCall, DateTimeOffset deadline);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Information, Message = "Reconciliation {InstanceId} started ({Trigger}, run {Run}).")]
    public static partial void ReconciliationStarted(this ILogger logger, string instanceId, string trigger, int run);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Warning, Message = "Reconciliation {InstanceId} could not run: {Code}.")]
    public static partial void ReconciliationRefused(this ILogger logger, string instanceId, string code);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Information, Message = "Reconciliation {InstanceId} reported {Total} discrepancies.")]
    public static partial void ReconciliationReported(this ILogger logger, string instanceId, int total);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "Reconciliation timer could not start vessel call {VesselCall}.")]
    public static partial void ReconciliationStartFailed(this ILogger logger, Exception exception, string vesselCall);
}
