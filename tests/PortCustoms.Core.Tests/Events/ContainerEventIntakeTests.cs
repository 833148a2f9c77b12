using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PortCustoms.Core.Events;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Core.Tests.Events;

/// <summary>The status-event flow's intake without HTTP: every event checked, all queued or none, a typed result.</summary>
public sealed class ContainerEventIntakeTests
{
    private readonly SwitchablePublisher _publisher = new();
    private readonly FakeLogger<ContainerEventIntake> _logger = new();

    private ContainerEventIntake Intake() => new(_publisher, new ContainerEventMetrics(), _logger);

    private static ReadOnlyMemory<byte> Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task AcceptAsync_ValidEvents_AcceptedAndQueued()
    {
        var result = await Intake().AcceptAsync(Utf8(ValidJson));

        Assert.Equal(EventIntakeStatus.Accepted, result.Status);
        Assert.Equal(["E-778899"], result.AcceptedEventIds);
        Assert.Equal(1, _publisher.Published);
    }

    [Fact]
    public async Task AcceptAsync_Malformed_RejectedAndNothingQueued()
    {
        var result = await Intake().AcceptAsync(Utf8("not json"));

        Assert.Equal(EventIntakeStatus.Rejected, result.Status);
        Assert.NotNull(result.Batch.Malformed);
        Assert.Equal(0, _publisher.Published);
    }

    [Fact]
    public async Task AcceptAsync_OneEventInTheFuture_TheWholeRequestRejected()
    {
        var future = ValidJson.Replace("E-778899", "E-F", StringComparison.Ordinal).Replace("\"2026-11-26T03:02:00Z\"", "\"2099-01-01T00:00:00Z\"", StringComparison.Ordinal);

        var result = await Intake().AcceptAsync(Utf8($"[{ValidJson}, {future}]"));

        Assert.Equal(EventIntakeStatus.Rejected, result.Status);
        Assert.Equal(1, Assert.Single(result.Batch.Failures).Index);
        Assert.Equal(0, _publisher.Published);
    }

    [Fact]
    public async Task AcceptAsync_QueueDown_UnavailableAndLoggedNeverThrown()
    {
        _publisher.Fail = true;

        var result = await Intake().AcceptAsync(Utf8(ValidJson));

        Assert.Equal(EventIntakeStatus.Unavailable, result.Status);
        Assert.Empty(result.AcceptedEventIds);
        var logged = _logger.Collector.LatestRecord;
        Assert.Equal((LogLevel.Error, 3400), (logged.Level, logged.Id.Id));
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task AcceptAsync_Cancelled_Throws()
    {
        _publisher.Fail = true;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Intake().AcceptAsync(Utf8(ValidJson), cancelled.Token));
    }

    private sealed class SwitchablePublisher : ContainerEventPublisher
    {
        public int Published { get; private set; }

        public bool Fail { get; set; }

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new InvalidOperationException("Service Bus unreachable");
            }
            Published += events.Count;
            return Task.CompletedTask;
        }
    }
}
