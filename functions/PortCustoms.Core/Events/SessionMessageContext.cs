namespace PortCustoms.Core.Events;

/// <summary>
/// One message of a session-enabled queue, with its settlement and session state: the seam that lets the same handler
/// run on Service Bus (<c>ProcessSessionMessageEventArgs</c>) and on the embedded local queue.
/// Settle exactly once: complete, abandon (redelivered with a higher delivery count) or dead-letter (with a reason).
/// </summary>
public abstract class SessionMessageContext
{
    /// <summary>The container number: one session per container.</summary>
    public abstract string SessionId { get; }

    /// <summary>The event id.</summary>
    public abstract string MessageId { get; }

    public abstract ReadOnlyMemory<byte> Body { get; }

    /// <summary>1 on the first delivery.</summary>
    public abstract int DeliveryCount { get; }

    public abstract DateTimeOffset EnqueuedTime { get; }

    /// <summary>
    /// The id of the dead-lettered message this one replays (<c>portcustoms replay dead-letters</c>), else null: a replay
    /// is not a resend, so it is not counted as a duplicate arrival.
    /// </summary>
    public virtual string? ReplayOf => null;

    public abstract Task CompleteAsync(CancellationToken cancellationToken = default);

    public abstract Task AbandonAsync(CancellationToken cancellationToken = default);

    public abstract Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default);

    /// <summary>The session's state, or null when none was ever set.</summary>
    public abstract Task<ReadOnlyMemory<byte>?> GetSessionStateAsync(CancellationToken cancellationToken = default);

    public abstract Task SetSessionStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default);

    public abstract Task RenewSessionLockAsync(CancellationToken cancellationToken = default);
}

/// <summary>Dead-letter reasons: stable, machine-readable (operators filter and replay on them).</summary>
public static class DeadLetterReasons
{
    /// <summary>The body is not a JSON event object; it can never be processed.</summary>
    public const string MalformedBody = "MalformedBody";

    /// <summary>A JSON event object that fails validation; it can never be processed.</summary>
    public const string SchemaInvalid = "SchemaInvalid";

    /// <summary>The message's session is not the event's container number.</summary>
    public const string SessionMismatch = "SessionMismatch";

    /// <summary>Customs refused the event for good (4xx other than 408/409/429).</summary>
    public const string CustomsRejected = "CustomsRejected";

    /// <summary>Customs stayed unavailable through every allowed delivery.</summary>
    public const string CustomsUnavailable = "CustomsUnavailable";

    /// <summary>The timeline store or a lookup kept failing through every allowed delivery.</summary>
    public const string ProcessingFailed = "ProcessingFailed";

    /// <summary>Set by the queue itself (Service Bus, and the embedded queue alike) when no handler settled the message in time.</summary>
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
}
