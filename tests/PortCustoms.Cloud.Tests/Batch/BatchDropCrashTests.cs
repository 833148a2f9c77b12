using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>A crash injected after each step of the outcome, then a re-run: the job finishes exactly once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchDropCrashTests(AzuriteFixture azurite)
{
    private sealed class Crash : Exception;

    [Theory]
    [InlineData(BatchDropStep.Applied)]
    [InlineData(BatchDropStep.LedgerDecided)]
    [InlineData(BatchDropStep.Copied)]
    [InlineData(BatchDropStep.OriginalDeleted)]
    public async Task A_crash_after_a_step_then_a_rerun_finishes_once_with_nothing_lost_or_doubled(BatchDropStep step)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);
        h.Processor.AfterStep = s => s == step ? throw new Crash() : Task.CompletedTask;

        await Assert.ThrowsAsync<Crash>(() => h.ProcessAsync("events.json"));
        h.Processor.AfterStep = null;
        var rerun = await h.ProcessAsync("events.json");
        var again = await h.ProcessAsync("events.json");

        Assert.Equal(step == BatchDropStep.OriginalDeleted ? BatchDropStatus.AlreadyDone : BatchDropStatus.Completed, rerun.Status);
        Assert.Equal(BatchDropStatus.AlreadyDone, again.Status);
        Assert.Equal(["processed/events.json", "processed/events.json.result.json"], await h.ListAsync());
        Assert.Equal(BatchDropProcessorTests.EventsJson, await h.ReadTextAsync("processed", "events.json"));
        // On the queue once each; only a crash before the ledger has the outcome sends again, with the same ids.
        Assert.Equal(["E-1", "E-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
        Assert.Equal(step == BatchDropStep.Applied ? 4 : 2, h.Publisher.Sent.Count);
        var drop = await h.Ledger.GetDropAsync(h.Broker, "events.json");
        Assert.Equal(BatchDropState.Done, drop!.State);
        Assert.Equal(BatchDisposition.Processed, drop.Disposition);
    }

    [Theory]
    [InlineData(BatchDropStep.LedgerDecided)]
    [InlineData(BatchDropStep.Copied)]
    public async Task A_crash_while_quarantining_then_a_rerun_leaves_one_quarantined_copy_and_its_report(BatchDropStep step)
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("bad.csv", "containerNumber,vesselImo\r\nMSCU1234566,9811000\r\n");
        h.Processor.AfterStep = s => s == step ? throw new Crash() : Task.CompletedTask;

        await Assert.ThrowsAsync<Crash>(() => h.ProcessAsync("bad.csv"));
        h.Processor.AfterStep = null;
        await h.ProcessAsync("bad.csv");

        Assert.Equal(["quarantine/bad.csv", "quarantine/bad.csv.error.json"], await h.ListAsync());
    }

    [Fact]
    public async Task A_queue_that_fails_leaves_the_file_in_inbound_for_the_retry()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);
        h.Publisher.Fail = new InvalidOperationException("queue down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.ProcessAsync("events.json"));
        Assert.Equal(["inbound/events.json"], await h.ListAsync());

        h.Publisher.Fail = null;
        var retry = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Processed, retry.Drop!.Disposition);
        Assert.Equal(["processed/events.json", "processed/events.json.result.json"], await h.ListAsync());
    }
}
