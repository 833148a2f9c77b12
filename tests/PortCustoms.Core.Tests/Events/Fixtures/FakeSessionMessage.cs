using PortCustoms.Core.Events;

namespace PortCustoms.Core.Tests.Events.Fixtures;

/// <summary>Session state shared by the messages of one fake session, as the broker keeps it.</summary>
public sealed class FakeSession
{
    public byte[]? State { get; set; }

    public int StateWrites { get; set; }

    public int LockRenewals { get; set; }
}

/// <summary>A <see cref="SessionMessageContext"/> that records how it was settled.</summary>
public sealed class FakeSessionMessage : SessionMessageContext
{
    private readonly FakeSession _session;

    public FakeSessionMessage(string sessionId, string messageId, byte[] body, int deliveryCount = 1, FakeSession? session = null)
    {
        SessionId = sessionId;
        MessageId = messageId;
        Body = body;
        DeliveryCount = deliveryCount;
        _session = session ?? new FakeSession();
    }

    public static FakeSessionMessage For(ContainerStatusEvent e, int deliveryCount = 1, FakeSession? session = null) =>
        new(e.ContainerNumber.ToString(), e.EventId, TestEvents.Body(e), deliveryCount, session);

    public override string SessionId { get; }

    public override string MessageId { get; }

    public override ReadOnlyMemory<byte> Body { get; }

    public override int DeliveryCount { get; }

    public override DateTimeOffset EnqueuedTime { get; } = DateTimeOffset.UtcNow;

    public string? Settlement { get; private set; }

    public string? DeadLetterReason { get; private set; }

    public string? DeadLetterDescription { get; private set; }

    public FakeSession Session => _session;

    public override Task CompleteAsync(CancellationToken cancellationToken = default) => Settle("Complete");

    public override Task AbandonAsync(CancellationToken cancellationToken = default) => Settle("Abandon");

    public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default)
    {
        DeadLetterReason = reason;
        DeadLetterDescription = description;
        return Settle("DeadLetter");
    }

    public override Task<ReadOnlyMemory<byte>?> GetSessionStateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_session.State is { } s ? (ReadOnlyMemory<byte>?)s : null);

    public override Task SetSessionStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default)
    {
        _session.State = state?.ToArray();
        _session.StateWrites++;
        return Task.CompletedTask;
    }

    public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default)
    {
        _session.LockRenewals++;
        return Task.CompletedTask;
    }

    private Task Settle(string how)
    {
        if (Settlement is not null)
        {
            throw new InvalidOperationException($"Already settled ({Settlement}).");
        }
        Settlement = how;
        return Task.CompletedTask;
    }
}
