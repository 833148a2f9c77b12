using Microsoft.Extensions.Logging;

namespace PortCustoms.Core.Customs;

/// <summary>Receives customs notifications: stores each durably (history and current state) before it is acknowledged.</summary>
public sealed class CustomsNotificationService
{
    private readonly CustomsStateStore _store;
    private readonly ILogger<CustomsNotificationService> _logger;

    public CustomsNotificationService(CustomsStateStore store, ILogger<CustomsNotificationService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
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
        _logger.NotificationReceived(notification.NotificationId, notification.ContainerNumber, notification.Status, outcome);
        return outcome;
    }
}
