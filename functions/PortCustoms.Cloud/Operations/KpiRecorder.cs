using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Operations.Kpis;

namespace PortCustoms.Cloud.Operations;

public sealed class KpiOptions
{
    public const string SectionName = "Operations:Kpis";

    /// <summary>How often this instance writes its minute rows (the most a crash can lose).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long minute rows are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>The table of minute rows; every instance of one deployment must name the same.</summary>
    public string TableName { get; set; } = TableMetricMinuteStore.DefaultTableName;

    /// <summary>This instance's name in the rows; by default the App Service instance id, or a new id per process.</summary>
    public string? InstanceId { get; set; }
}

/// <summary>
/// Listens to the app's own instruments (those its <see cref="IMeterFactory"/> made, so a second app in the same
/// process is not counted twice) and writes what they measured to <see cref="TableMetricMinuteStore"/> every
/// <see cref="KpiOptions.FlushInterval"/> and at shutdown. The KPIs are read back from those rows, never from one
/// instance's memory. A failed write is retried at the next tick; the OpenTelemetry export is untouched.
/// </summary>
public sealed partial class KpiRecorder : BackgroundService
{
    private readonly IMeterFactory _meters;
    private readonly TableMetricMinuteStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<KpiRecorder> _logger;
    private readonly KpiOptions _options;
    private readonly MeterListener _listener;
    private DateTimeOffset _lastCleanup;

    public KpiRecorder(IMeterFactory meters, TableMetricMinuteStore store, TimeProvider time, IOptions<KpiOptions> options, ILogger<KpiRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _meters = meters ?? throw new ArgumentNullException(nameof(meters));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options.Value;
        Accumulator = new MetricAccumulator(string.IsNullOrWhiteSpace(_options.InstanceId) ? Guid.NewGuid().ToString("N")[..12] : _options.InstanceId);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, _meters) && instrument.Meter.Name.StartsWith("PortCustoms.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument, KindOf(instrument));
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, state, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(instrument, state, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, state, value, tags));
        _listener.Start();
    }

    internal MetricAccumulator Accumulator { get; }

    private static MetricKind KindOf(Instrument instrument) => instrument switch
    {
        Histogram<double> or Histogram<long> or Histogram<int> => MetricKind.Histogram,
        ObservableGauge<double> or ObservableGauge<long> or ObservableGauge<int> or Gauge<double> or Gauge<long> or Gauge<int> => MetricKind.Gauge,
        _ => MetricKind.Sum,
    };

    private void Record(Instrument instrument, object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Accumulator.Record(_time.GetUtcNow(), instrument.Name, state is MetricKind kind ? kind : MetricKind.Sum, instrument.Unit, value, tags);

    /// <summary>Observes the gauges and writes every changed row; false when the store refused (the rows stay for the next try).</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        _listener.RecordObservableInstruments();
        var dirty = Accumulator.Dirty();
        try
        {
            await _store.WriteAsync(dirty.Select(d => d.Row).ToList(), cancellationToken).ConfigureAwait(false);
            Accumulator.Written(dirty, _time.GetUtcNow());
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFlushFailed(_logger, dirty.Count, Accumulator.Dropped, ex);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
                await CleanUpAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // What this instance measured since the last tick is written before it goes, within a few seconds: a store that
        // hangs must not hold the shutdown (those counts are then lost, as in a crash).
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await FlushAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogFlushFailed(_logger, Accumulator.Dirty().Count, Accumulator.Dropped, new TimeoutException("KPI rows not written at shutdown: storage did not answer in time."));
        }
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastCleanup < TimeSpan.FromHours(1))
        {
            return;
        }
        _lastCleanup = now;
        try
        {
            await _store.DeleteBeforeAsync(now - _options.Retention, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCleanupFailed(_logger, ex);
        }
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "KPI rows not written ({Rows} waiting, {Dropped} dropped so far); retried at the next tick.")]
    private static partial void LogFlushFailed(ILogger logger, int rows, long dropped, Exception exception);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Old KPI rows not deleted; retried in an hour.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
