using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Residency;

namespace PortCustoms.Core.Events;

public enum EventIntakeStatus : byte
{
    None = 0,

    /// <summary>Every event is on the queue.</summary>
    Accepted,

    /// <summary>The body or at least one event is invalid; nothing was queued.</summary>
    Rejected,

    /// <summary>
    /// The queue did not take them all (logged): some may be queued. A resend of the same request is safe, the queue
    /// drops duplicates by event id.
    /// </summary>
    Unavailable,
}

/// <summary>The outcome of <see cref="ContainerEventIntake.AcceptAsync"/>.</summary>
public sealed record EventIntakeResult(EventIntakeStatus Status, ContainerEventBatch Batch)
{
    /// <summary>Whether the queue the events went to survives the process (false: LocalHost's in-memory queue).</summary>
    public bool Durable { get; init; } = true;

    public IReadOnlyList<string> AcceptedEventIds =>
        Status == EventIntakeStatus.Accepted ? Batch.Events.Select(e => e.EventId).ToArray() : [];
}

/// <summary>
/// The status-event flow's intake without its transport (<c>POST /api/v1/events</c>): parse (one event or an array) ->
/// validate every event (check digits, type, time with offset and not in the future, code lists) -> rule (all or
/// none) -> queue -> a typed <see cref="EventIntakeResult"/>. Validation is complete before anything is sent, so an
/// invalid request queues nothing.
/// </summary>
public sealed class ContainerEventIntake
{
    private readonly ContainerEventPublisher _publisher;
    private readonly ContainerEventMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ResidencyGuard? _residency;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ContainerEventOptions>? _options;
    private readonly CodeLists.CodeListService _codeLists;
    private readonly Versions.MessageVersionPolicy? _versions;

    public ContainerEventIntake(
        ContainerEventPublisher publisher,
        ContainerEventMetrics metrics,
        ILogger<ContainerEventIntake>? logger = null,
        ResidencyGuard? residency = null,
        TimeProvider? time = null,
        IOptionsMonitor<ContainerEventOptions>? options = null,
        CodeLists.CodeListService? codeLists = null,
        Versions.MessageVersionPolicy? versions = null)
    {
        _codeLists = codeLists ?? CodeLists.CodeListService.Shipped;
        _versions = versions;
        _time = time ?? TimeProvider.System;
        _options = options;
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(metrics);
        _publisher = publisher;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _residency = residency;
    }

    /// <summary>
    /// Validates and queues the events of one request. A queue that fails is <see cref="EventIntakeStatus.Unavailable"/>
    /// (logged); throws <see cref="ResidencyViolationException"/> before reading anything when customs data may not be
    /// processed here.
    /// </summary>
    public async Task<EventIntakeResult> AcceptAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        _residency?.EnsureAllowed();
        var skew = _options?.CurrentValue.MaxClockSkew ?? new ContainerEventOptions().MaxClockSkew;
        var batch = ContainerStatusEventReader.ReadBatch(body.Span, _time.GetUtcNow() + skew, _codeLists, _versions);
        if (!batch.IsValid)
        {
            _metrics.Rejected();
            _logger.EventsRejected(batch.Failures.Count);
            return new EventIntakeResult(EventIntakeStatus.Rejected, batch);
        }
        try
        {
            await _publisher.PublishAsync(batch.Events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the queue, the caller is told to resend (never a 500 that hides it), and the log says why.
            _logger.EventsNotQueued(ex, batch.Events.Count);
            return new EventIntakeResult(EventIntakeStatus.Unavailable, batch);
        }
        _metrics.Accepted(batch.Events.Count);
        _logger.EventsAccepted(batch.Events.Count);
        return new EventIntakeResult(EventIntakeStatus.Accepted, batch) { Durable = _publisher.IsDurable };
    }
}
