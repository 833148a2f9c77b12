using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Fixtures;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Customs;

public sealed class CustomsNotificationServiceTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly FakeLogger<CustomsNotificationService> _logger = new();
    private readonly CustomsNotificationService _service;

    public CustomsNotificationServiceTests() =>
        _service = new CustomsNotificationService(new InMemoryCustomsStateStore(), new GateMetrics(_meters), _logger);

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task ReceiveAsync_SameIdOtherContent_ConflictCountedAndLoggedAsAWarningNamingTheId()
    {
        using var counted = new MetricCollector<long>(_meters, GateMetrics.MeterName, "portcustoms.customs.notifications");
        await _service.ReceiveAsync(Notification("X", CustomsStatus.Released, 30));

        var outcome = await _service.ReceiveAsync(Notification("X", CustomsStatus.Hold, 40));

        Assert.Equal(NotificationOutcome.Conflict, outcome);
        Assert.Equal(["APPLIED", "CONFLICT"], counted.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
        var logged = _logger.Collector.LatestRecord;
        Assert.Equal((LogLevel.Warning, 3011), (logged.Level, logged.Id.Id));
        Assert.Contains("X", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_TimeWithoutZone_LoggedAsAWarning()
    {
        await _service.ReceiveAsync(Notification("U", CustomsStatus.Released, 30) with { IssuedAtZoned = false });

        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Id.Id == 3012 && r.Message.Contains("U", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceiveAsync_IssuedFurtherInTheFutureThanTheSkew_RefusedWhateverIntakeCalledIt()
    {
        var store = new InMemoryCustomsStateStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var service = new CustomsNotificationService(store, new GateMetrics(_meters), _logger, time, new StaticOptionsMonitor<GateOptions>(new GateOptions()));

        await Assert.ThrowsAsync<ArgumentException>(() => service.ReceiveAsync(Notification("F", CustomsStatus.Released, 6)));
        Assert.Equal(NotificationOutcome.Applied, await service.ReceiveAsync(Notification("S", CustomsStatus.Released, 5)));
        Assert.Equal(["S"], (await store.GetHistoryAsync(Msc)).Select(h => h.Notification.NotificationId));
    }
}
