using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using PortCustoms.Cloud.Batch;
using PortCustoms.Cloud.Tests.Batch.Fixtures;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Batch;

/// <summary>
/// A file is read as a broker's only when the broker's SFTP user uploaded it (the owner the landing account reports):
/// content another broker, or anyone else, put in the folder is quarantined unread and nothing of it is applied.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchUploaderTests(AzuriteFixture azurite)
{
    private const string BrokerUser = "1001";
    private const string OtherBrokerUser = "1002";

    private async Task<BatchDropHarness> CheckedAsync(string? brokerUser = BrokerUser)
    {
        var h = await BatchDropHarness.CreateAsync(azurite, (o, broker) =>
        {
            o.UploaderIdentity = BatchUploaderIdentity.SftpOwner;
            o.Brokers[broker] = new BatchBrokerOptions { SftpUserId = brokerUser };
            o.Brokers["otherbroker"] = new BatchBrokerOptions { SftpUserId = OtherBrokerUser };
        });
        return h;
    }

    private static IEnumerable<string> ErrorCodes(string? report)
    {
        Assert.NotNull(report);
        using var document = JsonDocument.Parse(report);
        return document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToList();
    }

    [Fact]
    public async Task A_file_the_brokers_own_SFTP_user_uploaded_is_processed()
    {
        var h = await CheckedAsync();
        h.OwnerOf = _ => BrokerUser;
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);

        var result = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(["E-1", "E-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_file_another_brokers_user_put_in_the_folder_is_quarantined_unread_and_nothing_is_applied()
    {
        var h = await CheckedAsync();
        h.OwnerOf = _ => OtherBrokerUser;
        var content = Encoding.UTF8.GetBytes(BatchDropProcessorTests.EventsJson);
        await h.DropAsync("events.json", content);

        var result = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Queued);
        Assert.Equal(["quarantine/events.json", "quarantine/events.json.error.json"], await h.ListAsync());
        Assert.Equal(content, await h.ReadAsync("quarantine", "events.json"));
        var report = await h.ReadTextAsync("quarantine", "events.json.error.json");
        Assert.Equal([BatchErrorCodes.UploaderNotBroker], ErrorCodes(report));
        Assert.Contains(OtherBrokerUser, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_owner_the_account_does_not_report_is_quarantined_fail_closed()
    {
        var h = await CheckedAsync();
        h.OwnerOf = _ => null;
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);

        var result = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Queued);
        Assert.Equal([BatchErrorCodes.UploaderNotBroker], ErrorCodes(await h.ReadTextAsync("quarantine", "events.json.error.json")));
    }

    [Fact]
    public async Task A_folder_without_a_configured_SFTP_user_has_no_broker_to_attribute_files_to()
    {
        var h = await CheckedAsync(brokerUser: null);
        h.OwnerOf = _ => BrokerUser;
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);

        var result = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Quarantined, result.Drop!.Disposition);
        Assert.Empty(h.Publisher.Queued);
    }

    [Fact]
    public async Task An_operators_recorded_replay_is_read_but_replay_metadata_without_a_ledger_record_is_not()
    {
        var h = await CheckedAsync();
        h.OwnerOf = _ => OtherBrokerUser;
        await h.DropAsync("events.json", BatchDropProcessorTests.EventsJson);
        Assert.Equal(BatchDisposition.Quarantined, (await h.ProcessAsync("events.json")).Drop!.Disposition);

        // Someone with write access forges the replay metadata: no ledger record, so the owner check still applies.
        var forged = h.Blob(BatchDropProcessor.InboundContainer, "forged.json");
        await forged.UploadAsync(BinaryData.FromString(BatchDropProcessorTests.EventsJson.Replace("E-1", "F-1", StringComparison.Ordinal).Replace("E-2", "F-2", StringComparison.Ordinal)), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { [BatchDropProcessor.ReplayIdKey] = Guid.NewGuid().ToString("N"), [BatchDropProcessor.ReplayOfKey] = "x" },
        });
        Assert.Equal(BatchDisposition.Quarantined, (await h.ProcessAsync("forged.json")).Drop!.Disposition);
        Assert.Empty(h.Publisher.Queued);

        // The operator decides the quarantined file is the broker's after all and replays it: recorded, so read.
        h.OwnerOf = _ => "5f0c6a8e-ops-object-id";
        var replayer = new BatchReplayer(new BatchLandingStorage(h.Blobs), h.Ledger, TimeProvider.System);
        await replayer.ReplayAsync(h.Broker, "events.json", "ops.jansen", "uploaded through the broker's second account by agreement");
        var result = await h.ProcessAsync("events.json");

        Assert.Equal(BatchDisposition.Processed, result.Drop!.Disposition);
        Assert.Equal(["E-1", "E-2"], h.Publisher.Queued.Select(e => e.EventId).Order());
    }
}
