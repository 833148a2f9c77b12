using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// Consumes the status-event queue with a <see cref="ServiceBusSessionProcessor"/> hosted in the worker (the Functions
/// Service Bus trigger is not available here, see ARCHITECTURE.md): explicit settlement, one call per session,
/// configurable parallel sessions, lock renewal longer than the worst hold, and a clean stop on shutdown.
/// </summary>
public sealed class ServiceBusContainerEventConsumer : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ServiceBusClient _client;
    private readonly ServiceBusEventQueueOptions _options;
    private readonly ContainerEventMessageHandler _handler;
    private readonly ILogger _logger;
    private ServiceBusSessionProcessor? _processor;

    public ServiceBusContainerEventConsumer(
        ServiceBusClient client,
        IOptions<ServiceBusEventQueueOptions> options,
        ContainerEventMessageHandler handler,
        ILogger<ServiceBusContainerEventConsumer> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options.Value;
        _handler = handler;
        _logger = logger;
    }

    public static ServiceBusSessionProcessorOptions CreateProcessorOptions(ServiceBusEventQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServiceBusSessionProcessorOptions
        {
            // Settlement is the handler's decision: complete only once customs has the event.
            AutoCompleteMessages = false,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            // Order per container: never two messages of one session at once.
            MaxConcurrentCallsPerSession = 1,
            MaxConcurrentSessions = options.MaxConcurrentSessions,
            SessionIdleTimeout = options.SessionIdleTimeout,
            MaxAutoLockRenewalDuration = options.MaxAutoLockRenewalDuration,
            // No prefetch: a prefetched message's lock ticks while an earlier one is held for customs.
            PrefetchCount = 0,
        };
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_handler.MayProcess)
        {
            // Residency: the messages stay on the queue, untouched, for an instance in an approved region.
            _logger.ConsumerNotStarted(_options.QueueName);
            return;
        }
        _processor = _client.CreateSessionProcessor(_options.QueueName, CreateProcessorOptions(_options));
        _processor.ProcessMessageAsync += ProcessMessageAsync;
        _processor.ProcessErrorAsync += ProcessErrorAsync;
        await _processor.StartProcessingAsync(cancellationToken);
        _logger.ConsumerStarted(_options.QueueName, _options.MaxConcurrentSessions);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_processor is not null)
        {
            // Signals in-flight handlers (args.CancellationToken), which abandon; then waits for them.
            await _processor.StopProcessingAsync(cancellationToken);
            _logger.ConsumerStopped(_options.QueueName);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_processor is not null)
        {
            _processor.ProcessMessageAsync -= ProcessMessageAsync;
            _processor.ProcessErrorAsync -= ProcessErrorAsync;
            await _processor.DisposeAsync();
            _processor = null;
        }
    }

    /// <summary>For containers disposed synchronously (a plain <c>ServiceProvider.Dispose</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The processor's message callback (also the entry point for tests through the SDK's test seams).</summary>
    public Task ProcessMessageAsync(ProcessSessionMessageEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return _handler.HandleAsync(new ServiceBusSessionMessageContext(args), args.CancellationToken);
    }

    private Task ProcessErrorAsync(ProcessErrorEventArgs args)
    {
        _logger.ConsumerError(args.Exception, args.ErrorSource.ToString(), args.EntityPath);
        return Task.CompletedTask;
    }
}
