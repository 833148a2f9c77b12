using Microsoft.Extensions.Logging;
using PortCustoms.Core.Gate;

namespace PortCustoms.Core.Customs;

/// <summary>Receives customs notifications: stores each durably (history and current state) before it is acknowledged.</summary>
public sealed class CustomsNotificationService
{
    private readonly CustomsStateStore _store;
    private readonly GateMetrics _metrics;
    private readonly ILogger<CustomsNotificationService> _logger;

    public CustomsNotificationService(CustomsStateStore store, GateMetrics metrics, ILogger<CustomsNotificationService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<NotificationOutcome> ReceiveAsync(CustomsNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.ContainerNumber.IsEmpty || notification.Status == CustomsStatus.None || string.IsNullOrEmpty(notification.NotificationId))
        {
            throw new ArgumentException("A notification needs an id, a container number and a status.", nameof(notification));
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
