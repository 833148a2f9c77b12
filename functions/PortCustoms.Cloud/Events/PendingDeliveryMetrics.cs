using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Gauges of what waits for customs, from the durable pending index (so every instance reports the same queue):
/// <c>portcustoms.events.queue.depth</c>, <c>portcustoms.events.dead_letter.depth</c> (dead-lettered, waiting for a
/// fix and a replay) and <c>portcustoms.events.oldest_undelivered.age</c> in seconds (the alert fires over 60 s). Read every 30 s.
/// </summary>
public sealed class PendingDeliveryMetrics : BackgroundService
{
    public const string MeterName = "PortCustoms.Events.Queue";

    private readonly PendingDeliveryStore _pending;
    private readonly TimeProvider _time;
    private volatile PendingSummary? _last;

    public PendingDeliveryMetrics(PendingDeliveryStore pending, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _pending = pending ?? throw new ArgumentNullException(nameof(pending));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("portcustoms.events.queue.depth", () => _last is { } s ? [new Measurement<long>(s.Waiting)] : Array.Empty<Measurement<long>>(), "{event}", "Accepted events not yet delivered to customs.");
        meter.CreateObservableGauge("portcustoms.events.dead_letter.depth", () => _last is { } s ? [new Measurement<long>(s.DeadLettered)] : Array.Empty<Measurement<long>>(), "{event}", "Events dead-lettered (customs refused, or undeliverable through every delivery), waiting for a fix and a replay.");
        meter.CreateObservableGauge("portcustoms.events.oldest_undelivered.age", () => _last is { OldestAcceptedAt: { } at } ? [new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds))] : _last is null ? Array.Empty<Measurement<double>>() : [new Measurement<double>(0)], "s", "How long the oldest undelivered event has waited.");
    }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    public async Task RefreshAsync(CancellationToken cancellationToken = default) => _last = await _pending.SummarizeAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Storage down: the gauges keep their last reading until the next try.
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
