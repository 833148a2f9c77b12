using System.Diagnostics.CodeAnalysis;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>A message on the embedded queue.</summary>
public sealed class EmbeddedQueueMessage
{
    internal EmbeddedQueueMessage(long sequenceNumber, string sessionId, string messageId, ReadOnlyMemory<byte> body, DateTimeOffset enqueuedTime)
    {
        SequenceNumber = sequenceNumber;
        SessionId = sessionId;
        MessageId = messageId;
        Body = body;
        EnqueuedTime = enqueuedTime;
    }

    public long SequenceNumber { get; }

    public string SessionId { get; }

    public string MessageId { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public DateTimeOffset EnqueuedTime { get; }

    /// <summary>Incremented on every receive; 1 on the first delivery (as Service Bus).</summary>
    public int DeliveryCount { get; internal set; }

    internal bool InFlight { get; set; }
}

/// <summary>A dead-lettered message with the reason it was given.</summary>
public sealed record EmbeddedDeadLetter(EmbeddedQueueMessage Message, string Reason, string Description);

/// <summary>
/// An in-process session queue with the semantics the status-event handler relies on from Service Bus, for LocalHost
/// and tests when no Service Bus is configured: FIFO per session; one consumer per session at a time (a session is
/// locked by <see cref="AcceptNextSessionAsync"/> until its lease is disposed); abandon redelivers the same message
/// first with a higher delivery count; after <c>maxDeliveryCount</c> deliveries an abandon dead-letters it
/// (<see cref="DeadLetterReasons.MaxDeliveryCountExceeded"/>); explicit dead-letter keeps reason and description;
/// a message id seen within the duplicate detection window is dropped on send; per-session state.
/// It is not durable: what is queued is lost with the process. Local use only.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue, named as the Service Bus entity it stands in for.")]
public sealed class EmbeddedSessionQueue
{
    private sealed class SessionSlot(string id)
    {
        public string Id { get; } = id;

        public LinkedList<EmbeddedQueueMessage> Messages { get; } = new();

        public bool Locked { get; set; }

        public bool Ready { get; set; }

        public byte[]? State { get; set; }
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, SessionSlot> _sessions = new(StringComparer.Ordinal);
    private readonly LinkedList<SessionSlot> _ready = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string MessageId, DateTimeOffset At)> _seenOrder = new();
    private readonly List<EmbeddedDeadLetter> _deadLetters = [];
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public EmbeddedSessionQueue(int maxDeliveryCount = 10, TimeSpan? duplicateDetectionWindow = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeliveryCount, 1);
        MaxDeliveryCount = maxDeliveryCount;
        DuplicateDetectionWindow = duplicateDetectionWindow ?? TimeSpan.FromMinutes(10);
        _time = timeProvider ?? TimeProvider.System;
    }

    public int MaxDeliveryCount { get; }

    public TimeSpan DuplicateDetectionWindow { get; }

