namespace PortCustoms.Core.Customs;

/// <summary>
/// A customs notification refused for its signature, kept for audit exactly as received: the original bytes untouched,
/// with why, who sent it and when. Nothing of it was applied.
/// </summary>
public sealed record RefusedNotification(
    ReadOnlyMemory<byte> Body,
    string MediaType,
    string Code,
    string Reason,
    string Caller,
    DateTimeOffset ReceivedAt,
    string? Signature);

/// <summary>The audit store of refused notifications (durable; the Cloud adapter writes blobs).</summary>
public interface IRefusedNotificationStore
{
    /// <summary>Keeps <paramref name="refused"/>; returns the id it is kept under (named in the problem and the log).</summary>
    Task<string> KeepAsync(RefusedNotification refused, CancellationToken cancellationToken = default);
}

/// <summary>Where a notification came from: the caller as the audit record names it, and the detached signature header if any.</summary>
public sealed record NotificationOrigin(string Caller, string? Signature)
{
    public static NotificationOrigin Unknown { get; } = new("unknown", null);
}
