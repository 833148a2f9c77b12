using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>Replaying quarantined files after a fix: same checks, original kept, who/when/outcome in the ledger.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchReplayTests(AzuriteFixture azurite)
{
    private static async Task<(BatchDropHarness Harness, BatchOptions Options)> BrokerAllowedOnlyCuscarAsync(AzuriteFixture azurite)
    {
        BatchOptions? captured = null;
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) =>
        {
            o.Brokers[broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR"] };
            captured = o;
        });
        return (h, captured!);
    }

    [Fact]
    public async Task A_file_quarantined_by_the_brokers_configuration_is_processed_when_replayed_after_the_fix()
    {
        var (h, options) = await BrokerAllowedOnlyCuscarAsync(azurite);
        var gate = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("gate.edi", gate);
        Assert.Equal(BatchDisposition.Quarantined, (await h.ProcessAsync("gate.edi")).Drop!.Disposition);
        Assert.Empty(h.Publisher.Sent);

        // The fix: the broker may send CODECO too.
        options.Brokers[h.Broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR", "CODECO"] };
        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        var replay = await replayer.ReplayAsync(h.Broker, "gate.edi", "ops.jansen", "CODECO allowed for this broker");
        Assert.Equal($"quarantine/{h.Broker}/gate.edi", replay.Of);

        var result = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(2, h.Publisher.Sent.Count);
        // The original stays in quarantine, untouched; the replayed copy is processed.
        Assert.Equal(gate, await h.ReadTextAsync("quarantine", "gate.edi"));
        Assert.Contains("processed/gate.edi", await h.ListAsync());
        var recorded = Assert.Single(await h.Ledger.ListReplaysAsync(h.Broker, "gate.edi"));
        Assert.Equal(("ops.jansen", "CODECO allowed for this broker", "Processed"), (recorded.By, recorded.Reason, recorded.Outcome));
        Assert.Equal($"processed/{h.Broker}/gate.edi", recorded.Destination);
        Assert.NotNull(recorded.DecidedAt);
    }

    [Fact]
    public async Task A_replay_before_the_fix_is_quarantined_again_and_recorded_so()
    {
        var (h, _) = await BrokerAllowedOnlyCuscarAsync(azurite);
        await h.DropAsync("gate.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi"));
        await h.ProcessAsync("gate.edi");
        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        await replayer.ReplayAsync(h.Broker, "gate.edi", "ops.jansen", null);

        var result = await h.ProcessAsync("gate.edi");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Sent);
        Assert.Equal("Quarantined", Assert.Single(await h.Ledger.ListReplaysAsync(h.Broker)).Outcome);
    }

    [Fact]
    public async Task A_replayed_file_whose_content_another_drop_processed_is_still_a_duplicate()
    {
        var (h, options) = await BrokerAllowedOnlyCuscarAsync(azurite);
        var gate = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("gate.edi", gate);
        await h.ProcessAsync("gate.edi");
        options.Brokers[h.Broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR", "CODECO"] };
        // The broker sent it again under another name after the fix: processed once.
        await h.DropAsync("gate-resent.edi", gate);
        var resent = await h.ProcessAsync("gate-resent.edi");
        Assert.Equal(BatchDisposition.Duplicate, resent.Drop!.Disposition);

        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        await replayer.ReplayAsync(h.Broker, "gate.edi", "ops.jansen", null);
        var replayed = await h.ProcessAsync("gate.edi");

        // The resent copy was a duplicate of the quarantined one, so the replay is the first to process the content.
        Assert.Equal(BatchDisposition.Processed, replayed.Drop!.Disposition);
        Assert.Equal(2, h.Publisher.Sent.Count);

        // Replaying the same file again finds its content processed: nothing is queued twice.
        await Assert.ThrowsAsync<BatchReplayException>(() => replayer.ReplayAsync(h.Broker, "gate.edi", "ops.jansen", null));
        Assert.Equal(2, h.Publisher.Sent.Count);
    }

    [Fact]
    public async Task Only_quarantined_files_are_replayed_and_a_waiting_file_is_never_overwritten()
    {
        var (h, _) = await BrokerAllowedOnlyCuscarAsync(azurite);
        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        var unknown = await Assert.ThrowsAsync<BatchReplayException>(() => replayer.ReplayAsync(h.Broker, "nothing.edi", "ops", null));
        Assert.Contains("No drop", unknown.Message, StringComparison.Ordinal);

        await h.DropAsync("gate.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi"));
        await h.ProcessAsync("gate.edi");
        await h.DropAsync("gate.edi", "a new upload under the same name");
        var waiting = await Assert.ThrowsAsync<BatchReplayException>(() => replayer.ReplayAsync(h.Broker, "gate.edi", "ops", null));
        Assert.Contains("waiting", waiting.Message, StringComparison.Ordinal);
        Assert.Equal("a new upload under the same name", await h.ReadTextAsync("inbound", "gate.edi"));
        Assert.Equal("Refused", Assert.Single(await h.Ledger.ListReplaysAsync(h.Broker)).Outcome);
    }

    [Fact]
    public async Task Replay_all_re_drives_every_quarantined_file_of_the_broker()
    {
        var (h, options) = await BrokerAllowedOnlyCuscarAsync(azurite);
        var gate = BatchDropHarness.Fixture("codeco-d95b-gate.edi");
        await h.DropAsync("a.edi", gate);
        await h.ProcessAsync("a.edi");
        await h.DropAsync("b.json", BatchDropProcessorTests.EventsJson);
        await h.ProcessAsync("b.json");
        options.Brokers[h.Broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR", "CODECO"] };

        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        var results = await replayer.ReplayAllAsync(h.Broker, DateTimeOffset.UtcNow.AddHours(-1), "ops", "bulk after fix");

        var only = Assert.Single(results);
        Assert.Equal("a.edi", only.Name);
        Assert.Null(only.Error);
        Assert.Equal(BatchDisposition.Processed, (await h.ProcessAsync("a.edi")).Drop!.Disposition);
    }

    [Fact]
    public async Task Replay_all_of_one_broker_is_not_crowded_out_by_newer_files_of_other_brokers()
    {
        var (h, options) = await BrokerAllowedOnlyCuscarAsync(azurite);
        await h.DropAsync("a.edi", BatchDropHarness.Fixture("codeco-d95b-gate.edi"));
        await h.ProcessAsync("a.edi");
        await h.Ledger.SaveDropAsync(new BatchDropRecord
        {
            Broker = "other" + h.Broker,
            Name = "newer.edi",
            SourceETag = "0x9",
            State = BatchDropState.Done,
            Disposition = BatchDisposition.Quarantined,
            Destination = $"quarantine/other{h.Broker}/newer.edi",
            DecidedAt = DateTimeOffset.UtcNow.AddMinutes(5),
        });
        options.Brokers[h.Broker] = new BatchBrokerOptions { AllowedMessageTypes = ["CUSCAR", "CODECO"] };

        var results = await new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System)
            .ReplayAllAsync(h.Broker, DateTimeOffset.UtcNow.AddHours(-1), "ops", null, limit: 1);

        Assert.Equal("a.edi", Assert.Single(results).Name);
    }
}

