using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// Consumes the embedded session queue with the same handler and the same rules as the Service Bus consumer:
/// <see cref="ServiceBusEventQueueOptions.MaxConcurrentSessions"/> workers, each holding one session at a time and
/// handling its messages one by one in order. A message the handler leaves unsettled is abandoned.
/// </summary>
public sealed class EmbeddedSessionQueueConsumer : BackgroundService
{
    private readonly EmbeddedSessionQueue _queue;
    private readonly ContainerEventMessageHandler _handler;
    private readonly int _workers;
    private readonly ILogger _logger;

    public EmbeddedSessionQueueConsumer(
        EmbeddedSessionQueue queue,
        ContainerEventMessageHandler handler,
        IOptions<ServiceBusEventQueueOptions> options,
        ILogger<EmbeddedSessionQueueConsumer> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _queue = queue;
        _handler = handler;
        _workers = options.Value.MaxConcurrentSessions;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.UsingEmbeddedQueue();
        if (!_handler.MayProcess)
        {
            _logger.ConsumerNotStarted("embedded");
            return Task.CompletedTask;
        }
        return RunWorkersAsync(_queue, (context, ct) => _handler.HandleAsync(context, ct), _workers, _logger, stoppingToken);
    }

    /// <summary>The worker loop, separate so tests can drive the queue with any handler.</summary>
    public static Task RunWorkersAsync(EmbeddedSessionQueue queue, Func<SessionMessageContext, CancellationToken, Task> handle, int workers, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(logger);
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(() => WorkAsync(queue, handle, logger, cancellationToken), CancellationToken.None);
        }
        return Task.WhenAll(tasks);
    }

    private static async Task WorkAsync(EmbeddedSessionQueue queue, Func<SessionMessageContext, CancellationToken, Task> handle, ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            EmbeddedSessionLease lease;
            try
            {
                lease = await queue.AcceptNextSessionAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using (lease)
            {
                while (!cancellationToken.IsCancellationRequested && lease.ReceiveNext() is { } message)
                {
                    var context = new EmbeddedSessionMessageContext(lease, message);
                    try
                    {
                        await handle(context, cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                    }
#pragma warning disable CA1031 // A failing handler must not stop the worker; the message is given back below.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        logger.EmbeddedWorkerFailed(ex, lease.SessionId);
                    }
                    if (!context.IsSettled)
                    {
                        logger.UnsettledMessage(message.MessageId, message.SessionId);
                        lease.Abandon(message);
                    }
                }
            }
        }
    }
}
