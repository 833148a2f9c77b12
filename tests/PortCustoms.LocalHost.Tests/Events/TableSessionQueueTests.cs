using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Events;
using PortCustoms.Cloud.Messaging;
using PortCustoms.LocalHost.Events;
using PortCustoms.TestSupport;

namespace PortCustoms.LocalHost.Tests.Events;

/// <summary>
/// LocalHost's durable session queue against Azurite: the Service Bus session semantics the status-event handler relies
/// on (FIFO per session, one holder per session, redelivery, dead-lettering, duplicate detection, session state), and
/// that a holder that vanished without releasing (a crash) loses the session once its lock expires.
/// </summary>
public sealed class TableSessionQueueTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private TableSessionQueue Queue(TimeProvider? time = null, int maxDeliveryCount = 10, TimeSpan? lockDuration = null) =>
        new(new TableClient(azurite.ConnectionString, "q" + Guid.NewGuid().ToString("N")[..16]), lockDuration ?? TimeSpan.FromSeconds(30), maxDeliveryCount, TimeSpan.FromMinutes(10), time);

    private static async Task<TableSessionLease> AcceptAsync(TableSessionQueue queue, string session) =>
        await queue.TryAcceptSessionAsync(session) ?? throw new InvalidOperationException($"Session {session} was not free.");

    [Fact]
    public async Task Messages_of_a_session_come_out_in_the_order_sent()
    {
        var queue = Queue();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await queue.SendAsync("S1", $"m{i}", Text($"{i}")));
        }
        Assert.Equal(["S1"], await queue.FindAvailableSessionsAsync());
        var order = new List<string>();
        await using (var lease = await AcceptAsync(queue, "S1"))
        {
            while (await lease.ReceiveNextAsync() is { } message)
            {
                order.Add(message.MessageId);
                Assert.Equal($"{order.Count - 1}", Encoding.UTF8.GetString(message.Body.Span));
                await lease.CompleteAsync(message);
            }
        }
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], order);
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
        Assert.Empty(await queue.FindAvailableSessionsAsync());
    }

    [Fact]
    public async Task A_locked_session_is_not_given_to_a_second_consumer_until_released()
    {
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        await queue.SendAsync("S2", "b", Text("b"));
        var first = await AcceptAsync(queue, "S1");

        Assert.Null(await queue.TryAcceptSessionAsync("S1"));
        Assert.Equal(["S2"], await queue.FindAvailableSessionsAsync());

        await first.DisposeAsync();
        Assert.Equal(["S1", "S2"], (await queue.FindAvailableSessionsAsync()).Order(StringComparer.Ordinal));
        await using var again = await AcceptAsync(queue, "S1");
    }

    [Fact]
    public async Task A_holder_that_vanished_loses_the_session_when_its_lock_expires_and_the_message_comes_again()
    {
        // A crash: the lease is never released. Past its lock, another consumer takes the session and gets the same
        // message with its delivery counted twice; the vanished holder can change nothing any more.
        var time = new FakeTimeProvider(T0);
        var queue = Queue(time, lockDuration: TimeSpan.FromSeconds(5));
        await queue.SendAsync("S1", "a", Text("a"));
        var crashed = await AcceptAsync(queue, "S1");
        var first = (await crashed.ReceiveNextAsync())!;
        Assert.Equal(1, first.DeliveryCount);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(await queue.TryAcceptSessionAsync("S1"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["S1"], await queue.FindAvailableSessionsAsync());
        await using var next = await AcceptAsync(queue, "S1");
        var again = (await next.ReceiveNextAsync())!;
        Assert.Equal(("a", 2), (again.MessageId, again.DeliveryCount));

        await Assert.ThrowsAsync<SessionLockLostException>(() => crashed.CompleteAsync(first));
        await next.CompleteAsync(again);
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
    }

    [Fact]
    public async Task A_message_whose_holder_vanished_on_its_last_delivery_is_dead_lettered_by_the_next_holder()
    {
        var time = new FakeTimeProvider(T0);
        var queue = Queue(time, maxDeliveryCount: 2, lockDuration: TimeSpan.FromSeconds(5));
        await queue.SendAsync("S1", "a", Text("a"));
        await queue.SendAsync("S1", "b", Text("b"));
        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var crashed = await AcceptAsync(queue, "S1");
            Assert.Equal(delivery, (await crashed.ReceiveNextAsync())!.DeliveryCount);
            time.Advance(TimeSpan.FromSeconds(6));
        }
        await using var next = await AcceptAsync(queue, "S1");
        var b = (await next.ReceiveNextAsync())!;
        Assert.Equal(("b", 1), (b.MessageId, b.DeliveryCount));
        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Equal(("a", DeadLetterReasons.MaxDeliveryCountExceeded), (dead.MessageId, dead.Reason));
    }

    [Fact]
    public async Task Abandoned_message_is_redelivered_first_with_a_higher_delivery_count()
    {
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        await queue.SendAsync("S1", "b", Text("b"));
        await using var lease = await AcceptAsync(queue, "S1");
        var first = (await lease.ReceiveNextAsync())!;
        Assert.Equal(1, first.DeliveryCount);
        await lease.AbandonAsync(first);
        var again = (await lease.ReceiveNextAsync())!;
        Assert.Equal(("a", 2), (again.MessageId, again.DeliveryCount));
    }

    [Fact]
    public async Task Message_is_dead_lettered_after_max_deliveries_and_the_session_moves_on()
    {
        var queue = Queue(maxDeliveryCount: 3);
        await queue.SendAsync("S1", "a", Text("a"));
        await queue.SendAsync("S1", "b", Text("b"));
        await using var lease = await AcceptAsync(queue, "S1");
        for (var i = 0; i < 3; i++)
        {
            await lease.AbandonAsync((await lease.ReceiveNextAsync())!);
        }
        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Equal(("a", DeadLetterReasons.MaxDeliveryCountExceeded, 3), (dead.MessageId, dead.Reason, dead.DeliveryCount));
        Assert.Equal("a", dead.Body!.ToString());
        Assert.Equal("b", (await lease.ReceiveNextAsync())!.MessageId);
    }

    [Fact]
    public async Task Explicit_dead_letter_keeps_reason_and_description()
    {
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        await using var lease = await AcceptAsync(queue, "S1");
        await lease.DeadLetterAsync((await lease.ReceiveNextAsync())!, "MalformedBody", "not JSON");
        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Equal(("MalformedBody", "not JSON"), (dead.Reason, dead.Description));
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
    }

    [Fact]
    public async Task Resend_with_the_same_message_id_within_the_window_is_dropped()
    {
        var time = new FakeTimeProvider(T0);
        var queue = Queue(time);
        Assert.True(await queue.SendAsync("S1", "a/with#odd?chars", Text("a")));
        Assert.False(await queue.SendAsync("S1", "a/with#odd?chars", Text("a")));
        Assert.Equal(1, await queue.CountActiveMessagesAsync());
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await queue.SendAsync("S1", "a/with#odd?chars", Text("a")));
        Assert.Equal(2, await queue.CountActiveMessagesAsync());
    }

    [Fact]
    public async Task Session_state_survives_release_and_reacquire()
    {
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        await queue.SendAsync("S1", "b", Text("b"));
        await using (var lease = await AcceptAsync(queue, "S1"))
        {
            var message = (await lease.ReceiveNextAsync())!;
            await lease.SetStateAsync(Text("checkpoint"));
            await lease.CompleteAsync(message);
        }
        await using var again = await AcceptAsync(queue, "S1");
        Assert.Equal("checkpoint", Encoding.UTF8.GetString(again.GetState()!.Value.Span));
    }

    [Fact]
    public async Task Settling_twice_throws()
    {
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        await using var lease = await AcceptAsync(queue, "S1");
        var message = (await lease.ReceiveNextAsync())!;
        await lease.CompleteAsync(message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => lease.CompleteAsync(message));
    }

    [Fact]
    public async Task Concurrent_senders_of_one_session_lose_nothing_and_each_keeps_its_own_order()
    {
        var queue = Queue();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True(await queue.SendAsync("S1", $"{sender}-{i}", Text($"{i}")));
            }
        })));
        var received = new List<string>();
        await using var lease = await AcceptAsync(queue, "S1");
        while (await lease.ReceiveNextAsync() is { } message)
        {
            received.Add(message.MessageId);
            await lease.CompleteAsync(message);
        }
        Assert.Equal(40, received.Count);
        for (var sender = 0; sender < 4; sender++)
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{sender}-{i}"), received.Where(id => id.StartsWith($"{sender}-", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Consumer_never_runs_two_messages_of_one_session_at_once_and_keeps_each_sessions_order()
    {
        var queue = Queue(lockDuration: TimeSpan.FromSeconds(3));
        const int Sessions = 5, PerSession = 8;
        for (var i = 0; i < PerSession; i++)
        {
            for (var s = 0; s < Sessions; s++)
            {
                await queue.SendAsync($"S{s}", $"S{s}-{i}", Text($"{i}"));
            }
        }
        var active = new ConcurrentDictionary<string, int>();
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var overlap = 0;
        var handled = 0;
        var done = new TaskCompletionSource();
        using var consumer = new TableSessionQueueConsumer(queue, async (context, ct) =>
        {
            if (active.AddOrUpdate(context.SessionId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlap);
            }
            await Task.Yield();
            var n = int.Parse(Encoding.UTF8.GetString(context.Body.Span), System.Globalization.CultureInfo.InvariantCulture);
            active.AddOrUpdate(context.SessionId, 0, (_, v) => v - 1);
            // Every third first delivery is abandoned: its redelivery must still come before the next message.
            if (n % 3 == 0 && context.DeliveryCount == 1)
            {
                await context.AbandonAsync(ct);
                return;
            }
            seen.GetOrAdd(context.SessionId, _ => new ConcurrentQueue<int>()).Enqueue(n);
            await context.CompleteAsync(ct);
            if (Interlocked.Increment(ref handled) == Sessions * PerSession)
            {
                done.TrySetResult();
            }
        }, () => true, workers: 3, TimeSpan.FromMilliseconds(50), NullLogger.Instance);

        await consumer.StartAsync(CancellationToken.None);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(90));
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(0, overlap);
        Assert.Equal(Sessions, seen.Count);
        foreach (var order in seen.Values)
        {
            Assert.Equal(Enumerable.Range(0, PerSession), order);
        }
        Assert.Empty(await queue.GetDeadLettersAsync());
        Assert.Equal(0, await queue.CountActiveMessagesAsync());
    }

    [Fact]
    public async Task Consumer_that_may_not_process_here_takes_nothing()
    {
        // Outside the approved regions the handler says no: nothing is received, the message stays queued.
        var queue = Queue();
        await queue.SendAsync("S1", "a", Text("a"));
        var calls = 0;
        using var consumer = new TableSessionQueueConsumer(queue, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }, () => false, workers: 1, TimeSpan.FromMilliseconds(20), NullLogger.Instance);
        await consumer.StartAsync(CancellationToken.None);
        await consumer.ExecuteTask!;
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(0, calls);
        Assert.Equal(1, await queue.CountActiveMessagesAsync());
        Assert.Equal(["S1"], await queue.FindAvailableSessionsAsync());
    }
}
