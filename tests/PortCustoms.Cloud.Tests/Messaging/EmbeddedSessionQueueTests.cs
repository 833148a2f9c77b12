using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;

namespace PortCustoms.Cloud.Tests.Messaging;

public sealed class EmbeddedSessionQueueTests
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Messages_of_a_session_come_out_in_the_order_sent()
    {
        var queue = new EmbeddedSessionQueue();
        for (var i = 0; i < 5; i++)
        {
            queue.Send("S1", $"m{i}", Text($"{i}"));
        }
        using var lease = await queue.AcceptNextSessionAsync();
        var order = new List<string>();
        while (lease.ReceiveNext() is { } message)
        {
            order.Add(message.MessageId);
            lease.Complete(message);
        }
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], order);
        Assert.Equal(0, queue.ActiveMessageCount);
    }

    [Fact]
    public async Task A_locked_session_is_not_given_to_a_second_consumer_until_released()
    {
        var queue = new EmbeddedSessionQueue();
        queue.Send("S1", "a", Text("a"));
        queue.Send("S2", "b", Text("b"));
        var first = await queue.AcceptNextSessionAsync();
        var second = await queue.AcceptNextSessionAsync();
        Assert.NotEqual(first.SessionId, second.SessionId);

        queue.Send(first.SessionId, "c", Text("c"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.AcceptNextSessionAsync(cts.Token));

        first.Dispose();
        using var third = await queue.AcceptNextSessionAsync();
        Assert.Equal(first.SessionId, third.SessionId);
        second.Dispose();
    }

    [Fact]
    public async Task Abandoned_message_is_redelivered_first_with_a_higher_delivery_count()
    {
        var queue = new EmbeddedSessionQueue();
        queue.Send("S1", "a", Text("a"));
        queue.Send("S1", "b", Text("b"));
        using var lease = await queue.AcceptNextSessionAsync();
        var first = lease.ReceiveNext()!;
        Assert.Equal(1, first.DeliveryCount);
        lease.Abandon(first);
        var again = lease.ReceiveNext()!;
        Assert.Equal("a", again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Message_is_dead_lettered_after_max_deliveries_and_the_session_moves_on()
    {
        var queue = new EmbeddedSessionQueue(maxDeliveryCount: 3);
        queue.Send("S1", "a", Text("a"));
        queue.Send("S1", "b", Text("b"));
        using var lease = await queue.AcceptNextSessionAsync();
        for (var i = 0; i < 3; i++)
        {
            lease.Abandon(lease.ReceiveNext()!);
        }
        var dead = Assert.Single(queue.DeadLetters);
        Assert.Equal("a", dead.Message.MessageId);
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, dead.Reason);
        Assert.Equal("b", lease.ReceiveNext()!.MessageId);
    }

    [Fact]
    public async Task Explicit_dead_letter_keeps_reason_and_description()
    {
        var queue = new EmbeddedSessionQueue();
        queue.Send("S1", "a", Text("a"));
        using var lease = await queue.AcceptNextSessionAsync();
        lease.DeadLetter(lease.ReceiveNext()!, "MalformedBody", "not JSON");
        var dead = Assert.Single(queue.DeadLetters);
        Assert.Equal(("MalformedBody", "not JSON"), (dead.Reason, dead.Description));
    }

    [Fact]
    public void Resend_with_the_same_message_id_within_the_window_is_dropped()
    {
        var time = new ManualTimeProvider(TestEvents.T0);
        var queue = new EmbeddedSessionQueue(duplicateDetectionWindow: TimeSpan.FromMinutes(10), timeProvider: time);
        Assert.True(queue.Send("S1", "a", Text("a")));
        Assert.False(queue.Send("S1", "a", Text("a")));
        Assert.Equal(1, queue.ActiveMessageCount);
        time.Now = TestEvents.T0.AddMinutes(11);
        Assert.True(queue.Send("S1", "a", Text("a")));
        Assert.Equal(2, queue.ActiveMessageCount);
    }

    [Fact]
    public async Task Session_state_survives_release_and_reacquire()
    {
        var queue = new EmbeddedSessionQueue();
        queue.Send("S1", "a", Text("a"));
        queue.Send("S1", "b", Text("b"));
        using (var lease = await queue.AcceptNextSessionAsync())
        {
            var message = lease.ReceiveNext()!;
            lease.SetState(Text("checkpoint"));
            lease.Complete(message);
        }
        using var again = await queue.AcceptNextSessionAsync();
        Assert.Equal("checkpoint", Encoding.UTF8.GetString(again.GetState()!));
    }

    [Fact]
    public async Task Settling_twice_throws()
    {
        var queue = new EmbeddedSessionQueue();
        queue.Send("S1", "a", Text("a"));
        using var lease = await queue.AcceptNextSessionAsync();
        var message = lease.ReceiveNext()!;
        lease.Complete(message);
        Assert.Throws<InvalidOperationException>(() => lease.Complete(message));
    }

    [Fact]
    public async Task Workers_never_run_two_messages_of_one_session_at_once_and_keep_each_sessions_order()
    {
        var queue = new EmbeddedSessionQueue();
        const int Sessions = 6, PerSession = 30;
        for (var i = 0; i < PerSession; i++)
        {
            for (var s = 0; s < Sessions; s++)
            {
                queue.Send($"S{s}", $"S{s}-{i}", Text($"{i}"));
            }
        }
        var active = new ConcurrentDictionary<string, int>();
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var overlap = 0;
        var done = new TaskCompletionSource();
        var handled = 0;
        using var cts = new CancellationTokenSource();
        var workers = EmbeddedSessionQueueConsumer.RunWorkersAsync(queue, async (context, ct) =>
        {
            if (active.AddOrUpdate(context.SessionId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlap);
            }
            await Task.Yield();
            // Every third first delivery is abandoned: redelivery must still come before the next message.
            var n = int.Parse(Encoding.UTF8.GetString(context.Body.Span), System.Globalization.CultureInfo.InvariantCulture);
            active.AddOrUpdate(context.SessionId, 0, (_, v) => v - 1);
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
        }, workers: 4, NullLogger.Instance, cts.Token);

        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await cts.CancelAsync();
        await workers;
        Assert.Equal(0, overlap);
        foreach (var order in seen.Values)
        {
            Assert.Equal(Enumerable.Range(0, PerSession), order);
        }
        Assert.Empty(queue.DeadLetters);
    }
}

public sealed class ServiceBusEventQueueOptionsTests
{
    [Fact]
    public void Validate_LockRenewalShorterThanTheCustomsHold_Fails()
    {
        var events = Microsoft.Extensions.Options.Options.Create(new ContainerEventOptions { MaxHoldDuration = TimeSpan.FromMinutes(30) });
        var validator = new ServiceBusLockRenewalValidation(events);
        var options = new ServiceBusEventQueueOptions { FullyQualifiedNamespace = "x.servicebus.windows.net", MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(10) };
        Assert.True(validator.Validate(null, options).Failed);
        options.MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(40);
        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void UsesServiceBus_NeitherNamespaceNorConnectionString_IsFalse()
    {
        Assert.False(new ServiceBusEventQueueOptions().UsesServiceBus);
        Assert.True(new ServiceBusEventQueueOptions { FullyQualifiedNamespace = "x.servicebus.windows.net" }.UsesServiceBus);
        Assert.True(new ServiceBusEventQueueOptions { ConnectionString = "Endpoint=sb://x/" }.UsesServiceBus);
    }
}

public sealed class EmbeddedSessionQueueConsumerTests
{
    [Fact]
    public async Task Consumer_outside_approved_regions_does_not_start_and_leaves_messages_queued()
    {
        var residencyOptions = new PortCustoms.Core.Residency.ResidencyOptions();
        residencyOptions.AllowedRegions.Add("westeurope");
        var guard = new PortCustoms.Core.Residency.ResidencyGuard(Microsoft.Extensions.Options.Options.Create(residencyOptions), "East US");
        var sink = new RecordingCustomsSink();
        var handler = new ContainerEventMessageHandler(new InMemoryContainerTimelineStore(), sink, UnknownCustomsReleaseLookup.Instance,
            Microsoft.Extensions.Options.Options.Create(new ContainerEventOptions()), new ContainerEventMetrics(), residency: guard);
        var queue = new EmbeddedSessionQueue();
        var e = TestEvents.Event("E-1", ContainerEventType.Discharged, 0);
        queue.Send(e.ContainerNumber.ToString(), e.EventId, TestEvents.Body(e));

        using var consumer = new EmbeddedSessionQueueConsumer(queue, handler,
            Microsoft.Extensions.Options.Options.Create(new ServiceBusEventQueueOptions()), NullLogger<EmbeddedSessionQueueConsumer>.Instance);
        await consumer.StartAsync(CancellationToken.None);
        await consumer.ExecuteTask!;
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(1, queue.ActiveMessageCount);
        Assert.Equal(0, sink.Attempts);
    }
}
