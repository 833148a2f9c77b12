using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>
/// Two files of one broker carrying the same EDIFACT reference, processed at the same moment (as two Event Grid
/// deliveries on two instances would be), against Azurite: the interleavings are forced with the processor's step
/// hooks and the lock's contention hook, never with sleeps. Exactly one file applies, the one decided first.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchBrokerLockTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed class Crash : Exception;

    /// <summary>Which of the test's calls a step hook runs in (flows with the call's awaits).</summary>
    private static readonly AsyncLocal<string?> Caller = new();

    public enum Shared
    {
        InterchangeReference,
        MessageReference,
    }

    /// <summary>Two interchanges of one sender sharing a UNB 0020 or a UNH 0062 (and nothing else, nor with other rounds).</summary>
    private static (string A, string[] AEvents, string B, string[] BEvents, string Code) Pair(Shared shared, int round) => shared == Shared.InterchangeReference
        ? (BatchMessageReferenceTests.Interchange($"R{round}", ($"A{round}", $"A{round}-1")), [$"A{round}-1"],
            BatchMessageReferenceTests.Interchange($"R{round}", ($"B{round}", $"B{round}-2")), [$"B{round}-2"],
            BatchErrorCodes.DuplicateInterchange)
        : (BatchMessageReferenceTests.Interchange($"A{round}", ($"A{round}", $"A{round}-1"), ($"M{round}", $"A{round}-2")), [$"A{round}-1", $"A{round}-2"],
            BatchMessageReferenceTests.Interchange($"B{round}", ($"M{round}", $"B{round}-2"), ($"B{round}", $"B{round}-3")), [$"B{round}-2", $"B{round}-3"],
            BatchErrorCodes.DuplicateMessageReference);

    private static Task<BatchDropResult> Run(BatchDropHarness h, string who, string name, string? broker = null) => Task.Run(() =>
    {
        Caller.Value = who;
        return h.Processor.ProcessAsync(broker ?? h.Broker, name);
    });

    private static JsonElement Json(string? text)
    {
        Assert.NotNull(text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static async Task AssertQuarantinedWithAsync(BatchDropHarness h, string name, BatchDropResult result, string code, string firstName)
    {
        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        var errors = Json(await h.ReadTextAsync("quarantine", name + ".error.json")).GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("code").GetString() == code).ToList();
        Assert.NotEmpty(errors);
        Assert.Contains($"{h.Broker}/{firstName}@", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Shared.InterchangeReference, BatchDropStep.Locked)]
    [InlineData(Shared.InterchangeReference, BatchDropStep.Analyzed)]
    [InlineData(Shared.InterchangeReference, BatchDropStep.Applied)]
    [InlineData(Shared.MessageReference, BatchDropStep.Locked)]
    [InlineData(Shared.MessageReference, BatchDropStep.Analyzed)]
    [InlineData(Shared.MessageReference, BatchDropStep.Applied)]
    public async Task Two_files_with_one_reference_decided_at_the_same_moment_apply_once_the_first_decided_wins(Shared shared, BatchDropStep pausedAt)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        List<string> expected = [];
        for (var round = 0; round < 4; round++)
        {
            // Either file may be the one that takes the lock first.
            var (a, aEvents, b, bEvents, code) = Pair(shared, round);
            var swap = round % 2 == 1;
            var (first, second, firstEvents) = swap ? (b, a, bEvents) : (a, b, aEvents);
            await h.DropAsync($"first{round}.edi", first);
            await h.DropAsync($"second{round}.edi", second);
            var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var secondWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            h.Processor.AfterStep = async step =>
            {
                if (Caller.Value == "first" && step == pausedAt)
                {
                    paused.TrySetResult();
                    await resume.Task;
                }
            };
            h.Locks.Contended = _ =>
            {
                if (Caller.Value == "second")
                {
                    secondWaits.TrySetResult();
                }
                return Task.CompletedTask;
            };

            var firstRun = Run(h, "first", $"first{round}.edi");
            await paused.Task.WaitAsync(Patience);
            var secondRun = Run(h, "second", $"second{round}.edi");
            // The second file is held at the broker's lock while the first is between reading and applying.
            await secondWaits.Task.WaitAsync(Patience);
            Assert.False(secondRun.IsCompleted);
            resume.SetResult();
            var firstResult = await firstRun.WaitAsync(Patience);
            var secondResult = await secondRun.WaitAsync(Patience);

            Assert.Equal(BatchDisposition.Processed, firstResult.Drop!.Disposition);
            await AssertQuarantinedWithAsync(h, $"second{round}.edi", secondResult, code, $"first{round}.edi");
            expected.AddRange(firstEvents);
            Assert.Equal(expected.Order(), h.Publisher.Queued.Select(e => e.EventId).Order());
        }
    }

    [Theory]
    [InlineData(Shared.InterchangeReference)]
    [InlineData(Shared.MessageReference)]
    public async Task Two_files_with_one_reference_started_together_many_times_apply_exactly_one(Shared shared)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        for (var round = 0; round < 8; round++)
        {
            var (a, _, b, _, code) = Pair(shared, round);
            await h.DropAsync($"a{round}.edi", a);
            await h.DropAsync($"b{round}.edi", b);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runA = Task.Run(async () => { await start.Task; return await h.ProcessAsync($"a{round}.edi"); });
            var runB = Task.Run(async () => { await start.Task; return await h.ProcessAsync($"b{round}.edi"); });
            start.SetResult();
            var results = await Task.WhenAll(runA, runB).WaitAsync(Patience);

            var processed = Assert.Single(results, r => r.Drop!.Disposition == BatchDisposition.Processed);
            var quarantined = Assert.Single(results, r => r.Drop!.Disposition == BatchDisposition.Quarantined);
            await AssertQuarantinedWithAsync(h, quarantined.Drop!.Name, quarantined, code, processed.Drop!.Name);
        }
        // Each round's applied file put its own events on the queue, and the other none.
        Assert.Equal(shared == Shared.InterchangeReference ? 8 : 16, h.Publisher.Queued.Count);
    }

    [Fact]
    public async Task Another_brokers_file_is_decided_while_a_broker_holds_its_lock()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var other = "other" + h.Broker["broker".Length..];
        await h.DropAsync("held.edi", BatchMessageReferenceTests.Interchange("X1", ("1", "H-1")));
        await h.Blobs.GetBlobContainerClient(BatchDropProcessor.InboundContainer).GetBlobClient($"{other}/free.edi")
            .UploadAsync(BinaryData.FromString(BatchMessageReferenceTests.Interchange("X1", ("1", "O-1"))));
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Processor.AfterStep = async step =>
        {
            if (Caller.Value == "held" && step == BatchDropStep.Analyzed)
            {
                paused.TrySetResult();
                await resume.Task;
            }
        };
        var contended = 0;
        h.Locks.Contended = _ =>
        {
            Interlocked.Increment(ref contended);
            return Task.CompletedTask;
        };

        var held = Run(h, "held", "held.edi");
        await paused.Task.WaitAsync(Patience);
        // The first broker's lock is held (its file stopped between reading and applying): the other broker's goes through.
        var free = await Run(h, "free", "free.edi", other).WaitAsync(Patience);
        resume.SetResult();

        Assert.Equal(BatchDisposition.Processed, free.Drop!.Disposition);
        Assert.Equal(0, Volatile.Read(ref contended));
        Assert.Equal(BatchDisposition.Processed, (await held.WaitAsync(Patience)).Drop!.Disposition);
        Assert.Equal(["H-1", "O-1"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_file_decided_for_longer_than_its_lease_keeps_the_lock_by_renewing_it()
    {
        var h = await BatchDropHarness.CreateAsync(azurite, lockDuration: TimeSpan.FromSeconds(15));
        await h.DropAsync("long.edi", BatchMessageReferenceTests.Interchange("K1", ("1", "K-1")));
        await h.DropAsync("next.edi", BatchMessageReferenceTests.Interchange("K1", ("2", "K-2")));
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewedFourTimes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewals = 0;
        h.Locks.Renewed = _ =>
        {
            if (Interlocked.Increment(ref renewals) == 4)
            {
                renewedFourTimes.TrySetResult();
            }
        };
        h.Processor.AfterStep = async step =>
        {
            if (Caller.Value == "long" && step == BatchDropStep.Analyzed)
            {
                paused.TrySetResult();
                await resume.Task;
            }
        };

        var longRun = Run(h, "long", "long.edi");
        await paused.Task.WaitAsync(Patience);
        var next = Run(h, "next", "next.edi");
        // Four renewals at a third of the lease: past the 15 s it was taken for, still held, the next file still waiting.
        await renewedFourTimes.Task.WaitAsync(Patience);
        Assert.False(next.IsCompleted);
        resume.SetResult();

        Assert.Equal(BatchDisposition.Processed, (await longRun.WaitAsync(Patience)).Drop!.Disposition);
        await AssertQuarantinedWithAsync(h, "next.edi", await next.WaitAsync(Patience), BatchErrorCodes.DuplicateInterchange, "long.edi");
    }

    [Fact]
    public async Task A_holder_that_dies_while_applying_keeps_its_references_the_next_file_waits_for_the_lease_to_expire_and_the_rerun_finishes()
    {
        // The shortest lease Azure allows; the dead holder is neither renewed nor released, so the next file waits it out.
        var h = await BatchDropHarness.CreateAsync(azurite, lockDuration: TimeSpan.FromSeconds(15));
        await h.DropAsync("one.edi", BatchMessageReferenceTests.Interchange("C1", ("1", "C-1")));
        await h.DropAsync("two.edi", BatchMessageReferenceTests.Interchange("C1", ("2", "C-2")));
        h.Processor.AfterStep = step =>
        {
            if (step == BatchDropStep.Applied)
            {
                h.Locks.AbandonHeld();
                throw new Crash();
            }
            return Task.CompletedTask;
        };
        await Assert.ThrowsAsync<Crash>(() => h.ProcessAsync("one.edi"));
        h.Processor.AfterStep = null;
        var waited = 0;
        h.Locks.Contended = _ =>
        {
            Interlocked.Increment(ref waited);
            return Task.CompletedTask;
        };

        // The dead holder applied its events but recorded no outcome: its references still count.
        var two = await h.ProcessAsync("two.edi").WaitAsync(Patience);
        var one = await h.ProcessAsync("one.edi").WaitAsync(Patience);

        Assert.True(Volatile.Read(ref waited) > 0);
        await AssertQuarantinedWithAsync(h, "two.edi", two, BatchErrorCodes.DuplicateInterchange, "one.edi");
        Assert.Equal(BatchDisposition.Processed, one.Drop!.Disposition);
        Assert.Equal(["C-1"], h.Publisher.Queued.Select(e => e.EventId));
        Assert.Equal(["outbound/one.edi.contrl.edi", "outbound/two.edi.contrl.edi", "processed/one.edi", "processed/one.edi.result.json", "quarantine/two.edi", "quarantine/two.edi.error.json"], await h.ListAsync());
    }

    [Fact]
    public async Task A_holder_that_dies_before_applying_leaves_nothing_that_counts_the_next_file_applies_and_the_rerun_is_the_duplicate()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("one.edi", BatchMessageReferenceTests.Interchange("D1", ("1", "D-1"), ("2", "D-2")));
        await h.DropAsync("two.edi", BatchMessageReferenceTests.Interchange("D2", ("2", "E-2")));
        h.Processor.AfterStep = step =>
        {
            if (step == BatchDropStep.Analyzed)
            {
                h.Locks.AbandonHeld();
                throw new Crash();
            }
            return Task.CompletedTask;
        };
        await Assert.ThrowsAsync<Crash>(() => h.ProcessAsync("one.edi"));
        h.Processor.AfterStep = null;
        // The dead holder's lease runs out (broken here, as its expiry would end it).
        await h.Locks.LockBlob(h.Broker).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);

        var two = await h.ProcessAsync("two.edi").WaitAsync(Patience);
        var one = await h.ProcessAsync("one.edi").WaitAsync(Patience);

        Assert.Equal(BatchDisposition.Processed, two.Drop!.Disposition);
        await AssertQuarantinedWithAsync(h, "one.edi", one, BatchErrorCodes.DuplicateMessageReference, "two.edi");
        Assert.Equal(["E-2"], h.Publisher.Queued.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_holder_that_lost_its_lease_while_paused_applies_nothing_and_its_retry_is_the_duplicate()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        // Slow reads message 9 as unused and records it, then pauses; fast, reading while slow is undecided, takes 9 too.
        await h.DropAsync("slow.edi", BatchMessageReferenceTests.Interchange("L1", ("1", "L-1"), ("9", "L-9")));
        await h.DropAsync("fast.edi", BatchMessageReferenceTests.Interchange("L2", ("9", "L-2")));
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Processor.AfterStep = async step =>
        {
            if (Caller.Value == "slow" && step == BatchDropStep.Analyzed)
            {
                paused.TrySetResult();
                await resume.Task;
            }
        };

        var slow = Run(h, "slow", "slow.edi");
        await paused.Task.WaitAsync(Patience);
        // Paused past its lease: the lease ends (broken, as an expiry would) and another instance takes the lock.
        await h.Locks.LockBlob(h.Broker).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var fast = await Run(h, "fast", "fast.edi").WaitAsync(Patience);
        resume.SetResult();

        Assert.Equal(BatchDisposition.Processed, fast.Drop!.Disposition);
        await Assert.ThrowsAsync<BatchDropBusyException>(() => slow.WaitAsync(Patience));
        Assert.Equal(["L-2"], h.Publisher.Queued.Select(e => e.EventId));
        h.Processor.AfterStep = null;
        var retry = await h.ProcessAsync("slow.edi");
        await AssertQuarantinedWithAsync(h, "slow.edi", retry, BatchErrorCodes.DuplicateMessageReference, "fast.edi");
        Assert.Equal(["L-2"], h.Publisher.Queued.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_file_that_waits_too_long_for_its_brokers_lock_stays_in_inbound_and_is_finished_later()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        var locks = new BatchBrokerLocks(h.Blobs) { Wait = TimeSpan.Zero };
        var processor = new BatchDropProcessor(new BatchLandingStorage(h.Blobs), h.Ledger, locks, h.Pipeline, TimeProvider.System);
        await h.DropAsync("late.edi", BatchMessageReferenceTests.Interchange("W1", ("1", "W-1")));
        // Another instance holds the broker's lock.
        var other = h.Locks.LockBlob(h.Broker);
        (await h.Locks.AcquireAsync(h.Broker)).Abandon();

        await Assert.ThrowsAsync<BatchDropBusyException>(() => processor.ProcessAsync(h.Broker, "late.edi"));
        Assert.Equal(["inbound/late.edi"], await h.ListAsync());
        Assert.Empty(h.Publisher.Queued);

        await other.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        Assert.Equal(BatchDisposition.Processed, (await processor.ProcessAsync(h.Broker, "late.edi")).Drop!.Disposition);
    }
}
