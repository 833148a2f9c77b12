using System.Collections.Concurrent;
using PortCustoms.Core.Events;

namespace PortCustoms.Core.Tests.Events.Fixtures;

/// <summary>A customs sink that answers from a script (then <see cref="Otherwise"/>) and records what it accepted.</summary>
public sealed class RecordingCustomsSink : CustomsEventSink
{
    private readonly ConcurrentQueue<CustomsDeliveryResult> _script = new();

    public ConcurrentQueue<CustomsStatusNotice> Delivered { get; } = new();

    public int Attempts => _attempts;

    private int _attempts;

    public CustomsDeliveryResult Otherwise { get; set; } = CustomsDeliveryResult.Delivered;

    public RecordingCustomsSink Then(params CustomsDeliveryResult[] results)
    {
        foreach (var r in results)
        {
            _script.Enqueue(r);
        }
        return this;
    }

    public override Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _attempts);
        var result = _script.TryDequeue(out var next) ? next : Otherwise;
        if (result.Outcome == CustomsDeliveryOutcome.Delivered)
        {
            Delivered.Enqueue(notice);
        }
        return Task.FromResult(result);
    }
}

/// <summary>A release lookup with a fixed answer.</summary>
public sealed class FixedReleaseLookup(CustomsClearance release, CustomsClearance export = CustomsClearance.Released) : ICustomsReleaseLookup
{
    public ValueTask<CustomsClearance> IsReleasedAsync(PortCustoms.Core.Model.ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(release);

    public ValueTask<CustomsClearance> IsExportClearedAsync(PortCustoms.Core.Model.ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(export);
}

/// <summary>A clock the test moves.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
