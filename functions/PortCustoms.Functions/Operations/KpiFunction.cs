using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Operations;
using PortCustoms.Core.Events;
using PortCustoms.Core.Operations.Kpis;
using PortCustoms.Core.Intake;
using PortCustoms.Functions.Http;

namespace PortCustoms.Functions.Operations;

/// <summary>
/// <c>GET /api/v1/kpis?window=PT1H</c>: the operations KPIs over a window ending now, computed from the minute rows
/// every instance writes (<see cref="KpiRecorder"/>), so any instance and any restart gives the same answer; with the
/// newest quarantined files for the operations page.
/// </summary>
public sealed partial class KpiFunction(TableMetricMinuteStore store, BatchLedger ledger, TimeProvider time, ILogger<KpiFunction> logger, PendingDeliveryStore? pending = null)
{
    private const int QuarantinedListed = 50;

    [Function("Kpis")]
    [CallerRoles(CallerRole.Operator)]
    [ProducesResponseType<KpiResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/kpis")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query["window"].ToString();
        if (!KpiCalculator.TryParseWindow(text.Length == 0 ? null : text, out var window, out var error))
        {
            var errors = new FieldErrors();
            errors.Add("window", error!);
            return Problems.Invalid(errors, "The KPI window is not valid.");
        }
        var (from, to) = KpiCalculator.Bounds(window, time.GetUtcNow());
        try
        {
            var rows = await store.ReadAsync(from, to, cancellationToken).ConfigureAwait(false);
            var report = KpiCalculator.Calculate(text.Length == 0 ? "PT1H" : text, from, to, rows);
            if (pending is not null)
            {
                // The queue as it stands now, from the durable pending index rather than the last gauge reading.
                var now = await pending.SummarizeAsync(cancellationToken).ConfigureAwait(false);
                report = report with { Queue = new QueueKpis(now.Waiting, now.DeadLettered, now.OldestAcceptedAt is { } at ? Math.Max(0, (time.GetUtcNow() - at).TotalSeconds) : 0, time.GetUtcNow()) };
            }
            var quarantined = await ledger.ListQuarantinedAsync(from, QuarantinedListed, cancellationToken).ConfigureAwait(false);
            return new OkObjectResult(new KpiResponse(report, quarantined.Select(QuarantinedFile.From).ToList()));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, ex);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "KPIs unavailable", "The KPI rows could not be read from storage; try again.");
        }
    }

    [LoggerMessage(EventId = 9110, Level = LogLevel.Warning, Message = "KPIs could not be read from storage.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    /// <summary>The report's fields at the top level, then the quarantined files.</summary>
    [VisibleTo(CallerRole.Operator)]
    public sealed record KpiResponse(
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
        IReadOnlyList<string> Instances,
        IReadOnlyList<QuarantinedFile> QuarantinedFiles)
    {
        public KpiResponse(KpiReport report, IReadOnlyList<QuarantinedFile> quarantined)
            : this(report.Window, report.From, report.To, report.Delivery, report.Gate, report.Queue, report.Notifications, report.Files,
                report.Discrepancies, report.UnmappedCodes, report.Series, report.Instances, quarantined)
        {
        }
    }

    [VisibleTo(CallerRole.Operator)]
    public sealed record QuarantinedFile(string Broker, string Name, DateTimeOffset? DecidedAt, string? Destination, long Bytes)
    {
        public static QuarantinedFile From(BatchDropRecord drop) => new(drop.Broker, drop.Name, drop.DecidedAt, drop.Destination, drop.Bytes);
    }
}
