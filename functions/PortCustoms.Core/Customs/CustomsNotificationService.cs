using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Gate;

namespace PortCustoms.Core.Customs;

/// <summary>
/// Receives customs notifications: stores each durably (history and current state) before it is acknowledged. The last
/// line of the safety rules for every intake (HTTP JSON and EDIFACT, batch drops): a notification without id, container
/// or status, or issued further in the future than <see cref="GateOptions.MaxNotificationClockSkew"/>, is never stored.
/// The intakes refuse those with a named field or a positioned finding first (<see cref="CustomsNotificationIntake"/>).
/// </summary>
public sealed class CustomsNotificationService
{
    private readonly CustomsStateStore _store;
    private readonly GateMetrics _metrics;
    private readonly ILogger<CustomsNotificationService> _logger;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<GateOptions>? _options;

    public CustomsNotificationService(
        CustomsStateStore store,
        GateMetrics metrics,
        ILogger<CustomsNotificationService> logger,
        TimeProvider? time = null,
        IOptionsMonitor<GateOptions>? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _options = options;
    }

    /// <summary>
    /// The future-issue rule, one wording for every format: null when <paramref name="issuedAt"/> may be believed, else
    /// why not. A notification dated ahead of PortCustoms' clock would outrank every real one until then.
    /// </summary>
    public static string? IssuedInFuture(DateTimeOffset issuedAt, DateTimeOffset receivedAt, TimeSpan maxClockSkew) =>
        issuedAt > receivedAt + maxClockSkew
            ? $"issuedAt lies in the future (more than {maxClockSkew.TotalMinutes:0.#} minutes after PortCustoms' clock)."
            : null;

    public async Task<NotificationOutcome> ReceiveAsync(CustomsNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.ContainerNumber.IsEmpty || notification.Status == CustomsStatus.None || string.IsNullOrEmpty(notification.NotificationId))
        {
            throw new ArgumentException("A notification needs an id, a container number and a status.", nameof(notification));
        }
        var maxClockSkew = (_options?.CurrentValue ?? new GateOptions()).MaxNotificationClockSkew;
        if (IssuedInFuture(notification.IssuedAt, _time.GetUtcNow(), maxClockSkew) is { } future)
        {
            // The intakes refuse it first, naming the field; reaching here means a caller skipped them.
            throw new ArgumentException($"Notification '{notification.NotificationId}': {future}", nameof(notification));
        }
        var outcome = await _store.AddNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
        _metrics.NotificationReceived(outcome);
        if (outcome == NotificationOutcome.Conflict)
        {
            // Customs reused an id for other content: the first stands, this one is refused, and someone must look.
            _logger.NotificationConflict(notification.NotificationId, notification.ContainerNumber, notification.Status, notification.IssuedAt);
        }
        else
        {
            _logger.NotificationReceived(notification.NotificationId, notification.ContainerNumber, notification.Status, outcome);
        }
        if (!notification.IssuedAtZoned)
        {
            _logger.NotificationWithoutTimeZone(notification.NotificationId, notification.ContainerNumber, notification.Status);
        }
        return outcome;
    }
}
