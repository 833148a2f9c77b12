using System.Text;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Cloud.Tests.Messaging;

/// <summary>
/// The Service Bus consumer's message callback through the SDK's own test seams: a subclassed
/// <see cref="ServiceBusSessionReceiver"/>, <see cref="ProcessSessionMessageEventArgs"/> and
/// <see cref="ServiceBusModelFactory"/> messages. No broker.
/// </summary>
public sealed class ServiceBusSessionSeamTests : IAsyncDisposable
{
    private readonly InMemoryContainerTimelineStore _store = new();
    private readonly RecordingCustomsSink _sink = new();
    private readonly ServiceBusClient _client = new("Endpoint=sb://unit-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==");

    private ServiceBusContainerEventConsumer Consumer(TimeSpan? hold = null, int maxDeliveryCount = 10, ContainerTimelineStore? store = null)
    {
        var options = new ContainerEventOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(2),
            MaxHoldDuration = hold ?? TimeSpan.FromHours(1),
            MaxDeliveryCount = maxDeliveryCount,
        };
        var handler = new ContainerEventMessageHandler(store ?? _store, _sink, new FixedReleaseLookup(CustomsClearance.Released), Options.Create(options), new ContainerEventMetrics());
        return new ServiceBusContainerEventConsumer(_client, Options.Create(new ServiceBusEventQueueOptions()), handler, NullLogger<ServiceBusContainerEventConsumer>.Instance);
    }

    private static ProcessSessionMessageEventArgs Args(FakeSessionReceiver receiver, byte[] body, string messageId, int deliveryCount = 1) =>
        new(ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: new BinaryData(body), messageId: messageId, sessionId: receiver.SessionId,
                deliveryCount: deliveryCount, sequenceNumber: deliveryCount, enqueuedTime: DateTimeOffset.UtcNow),
            receiver, CancellationToken.None);

    [Fact]
    public async Task Delivered_event_is_completed_and_the_session_state_is_written()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var receiver = new FakeSessionReceiver(e.ContainerNumber.ToString());
        await Consumer().ProcessMessageAsync(Args(receiver, Body(e), e.EventId));

        Assert.Equal(["Complete:E-1"], receiver.Settlements);
        Assert.Equal("E-1", SessionCheckpoint.Read(receiver.State?.ToMemory()).LastDeliveredEventId);
        Assert.Single(_sink.Delivered);
    }

    [Fact]
    public async Task Session_state_round_trips_so_a_redelivery_after_a_lost_complete_is_not_sent_twice()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var receiver = new FakeSessionReceiver(e.ContainerNumber.ToString());
        await Consumer().ProcessMessageAsync(Args(receiver, Body(e), e.EventId));
        // The broker never saw the complete: the same message comes again, on a fresh store (restart).
        var redelivery = Args(receiver, Body(e), e.EventId, deliveryCount: 2);
        await Consumer(store: new InMemoryContainerTimelineStore()).ProcessMessageAsync(redelivery);

        Assert.Equal(["Complete:E-1", "Complete:E-1"], receiver.Settlements);
        Assert.Equal(1, _sink.Attempts);
        Assert.Equal(1, receiver.StateWrites);
    }

    [Fact]
    public async Task A_replayed_message_of_a_dead_lettered_event_is_delivered_and_not_counted_as_a_duplicate_arrival()
    {
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var receiver = new FakeSessionReceiver(e.ContainerNumber.ToString());
        _sink.Then(CustomsDeliveryResult.PermanentFailure("HTTP 422"));
        await Consumer().ProcessMessageAsync(Args(receiver, Body(e), e.EventId));
        Assert.Equal(DeadLetterReasons.CustomsRejected, Assert.Single(receiver.DeadLetters).Reason);

        // portcustoms replay dead-letters: same body and session, a derived message id, the original named in a property.
        var replay = new ProcessSessionMessageEventArgs(
            ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: new BinaryData(Body(e)), messageId: DeadLetterReplayer.ReplayMessageId(e.EventId, "r1"), sessionId: receiver.SessionId, deliveryCount: 1, sequenceNumber: 9,
                enqueuedTime: DateTimeOffset.UtcNow, properties: new Dictionary<string, object> { [DeadLetterReplayer.ReplayOfProperty] = e.EventId }),
            receiver, CancellationToken.None);
        await Consumer().ProcessMessageAsync(replay);

        Assert.Equal("E-1", Assert.Single(_sink.Delivered).Event.EventId);
        var entry = Assert.Single((await _store.LoadAsync(e.ContainerNumber)).Entries);
        Assert.True(entry.Delivered);
        Assert.Equal(0, entry.DuplicateArrivals);
    }

    [Fact]
    public async Task Malformed_body_is_dead_lettered_with_reason_and_description()
    {
        var receiver = new FakeSessionReceiver("MSCU1234566");
        await Consumer().ProcessMessageAsync(Args(receiver, Encoding.UTF8.GetBytes("<xml/>"), "m-1"));

        var dead = Assert.Single(receiver.DeadLetters);
        Assert.Equal(DeadLetterReasons.MalformedBody, dead.Reason);
        Assert.False(string.IsNullOrEmpty(dead.Description));
        Assert.Equal(0, _sink.Attempts);
    }

    [Fact]
    public async Task Customs_down_beyond_the_hold_abandons_and_renews_the_session_lock_while_holding()
    {
        _sink.Otherwise = CustomsDeliveryResult.TransientFailure("HTTP 503");
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var receiver = new FakeSessionReceiver(e.ContainerNumber.ToString());
        await Consumer(hold: TimeSpan.FromMilliseconds(30)).ProcessMessageAsync(Args(receiver, Body(e), e.EventId));

        Assert.Equal(["Abandon:E-1"], receiver.Settlements);
        Assert.True(receiver.LockRenewals > 0);
    }

    [Fact]
    public async Task Customs_down_on_the_last_delivery_dead_letters_as_unavailable()
    {
        _sink.Otherwise = CustomsDeliveryResult.TransientFailure("HTTP 503");
        var e = Event("E-1", ContainerEventType.Discharged, 0);
        var receiver = new FakeSessionReceiver(e.ContainerNumber.ToString());
        await Consumer(hold: TimeSpan.Zero, maxDeliveryCount: 5).ProcessMessageAsync(Args(receiver, Body(e), e.EventId, deliveryCount: 5));

        Assert.Equal(DeadLetterReasons.CustomsUnavailable, Assert.Single(receiver.DeadLetters).Reason);
    }

    [Fact]
    public void Processor_options_settle_explicitly_one_call_per_session()
    {
        var options = ServiceBusContainerEventConsumer.CreateProcessorOptions(new ServiceBusEventQueueOptions { MaxConcurrentSessions = 16 });
        Assert.False(options.AutoCompleteMessages);
        Assert.Equal(1, options.MaxConcurrentCallsPerSession);
        Assert.Equal(16, options.MaxConcurrentSessions);
        Assert.Equal(ServiceBusReceiveMode.PeekLock, options.ReceiveMode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SessionIdleTimeout);
        Assert.True(options.MaxAutoLockRenewalDuration > new ContainerEventOptions().MaxHoldDuration);
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}

