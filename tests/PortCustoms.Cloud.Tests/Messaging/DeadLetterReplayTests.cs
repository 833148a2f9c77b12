using System.Text;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Events;
using PortCustoms.TestSupport;
using static PortCustoms.Core.Tests.Events.Fixtures.TestEvents;

namespace PortCustoms.Cloud.Tests.Messaging;

/// <summary>
/// Dead-letter replay over both adapters with the ledger in Azurite: Service Bus's dead-letter sub-queue through the SDK's
/// own seams (a subclassed <see cref="ServiceBusReceiver"/> and <see cref="ServiceBusSender"/>, messages from
/// <see cref="ServiceBusModelFactory"/>) with the broker's duplicate detection modelled, and LocalHost's durable queue;
/// a crash after each step followed by a re-run neither loses the event nor sends it twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeadLetterReplayTests(AzuriteFixture azurite)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    private TableServiceClient Tables => azurite.CreateTableServiceClient();

    private TableDeadLetterReplayLedger Ledger() => new(Tables, "ledger" + _suffix);

    private static ServiceBusReceivedMessage DeadLetter(ContainerStatusEvent e, long sequence, string reason = DeadLetterReasons.CustomsRejected) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: new BinaryData(Body(e)), messageId: e.EventId, sessionId: e.ContainerNumber.ToString(), sequenceNumber: sequence, deliveryCount: 1,
            enqueuedTime: T0, properties: new Dictionary<string, object> { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = "HTTP 422" });

    [Fact]
    public async Task Service_Bus_replay_resends_in_the_session_under_a_derived_id_then_completes_the_dead_letter()
    {
        var first = Event("EV-1", ContainerEventType.Discharged, 0);
        var second = Event("EV-2", ContainerEventType.GatedOut, 60);
        var other = Event("EV-9", ContainerEventType.Discharged, 0, serial: 2);
        var bus = new FakeQueue([DeadLetter(first, 11), DeadLetter(other, 12), DeadLetter(second, 13)]);
        // The originals went through the queue minutes ago: their ids are still in the duplicate detection window.
        bus.Seen.UnionWith(["EV-1", "EV-2", "EV-9"]);
        var ledger = Ledger();
        var replayer = new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), ledger, null, TimeProvider.System);

        var listed = await replayer.ListAsync(first.ContainerNumber.ToString());
        Assert.Equal(["EV-1", "EV-2"], listed.Select(l => l.Letter.MessageId));
        Assert.Equal(DeadLetterReasons.CustomsRejected, listed[0].Letter.Reason);
        Assert.Equal(3, bus.DeadLetters.Letters.Count);

        var results = await replayer.ReplayAllAsync(first.ContainerNumber.ToString(), "ops", "code list fixed");

        Assert.All(results, r => Assert.True(r.Replayed, r.Error));
        Assert.Equal(["EV-1", "EV-2"], bus.Delivered.Select(m => m.ApplicationProperties[DeadLetterReplayer.ReplayOfProperty]));
        Assert.All(bus.Delivered, m =>
        {
            Assert.Equal(first.ContainerNumber.ToString(), m.SessionId);
            Assert.NotEqual(m.ApplicationProperties[DeadLetterReplayer.ReplayOfProperty], m.MessageId);
        });
        // Body unchanged: the event id customs de-duplicates on is the original's.
        Assert.True(ContainerStatusEventReader.TryReadSingle(bus.Delivered[0].Body.ToArray(), out var read, out _, out _));
        Assert.Equal("EV-1", read!.EventId);
        Assert.Equal(["EV-9"], bus.DeadLetters.Letters.Select(m => m.MessageId));
        Assert.Empty(bus.DeadLetters.Locked);
        Assert.Equal(2, (await ledger.ListAsync(first.ContainerNumber.ToString())).Count(r => r.State == DeadLetterReplayState.Settled));
    }

    [Fact]
    public async Task Service_Bus_replay_under_the_original_id_would_be_dropped_by_duplicate_detection()
    {
        var e = Event("EV-1", ContainerEventType.Discharged, 0);
        var bus = new FakeQueue([DeadLetter(e, 5)]);
        bus.Seen.Add("EV-1");
        // What the derived id prevents: a send under the original id inside the window vanishes.
        await bus.Sender.SendMessageAsync(new ServiceBusMessage(Body(e)) { MessageId = "EV-1", SessionId = e.ContainerNumber.ToString() });
        Assert.Empty(bus.Delivered);

        var result = await new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), Ledger(), null, TimeProvider.System)
            .ReplayAsync(null, "EV-1", "ops", null);

        Assert.True(result.Replayed, result.Error);
        Assert.Single(bus.Delivered);
        Assert.Empty(bus.DeadLetters.Letters);
    }

    [Fact]
    public async Task Service_Bus_crash_between_send_and_settle_then_rerun_settles_without_sending_again()
    {
        var e = Event("EV-1", ContainerEventType.Discharged, 0);
        var bus = new FakeQueue([DeadLetter(e, 5)]);
        var ledger = Ledger();
        bus.DeadLetters.FailCompletes = 1;

        await Assert.ThrowsAsync<ServiceBusException>(() =>
            new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), ledger, null, TimeProvider.System).ReplayAsync(null, "EV-1", "ops", null));
        Assert.Single(bus.Delivered);
        Assert.Single(bus.DeadLetters.Letters);
        Assert.Equal(DeadLetterReplayState.Sent, (await ledger.GetAsync(e.ContainerNumber.ToString(), "EV-1"))!.State);

        var rerun = await new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), ledger, null, TimeProvider.System).ReplayAsync(null, "EV-1", "someone else", null);

        Assert.True(rerun.Replayed, rerun.Error);
        Assert.Single(bus.Delivered);
        Assert.Equal(1, bus.Sends);
        Assert.Empty(bus.DeadLetters.Letters);
        var row = (await ledger.GetAsync(e.ContainerNumber.ToString(), "EV-1"))!;
        Assert.Equal((DeadLetterReplayState.Settled, "ops"), (row.State, row.By));
    }

    [Fact]
    public async Task Service_Bus_crash_between_send_and_the_ledger_saying_sent_then_rerun_sends_the_same_id_and_the_broker_drops_it()
    {
        var e = Event("EV-1", ContainerEventType.Discharged, 0);
        var bus = new FakeQueue([DeadLetter(e, 5)]);
        var ledger = new CrashingLedger(Ledger(), crashOn: DeadLetterReplayState.Sent);

        await Assert.ThrowsAsync<IOException>(() =>
            new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), ledger, null, TimeProvider.System).ReplayAsync(null, "EV-1", "ops", null));
        Assert.Equal(DeadLetterReplayState.Claimed, (await ledger.GetAsync(e.ContainerNumber.ToString(), "EV-1"))!.State);

        var rerun = await new DeadLetterReplayer(new ServiceBusDeadLetters(bus.DeadLetters, bus.Sender, TimeSpan.Zero), ledger, null, TimeProvider.System).ReplayAsync(null, "EV-1", "ops", null);

        Assert.True(rerun.Replayed, rerun.Error);
        Assert.Equal(2, bus.Sends);
        Assert.Single(bus.Delivered);
        Assert.Empty(bus.DeadLetters.Letters);
    }

    [Fact]
    public async Task Local_queue_crash_after_each_step_then_rerun_ends_with_one_message_and_no_dead_letter()
    {
        foreach (var crash in new[] { "send", "remove" })
        {
            var queue = new TableSessionQueue(Tables.GetTableClient($"q{crash}{_suffix}"), TimeSpan.FromSeconds(30), maxDeliveryCount: 1);
            var e = Event("EV-1", ContainerEventType.Discharged, 0);
            await queue.SendAsync(e.ContainerNumber.ToString(), e.EventId, Body(e));
            await using (var lease = (await queue.TryAcceptSessionAsync(e.ContainerNumber.ToString()))!)
            {
                await lease.DeadLetterAsync((await lease.ReceiveNextAsync())!, DeadLetterReasons.CustomsRejected, "HTTP 422");
            }
            var ledger = new CrashingLedger(new TableDeadLetterReplayLedger(Tables, $"ledger{crash}{_suffix}"), crashOn: crash == "send" ? DeadLetterReplayState.Sent : null);
            var source = new CrashingSource(new TableSessionQueueDeadLetters(queue), failRemoves: crash == "remove" ? 1 : 0);

            await Assert.ThrowsAsync<IOException>(() => new DeadLetterReplayer(source, ledger, null, TimeProvider.System).ReplayAsync(e.ContainerNumber.ToString(), "EV-1", "ops", null));
            Assert.Equal(1, await queue.CountActiveMessagesAsync());
            Assert.Single(await queue.GetDeadLettersAsync());

            var rerun = await new DeadLetterReplayer(source, ledger, null, TimeProvider.System).ReplayAsync(e.ContainerNumber.ToString(), "EV-1", "ops", null);

            Assert.True(rerun.Replayed, $"{crash}: {rerun.Error}");
            Assert.Equal(1, await queue.CountActiveMessagesAsync());
            Assert.Empty(await queue.GetDeadLettersAsync());
            Assert.Equal(DeadLetterReplayState.Settled, (await ledger.GetAsync(e.ContainerNumber.ToString(), "EV-1"))!.State);
        }
    }

    [Fact]
    public async Task Unknown_id_and_a_body_that_still_cannot_be_processed_are_refused_with_a_reason()
    {
        var queue = new TableSessionQueue(Tables.GetTableClient("qbad" + _suffix), TimeSpan.FromSeconds(30), maxDeliveryCount: 1);
        await queue.SendAsync("MSCU1234566", "junk-1", Encoding.UTF8.GetBytes("<not json/>"));
        await using (var lease = (await queue.TryAcceptSessionAsync("MSCU1234566"))!)
        {
            await lease.DeadLetterAsync((await lease.ReceiveNextAsync())!, DeadLetterReasons.MalformedBody, "not JSON");
        }
        var ledger = Ledger();
        var replayer = new DeadLetterReplayer(new TableSessionQueueDeadLetters(queue), ledger, null, TimeProvider.System);

        var unknown = await replayer.ReplayAsync(null, "no-such-id", "ops", null);
        Assert.False(unknown.Replayed);
        Assert.Contains("No dead-lettered status event 'no-such-id'", unknown.Error, StringComparison.Ordinal);

        var junk = await replayer.ReplayAsync(null, "junk-1", "ops", "try anyway");
        Assert.False(junk.Replayed);
        Assert.Equal(DeadLetterReplayState.Refused, junk.Replay!.State);
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
        Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Equal("try anyway", (await ledger.ListAsync(null)).Single(r => r.MessageId == "junk-1").Reason);
    }

    [Fact]
    public void Replay_message_id_is_deterministic_distinct_from_the_original_and_within_the_broker_limit()
    {
        Assert.Equal(DeadLetterReplayer.ReplayMessageId("EV-1", "r1"), DeadLetterReplayer.ReplayMessageId("EV-1", "r1"));
        Assert.NotEqual("EV-1", DeadLetterReplayer.ReplayMessageId("EV-1", "r1"));
        Assert.NotEqual(DeadLetterReplayer.ReplayMessageId("EV-1", "r1"), DeadLetterReplayer.ReplayMessageId("EV-1", "r2"));
        var longId = new string('x', 128);
        Assert.True(DeadLetterReplayer.ReplayMessageId(longId, Guid.NewGuid().ToString("N")).Length <= 128);
    }

    /// <summary>A queue and its dead-letter sub-queue without a broker; the sender drops an id seen before, as duplicate detection does.</summary>
    private sealed class FakeQueue
    {
        public FakeQueue(IEnumerable<ServiceBusReceivedMessage> deadLetters)
        {
            DeadLetters = new FakeDeadLetterReceiver(deadLetters);
            Sender = new FakeSender(this);
        }

        public FakeDeadLetterReceiver DeadLetters { get; }

        public FakeSender Sender { get; }

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public List<ServiceBusMessage> Delivered { get; } = [];

        public int Sends { get; set; }
    }

    private sealed class FakeSender(FakeQueue queue) : ServiceBusSender
    {
        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            queue.Sends++;
            if (queue.Seen.Add(message.MessageId))
            {
                queue.Delivered.Add(message);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class FakeDeadLetterReceiver(IEnumerable<ServiceBusReceivedMessage> letters) : ServiceBusReceiver
    {
        public List<ServiceBusReceivedMessage> Letters { get; } = [.. letters];

        public HashSet<long> Locked { get; } = [];

        public int FailCompletes { get; set; }

        public override string EntityPath => "container-status-events/$DeadLetterQueue";

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(Letters.Where(m => m.SequenceNumber >= (fromSequenceNumber ?? 0)).Take(maxMessages).ToList());

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
        {
            var received = Letters.Where(m => !Locked.Contains(m.SequenceNumber)).Take(maxMessages).ToList();
            Locked.UnionWith(received.Select(m => m.SequenceNumber));
            return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(received);
        }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Locked.Remove(message.SequenceNumber);
            if (FailCompletes > 0)
            {
                FailCompletes--;
                throw new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost);
            }
            Letters.RemoveAll(m => m.SequenceNumber == message.SequenceNumber);
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            Locked.Remove(message.SequenceNumber);
            return Task.CompletedTask;
        }
    }

    /// <summary>The process dies right after a step: the ledger update to <c>crashOn</c> never happens.</summary>
    private sealed class CrashingLedger(DeadLetterReplayLedger inner, DeadLetterReplayState? crashOn) : DeadLetterReplayLedger
    {
        private bool _crashed;

        public override Task<DeadLetterReplayRecord?> GetAsync(string sessionId, string messageId, CancellationToken cancellationToken = default) => inner.GetAsync(sessionId, messageId, cancellationToken);

        public override Task<DeadLetterReplayRecord?> TryAddAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default) => inner.TryAddAsync(record, cancellationToken);

        public override Task<DeadLetterReplayRecord?> TryUpdateAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default)
        {
            if (!_crashed && record.State == crashOn)
            {
                _crashed = true;
                throw new IOException("process killed");
            }
            return inner.TryUpdateAsync(record, cancellationToken);
        }

        public override Task<IReadOnlyList<DeadLetterReplayRecord>> ListAsync(string? sessionId, CancellationToken cancellationToken = default) => inner.ListAsync(sessionId, cancellationToken);
    }

    private sealed class CrashingSource(DeadLetterSource inner, int failRemoves) : DeadLetterSource
    {
        private int _failRemoves = failRemoves;

        public override string Name => inner.Name;

        public override Task<IReadOnlyList<DeadLetteredMessage>> ListAsync(string? sessionId, int max, CancellationToken cancellationToken = default) => inner.ListAsync(sessionId, max, cancellationToken);

        public override Task SendAsync(DeadLetteredMessage letter, string messageId, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default) =>
            inner.SendAsync(letter, messageId, properties, cancellationToken);

        public override Task<bool> RemoveAsync(DeadLetteredMessage letter, CancellationToken cancellationToken = default) =>
            _failRemoves-- > 0 ? throw new IOException("process killed") : inner.RemoveAsync(letter, cancellationToken);
    }
}
