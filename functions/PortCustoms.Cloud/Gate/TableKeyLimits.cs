using PortCustoms.Cloud.Storage;

namespace PortCustoms.Cloud.Gate;

/// <summary>
/// Whether a caller-chosen id can be a Table Storage key once encoded (<see cref="TableKeys"/>): keys hold at most 1 KiB,
/// 512 UTF-16 characters, and each forbidden character ('/', '#', ...) takes three. Checked when a request is read, so
/// an id that can never be stored is a 400 naming the field, not a 503 that asks the caller to retry forever.
/// </summary>
public static class TableKeyLimits
{
    public const int MaxKeyLength = 512;

    /// <summary>Notifications are stored under RowKey <c>n:{id}</c>.</summary>
    public static bool FitsNotificationId(string notificationId) => Fits(notificationId, TableCustomsStateStore.NotificationRowKeyPrefix.Length);

    public static bool Fits(string id, int prefixLength = 0)
    {
        ArgumentNullException.ThrowIfNull(id);
        return prefixLength + TableKeys.Encode(id).Length <= MaxKeyLength;
    }
}