    /// <summary>Messages waiting or in flight (not completed, not dead-lettered).</summary>
    public int ActiveMessageCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Values.Sum(s => s.Messages.Count);
            }
        }
    }

    public IReadOnlyList<EmbeddedDeadLetter> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return _deadLetters.ToArray();
            }
        }
    }

    /// <summary>Enqueues a message; false when its id was seen within the duplicate detection window (dropped, as Service Bus does).</summary>
    public bool Send(string sessionId, string messageId, ReadOnlyMemory<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_seenOrder.TryPeek(out var oldest) && now - oldest.At > DuplicateDetectionWindow)
            {
                _seenOrder.Dequeue();
                if (_seen.TryGetValue(oldest.MessageId, out var at) && at == oldest.At)
                {
                    _seen.Remove(oldest.MessageId);
                }
            }
            if (_seen.ContainsKey(messageId))
            {
                return false;
            }
            _seen[messageId] = now;
            _seenOrder.Enqueue((messageId, now));

            if (!_sessions.TryGetValue(sessionId, out var slot))
            {
                slot = new SessionSlot(sessionId);
                _sessions.Add(sessionId, slot);
            }
            slot.Messages.AddLast(new EmbeddedQueueMessage(++_sequence, sessionId, messageId, body.ToArray(), now));
            MakeReadyIfIdle(slot);
        }
        return true;
    }

    /// <summary>Waits for a session that has messages and no consumer, and locks it for the caller until the lease is disposed.</summary>
    public async Task<EmbeddedSessionLease> AcceptNextSessionAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_ready.First is { } node)
                {
                    _ready.RemoveFirst();
                    var slot = node.Value;
                    slot.Ready = false;
                    slot.Locked = true;
                    return new EmbeddedSessionLease(this, slot.Id);
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal EmbeddedQueueMessage? ReceiveNext(string sessionId)
    {
        lock (_gate)
        {
            var slot = LockedSlot(sessionId);
            var head = slot.Messages.First?.Value;
            if (head is null)
            {
                return null;
            }
            if (head.InFlight)
            {
                throw new InvalidOperationException($"Message {head.MessageId} of session {sessionId} is still in flight: settle it first.");
            }
            head.InFlight = true;
            head.DeliveryCount++;
            return head;
        }
    }

    internal void Complete(string sessionId, EmbeddedQueueMessage message)
    {
        lock (_gate)
        {
            InFlightHead(sessionId, message).Messages.RemoveFirst();
            message.InFlight = false;
        }
    }

    internal void Abandon(string sessionId, EmbeddedQueueMessage message)
    {
        lock (_gate)
        {
            var slot = InFlightHead(sessionId, message);
            message.InFlight = false;
            if (message.DeliveryCount >= MaxDeliveryCount)
            {
                slot.Messages.RemoveFirst();
                _deadLetters.Add(new EmbeddedDeadLetter(message, DeadLetterReasons.MaxDeliveryCountExceeded,
                    $"Delivered {message.DeliveryCount} times (max {MaxDeliveryCount}) without being completed."));
            }
        }
    }

    internal void DeadLetter(string sessionId, EmbeddedQueueMessage message, string reason, string description)
    {
        lock (_gate)
        {
            InFlightHead(sessionId, message).Messages.RemoveFirst();
            message.InFlight = false;
            _deadLetters.Add(new EmbeddedDeadLetter(message, reason, description));
        }
    }

    internal byte[]? GetState(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var slot) ? slot.State : null;
        }
    }

    internal void SetState(string sessionId, byte[]? state)
    {
        lock (_gate)
        {
            LockedSlot(sessionId).State = state;
        }
    }

    internal void Release(string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var slot) || !slot.Locked)
            {
                return;
            }
            // A message left unsettled when the lease ends is given back, as an expired lock would.
            if (slot.Messages.First?.Value is { InFlight: true } head)
            {
                head.InFlight = false;
                if (head.DeliveryCount >= MaxDeliveryCount)
                {
                    slot.Messages.RemoveFirst();
                    _deadLetters.Add(new EmbeddedDeadLetter(head, DeadLetterReasons.MaxDeliveryCountExceeded, "Lock released unsettled on the last delivery."));
                }
            }
            slot.Locked = false;
            MakeReadyIfIdle(slot);
        }
    }

    private void MakeReadyIfIdle(SessionSlot slot)
    {
        if (!slot.Locked && !slot.Ready && slot.Messages.Count > 0)
        {
            slot.Ready = true;
            _ready.AddLast(slot);
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    private SessionSlot LockedSlot(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var slot) && slot.Locked
            ? slot
            : throw new InvalidOperationException($"Session {sessionId} is not locked by this consumer.");

    private SessionSlot InFlightHead(string sessionId, EmbeddedQueueMessage message)
    {
        var slot = LockedSlot(sessionId);
        if (!ReferenceEquals(slot.Messages.First?.Value, message) || !message.InFlight)
        {
            throw new InvalidOperationException($"Message {message.MessageId} is not the in-flight message of session {sessionId} (already settled?).");
        }
        return slot;
    }
}

/// <summary>One consumer's exclusive hold on one session of the embedded queue; dispose to release it.</summary>
public sealed class EmbeddedSessionLease : IDisposable
{
    private readonly EmbeddedSessionQueue _queue;
    private bool _released;

    internal EmbeddedSessionLease(EmbeddedSessionQueue queue, string sessionId)
    {
        _queue = queue;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>The session's first message (locked for this consumer), or null when the session is empty.</summary>
    public EmbeddedQueueMessage? ReceiveNext() => _queue.ReceiveNext(SessionId);

    public void Complete(EmbeddedQueueMessage message) => _queue.Complete(SessionId, message);

    public void Abandon(EmbeddedQueueMessage message) => _queue.Abandon(SessionId, message);

    public void DeadLetter(EmbeddedQueueMessage message, string reason, string description) => _queue.DeadLetter(SessionId, message, reason, description);

    public byte[]? GetState() => _queue.GetState(SessionId);

    public void SetState(byte[]? state) => _queue.SetState(SessionId, state);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _queue.Release(SessionId);
        }
    }
}

/// <summary><see cref="SessionMessageContext"/> over the embedded queue.</summary>
public sealed class EmbeddedSessionMessageContext : SessionMessageContext
{
    private readonly EmbeddedSessionLease _lease;
    private readonly EmbeddedQueueMessage _message;

    public EmbeddedSessionMessageContext(EmbeddedSessionLease lease, EmbeddedQueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(message);
        _lease = lease;
        _message = message;
    }

    public bool IsSettled { get; private set; }

    public override string SessionId => _message.SessionId;

    public override string MessageId => _message.MessageId;

    public override ReadOnlyMemory<byte> Body => _message.Body;

    public override int DeliveryCount => _message.DeliveryCount;

    public override DateTimeOffset EnqueuedTime => _message.EnqueuedTime;

    public override Task CompleteAsync(CancellationToken cancellationToken = default) => Settle(() => _lease.Complete(_message));

    public override Task AbandonAsync(CancellationToken cancellationToken = default) => Settle(() => _lease.Abandon(_message));

    public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default) =>
        Settle(() => _lease.DeadLetter(_message, reason, description));

    public override Task<ReadOnlyMemory<byte>?> GetSessionStateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_lease.GetState() is { } state ? (ReadOnlyMemory<byte>?)state : null);

    public override Task SetSessionStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default)
    {
        _lease.SetState(state?.ToArray());
        return Task.CompletedTask;
    }

    // The lease holds the session until released: nothing expires, nothing to renew.
    public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private Task Settle(Action settle)
    {
        settle();
        IsSettled = true;
        return Task.CompletedTask;
    }
}
