using System.Text;
using System.Text.Json;
using PortCustoms.Cli;
using PortCustoms.Cloud.Batch;
using PortCustoms.Core.Batch;
using PortCustoms.TestSupport;

namespace PortCustoms.Cli.Tests;

/// <summary><c>portcustoms replay</c> against Azurite: the ledger and the landing containers as the app leaves them.</summary>
public sealed class ReplayCommandTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly string _broker = "broker" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    private async Task QuarantineAsync(string name, string content)
    {
        var blobs = _azurite.CreateBlobServiceClient();
        foreach (var container in new[] { "inbound", "quarantine" })
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }
        await blobs.GetBlobContainerClient("quarantine").GetBlobClient($"{_broker}/{name}").UploadAsync(BinaryData.FromString(content));
        await new BatchLedger(_azurite.CreateTableServiceClient()).SaveDropAsync(new BatchDropRecord
        {
            Broker = _broker,
            Name = name,
            SourceETag = "0x1",
            State = BatchDropState.Done,
            Disposition = BatchDisposition.Quarantined,
            Destination = $"quarantine/{_broker}/{name}",
            DecidedAt = DateTimeOffset.UtcNow,
            Bytes = content.Length,
        });
    }

    [Fact]
    public async Task Replaying_a_quarantined_file_copies_it_to_inbound_with_its_replay_metadata_and_records_who_and_why()
    {
        await QuarantineAsync("gate.edi", "UNA:+.? 'UNB+UNOC:3'");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await ReplayCommand.ReplayFileAsync(_azurite.ConnectionString, null, $"{_broker}/gate.edi", "ops.jansen", "CODECO allowed", json: true, stdout, stderr);

        Assert.Equal(PortCustomsCli.Success, exit);
        Assert.Empty(stderr.ToString());
        using var output = JsonDocument.Parse(stdout.ToString());
        var row = Assert.Single(output.RootElement.EnumerateArray());
        Assert.True(row.GetProperty("replayed").GetBoolean());
        var inbound = _azurite.CreateBlobServiceClient().GetBlobContainerClient("inbound").GetBlobClient($"{_broker}/gate.edi");
        var properties = (await inbound.GetPropertiesAsync()).Value;
        Assert.Equal($"{_broker}/gate.edi@0x1", properties.Metadata[BatchDropProcessor.ReplayOfKey]);
        Assert.Equal("UNA:+.? 'UNB+UNOC:3'", (await inbound.DownloadContentAsync()).Value.Content.ToString());

        var history = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.HistoryAsync(_azurite.ConnectionString, _broker, json: true, history, new StringWriter()));
        using var records = JsonDocument.Parse(history.ToString());
        var record = Assert.Single(records.RootElement.EnumerateArray());
        Assert.Equal(("ops.jansen", "CODECO allowed", "Pending"), (record.GetProperty("by").GetString(), record.GetProperty("reason").GetString(), record.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_file_that_is_not_quarantined_is_refused_with_exit_1_naming_it()
    {
        var stdout = new StringWriter();
        var exit = await ReplayCommand.ReplayFileAsync(_azurite.ConnectionString, null, $"{_broker}/nothing.edi", "ops", null, json: false, stdout, new StringWriter());
        Assert.Equal(PortCustomsCli.Findings, exit);
        Assert.Contains("No drop", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 replayed, 1 refused", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_all_takes_every_quarantined_file_of_the_broker()
    {
        await QuarantineAsync("a.edi", "UNA:+.? 'UNB+UNOC:3'");
        await QuarantineAsync("b.csv", "containerNumber\r\nX\r\n");
        var stdout = new StringWriter();
        var exit = await ReplayCommand.ReplayFilesAsync(_azurite.ConnectionString, null, _broker, "PT1H", "ops", "bulk", json: true, stdout, new StringWriter());
        Assert.Equal(PortCustomsCli.Success, exit);
        using var output = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(["a.edi", "b.csv"], output.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("broker/")]
    public async Task A_name_that_is_not_broker_slash_name_is_a_usage_error(string file)
    {
        var stderr = new StringWriter();
        Assert.Equal(PortCustomsCli.UsageOrFailure, await ReplayCommand.ReplayFileAsync(_azurite.ConnectionString, null, file, "ops", null, json: false, new StringWriter(), stderr));
        Assert.Contains("BROKER/NAME", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_is_down_is_exit_2_with_a_message()
    {
        var dead = FreePorts.Take(1)[0];
        var stderr = new StringWriter();
        var exit = await ReplayCommand.ReplayFileAsync(AzuriteFixture.ConnectionStringFor(dead, dead, dead), null, $"{_broker}/x.edi", "ops", null, json: false, new StringWriter(), stderr);
        Assert.Equal(PortCustomsCli.UsageOrFailure, exit);
        Assert.StartsWith("replay:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_has_help_and_requires_all_for_a_bulk_replay()
    {
        Assert.Equal(PortCustomsCli.Success, await PortCustomsCli.InvokeAsync(["replay", "--help"]));
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["replay", "files", "--storage", "UseDevelopmentStorage=true"]));
        _ = Encoding.UTF8;
    }
}
