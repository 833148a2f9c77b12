using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;

namespace PortCustoms.LocalHost.Events;

/// <summary>
/// Consumes LocalHost's durable queue with the same handler and rules as the Service Bus consumer: up to
/// <c>ServiceBus:MaxConcurrentSessions</c> sessions at once, each held by one lease and handled one message at a time in
/// order, its lock renewed while it is held. A message the handler leaves unsettled is abandoned.
/// </summary>
public sealed partial class TableSessionQueueConsumer : BackgroundService
{
    private readonly TableSessionQueue _queue;
    private readonly Func<SessionMessageContext, CancellationToken, Task> _handle;
    private readonly Func<bool> _mayProcess;
    private readonly int _workers;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;

    public TableSessionQueueConsumer(TableSessionQueue queue, Func<SessionMessageContext, CancellationToken, Task> handle, Func<bool> mayProcess, int workers, TimeSpan pollInterval, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(mayProcess);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _queue = queue;
        _handle = handle;
        _mayProcess = mayProcess;
        _workers = workers;
        _pollInterval = pollInterval;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogUsingDurableQueue(_logger, _queue.Table.Name);
        if (!_mayProcess())
        {
            LogNotStarted(_logger);
            return;
        }
        using var slots = new SemaphoreSlim(_workers, _workers);
        var held = new ConcurrentDictionary<string, Task>(StringComparer.Ordinal);
        var freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = _queue.Sent;
            var wake = Volatile.Read(ref freed).Task;
            try
            {
                foreach (var session in await _queue.FindAvailableSessionsAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (held.ContainsKey(session) || !await slots.WaitAsync(0, stoppingToken).ConfigureAwait(false))
                    {
                        continue;
                    }
                    var lease = await _queue.TryAcceptSessionAsync(session, stoppingToken).ConfigureAwait(false);
                    if (lease is null)
                    {
                        slots.Release();
                        continue;
                    }
                    // Marked held before it starts, so that its end (which unmarks it) cannot come first.
                    var run = new Task<Task>(async () =>
                    {
                        try
                        {
                            await ProcessSessionAsync(lease, stoppingToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            held.TryRemove(session, out _);
                            slots.Release();
                            Interlocked.Exchange(ref freed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                        }
                    });
                    held[session] = run.Unwrap();
                    run.Start(TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RequestFailedException ex)
            {
                // Storage down: nothing is lost (it is all in storage); look again after a pause.
                LogPollFailed(_logger, ex);
            }
            try
            {
                await Task.WhenAny(sent, wake, Task.Delay(_pollInterval, stoppingToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(held.Values).ConfigureAwait(false);
    }

    private async Task ProcessSessionAsync(TableSessionLease lease, CancellationToken stoppingToken)
    {
        await using (lease.ConfigureAwait(false))
        {
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewing = RenewAsync(lease, lost);
            try
            {
                while (!lost.IsCancellationRequested)
                {
                    var message = await lease.ReceiveNextAsync(lost.Token).ConfigureAwait(false);
                    if (message is null)
                    {
                        break;
                    }
                    var context = new TableSessionMessageContext(lease, message);
                    try
                    {
                        await _handle(context, lost.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (lost.IsCancellationRequested)
                    {
                    }
#pragma warning disable CA1031 // A failing handler must not stop the consumer; the message is given back below.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogHandlerFailed(_logger, ex, lease.SessionId);
                    }
                    if (!context.IsSettled && !lost.IsCancellationRequested)
                    {
                        await lease.AbandonAsync(message, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested)
            {
            }
            catch (SessionLockLostException)
            {
                LogLockLost(_logger, lease.SessionId);
            }
            catch (RequestFailedException ex)
            {
                LogHandlerFailed(_logger, ex, lease.SessionId);
            }
            await lost.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lock at a third of its duration while the session is held; cancels the session when the lock is lost.</summary>
    private async Task RenewAsync(TableSessionLease lease, CancellationTokenSource session)
    {
        using var timer = new PeriodicTimer(_queue.LockDuration / 3, _queue.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(session.Token).ConfigureAwait(false))
            {
                await lease.RenewAsync(session.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SessionLockLostException)
        {
            LogLockLost(_logger, lease.SessionId);
            await session.CancelAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // Not renewed this time: the next tick tries again, and every write of the handler renews as well.
            LogHandlerFailed(_logger, ex, lease.SessionId);
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Status events: no Service Bus configured; LocalHost's durable session queue on storage table {Table} (kept across restarts).")]
    private static partial void LogUsingDurableQueue(ILogger logger, string table);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Status events are not consumed: customs data may not be processed where the app runs.")]
    private static partial void LogNotStarted(ILogger logger);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "The local event queue could not be read; trying again.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Error, Message = "Handling a message of session {SessionId} failed; it is given back.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "The lock on session {SessionId} was lost; another consumer has it.")]
    private static partial void LogLockLost(ILogger logger, string sessionId);
}

/// <summary><see cref="SessionMessageContext"/> over LocalHost's durable queue.</summary>
public sealed class TableSessionMessageContext : SessionMessageContext
{
    private readonly TableSessionLease _lease;
    private readonly TableQueueMessage _message;

    public TableSessionMessageContext(TableSessionLease lease, TableQueueMessage message)
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

    public override string? ReplayOf => _message.Properties.TryGetValue(DeadLetterReplayer.ReplayOfProperty, out var of) ? of : null;

    public override async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _lease.CompleteAsync(_message, cancellationToken).ConfigureAwait(false);
        IsSettled = true;
    }

    public override async Task AbandonAsync(CancellationToken cancellationToken = default)
    {
        await _lease.AbandonAsync(_message, cancellationToken).ConfigureAwait(false);
        IsSettled = true;
    }

    public override async Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default)
    {
        await _lease.DeadLetterAsync(_message, reason, description, cancellationToken).ConfigureAwait(false);
        IsSettled = true;
    }

    public override Task<ReadOnlyMemory<byte>?> GetSessionStateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_lease.GetState());

    public override Task SetSessionStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default) =>
        _lease.SetStateAsync(state, cancellationToken);

    public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default) => _lease.RenewAsync(cancellationToken);
}

/// <summary>Puts events on LocalHost's durable queue, each committed to storage before the 202.</summary>
public sealed class TableQueueContainerEventPublisher : ContainerEventPublisher
{
    private readonly TableSessionQueue _queue;

    public TableQueueContainerEventPublisher(TableSessionQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _queue = queue;
    }

    public override async Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var statusEvent in events)
        {
            // In request order, one by one: a session's order is the order its sends completed. A false return is a
            // duplicate dropped by detection: accepted, as Service Bus accepts and drops it.
            await _queue.SendAsync(statusEvent.ContainerNumber.ToString(), statusEvent.EventId, ContainerStatusEventWriter.ToUtf8Bytes(statusEvent), cancellationToken).ConfigureAwait(false);
        }
    }
}
