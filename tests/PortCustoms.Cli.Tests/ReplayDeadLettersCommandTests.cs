using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using PortCustoms.Cli;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;
using PortCustoms.TestSupport;

namespace PortCustoms.Cli.Tests;

/// <summary><c>portcustoms replay dead-letters</c> and <c>replay history --dead-letters</c> against LocalHost's queue in Azurite.</summary>
public sealed class ReplayDeadLettersCommandTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly string _table = "q" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    private ReplayCommand.DeadLetterConnection Connection => new(_azurite.ConnectionString, null, _table);

    private TableSessionQueue Queue => new(new TableClient(_azurite.ConnectionString, _table), TimeSpan.FromSeconds(30), maxDeliveryCount: 1);

    private static ContainerNumber Container(int serial)
    {
        var firstTen = "MSCU" + serial.ToString("D6", CultureInfo.InvariantCulture);
        return ContainerNumber.Parse(firstTen + ContainerNumber.ComputeCheckDigit(firstTen).ToString(CultureInfo.InvariantCulture));
    }

    private async Task<ContainerStatusEvent> DeadLetterAsync(string eventId, int serial)
    {
        var e = new ContainerStatusEvent(eventId, Container(serial), ContainerEventType.Discharged, new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero))
        {
            VesselImo = ImoNumber.Parse("9811000"),
            Voyage = "124E",
            Location = "NLRTM",
            SizeType = SizeTypeCode.Parse("45G1"),
        };
        var queue = Queue;
        await queue.SendAsync(e.ContainerNumber.ToString(), eventId, ContainerStatusEventWriter.ToUtf8Bytes(e));
        await using var lease = (await queue.TryAcceptSessionAsync(e.ContainerNumber.ToString()))!;
        await lease.DeadLetterAsync((await lease.ReceiveNextAsync())!, DeadLetterReasons.CustomsRejected, "HTTP 422 from customs");
        return e;
    }

    [Fact]
    public async Task Listing_then_replaying_one_dead_letter_records_it_and_a_second_replay_is_refused()
    {
        var e = await DeadLetterAsync("EV-7", 7);

        var list = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.ListDeadLettersAsync(Connection, null, json: true, list, new StringWriter()));
        var listed = JsonDocument.Parse(list.ToString()).RootElement;
        Assert.Equal("EV-7", listed[0].GetProperty("messageId").GetString());
        Assert.Equal(DeadLetterReasons.CustomsRejected, listed[0].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("replay").ValueKind);

        var stdout = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.ReplayDeadLetterAsync(Connection, e.ContainerNumber.ToString(), "EV-7", "ops.jansen", "mapping fixed", json: true, stdout, new StringWriter()));
        var replayed = JsonDocument.Parse(stdout.ToString()).RootElement[0];
        Assert.True(replayed.GetProperty("replayed").GetBoolean());
        Assert.Equal("Settled", replayed.GetProperty("state").GetString());
        Assert.Equal(1, await Queue.CountActiveMessagesAsync());
        Assert.Empty(await Queue.GetDeadLettersAsync());

        var history = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.DeadLetterHistoryAsync(_azurite.ConnectionString, null, json: true, history, new StringWriter()));
        var row = JsonDocument.Parse(history.ToString()).RootElement.EnumerateArray().Single(r => r.GetProperty("messageId").GetString() == "EV-7");
        Assert.Equal(("ops.jansen", "mapping fixed", "Settled"), (row.GetProperty("by").GetString(), row.GetProperty("reason").GetString(), row.GetProperty("outcome").GetString()));

        var stderr = new StringWriter();
        Assert.Equal(PortCustomsCli.Findings, await ReplayCommand.ReplayDeadLetterAsync(Connection, null, "EV-7", "ops", null, json: false, new StringWriter(), stderr));
        Assert.Contains("EV-7", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await Queue.CountActiveMessagesAsync());
    }

    [Fact]
    public async Task Unknown_message_id_exits_1_naming_it()
    {
        await DeadLetterAsync("EV-1", 1);
        var stderr = new StringWriter();
        Assert.Equal(PortCustomsCli.Findings, await ReplayCommand.ReplayDeadLetterAsync(Connection, null, "EV-404", "ops", null, json: false, new StringWriter(), stderr));
        Assert.Contains("EV-404", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(await Queue.GetDeadLettersAsync());
    }

    [Fact]
    public async Task Replay_all_with_nothing_dead_lettered_exits_0_and_says_so()
    {
        var stdout = new StringWriter();
        Assert.Equal(PortCustomsCli.Success, await ReplayCommand.ReplayDeadLettersAsync(Connection, null, "ops", null, json: false, stdout, new StringWriter()));
        Assert.Contains("Nothing to replay", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_letters_needs_one_mode_and_unreachable_storage_exits_2()
    {
        Assert.Equal(PortCustomsCli.Success, await PortCustomsCli.InvokeAsync(["replay", "dead-letters", "--help"]));
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["replay", "dead-letters", "--storage", _azurite.ConnectionString]));
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["replay", "dead-letters", "--all", "--message-id", "x", "--storage", _azurite.ConnectionString]));
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["replay", "history", "b1", "--dead-letters", "--storage", _azurite.ConnectionString]));

        var dead = FreePorts.Take(1)[0];
        var stderr = new StringWriter();
        Assert.Equal(PortCustomsCli.UsageOrFailure, await ReplayCommand.ReplayDeadLettersAsync(
            new ReplayCommand.DeadLetterConnection(AzuriteFixture.ConnectionStringFor(dead, dead, dead), null, _table), null, "ops", null, json: false, new StringWriter(), stderr));
        Assert.StartsWith("replay:", stderr.ToString(), StringComparison.Ordinal);
    }
}