/// <summary>The sweep: files whose event never came are processed once the grace period has passed, and only then.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchInboundSweepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_file_whose_event_never_came_is_processed_after_the_grace_period_and_only_once()
    {
        var h = await BatchDropHarness.CreateAsync(azurite);
        await h.DropAsync("late.json", BatchDropProcessorTests.EventsJson);
        await h.DropAsync("upload.json.filepart", BatchDropProcessorTests.EventsJson);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweep = new BatchInboundSweep(new BatchLandingStorage(h.Blobs), h.Processor, clock) { Grace = TimeSpan.FromMinutes(10) };

        // Within the grace period the event may still come: nothing of this broker is touched.
        Assert.DoesNotContain((await sweep.SweepAsync()), r => r.Broker == h.Broker);
        Assert.Contains("inbound/late.json", await h.ListAsync());

        clock.Advance(TimeSpan.FromMinutes(11));
        var swept = (await sweep.SweepAsync()).Where(r => r.Broker == h.Broker).ToList();
        var late = Assert.Single(swept);
        Assert.Equal(("late.json", BatchDropStatus.Completed), (late.Name, late.Result!.Status));
        Assert.Equal(2, h.Publisher.Sent.Count);
        // The temporary upload name is left for its rename.
        Assert.Contains("inbound/upload.json.filepart", await h.ListAsync());

        // The late event arrives after all: already done, nothing sent twice.
        Assert.Equal(BatchDropStatus.AlreadyDone, (await h.ProcessAsync("late.json")).Status);
        Assert.Equal(2, h.Publisher.Sent.Count);
    }
}