/// <summary>A session receiver without a broker: records settlements, keeps session state.</summary>
public sealed class FakeSessionReceiver(string sessionId) : ServiceBusSessionReceiver
{
    public List<string> Settlements { get; } = [];

    public List<(string Reason, string Description)> DeadLetters { get; } = [];

    public BinaryData? State { get; private set; }

    public int StateWrites { get; private set; }

    public int LockRenewals { get; private set; }

    public override string SessionId => sessionId;

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        Settlements.Add("Complete:" + message.MessageId);
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        Settlements.Add("Abandon:" + message.MessageId);
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default) =>
        DeadLetter(message, deadLetterReason, deadLetterErrorDescription);

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object> propertiesToModify, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default) =>
        DeadLetter(message, deadLetterReason, deadLetterErrorDescription);

    public override Task<BinaryData> GetSessionStateAsync(CancellationToken cancellationToken = default) => Task.FromResult(State!);

    public override Task SetSessionStateAsync(BinaryData sessionState, CancellationToken cancellationToken = default)
    {
        State = sessionState;
        StateWrites++;
        return Task.CompletedTask;
    }

    public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default)
    {
        LockRenewals++;
        return Task.CompletedTask;
    }

    private Task DeadLetter(ServiceBusReceivedMessage message, string reason, string? description)
    {
        Settlements.Add("DeadLetter:" + message.MessageId);
        DeadLetters.Add((reason, description ?? string.Empty));
        return Task.CompletedTask;
    }
}
