using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Gate;

[Collection(AzuriteCollection.Name)]
public sealed class GateStoreWarmupTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Warmup_creates_both_gate_tables_before_any_gate_answer()
    {
        var service = azurite.CreateTableServiceClient();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var states = new TableCustomsStateStore(service, new FakeLogger<TableCustomsStateStore>(), "state" + suffix);
        var decisions = new TableGateDecisionStore(service, "gate" + suffix);
        var logger = new FakeLogger<GateStoreWarmup>();
        using var warmup = new GateStoreWarmup(states, decisions, logger);

        await warmup.StartAsync(CancellationToken.None);
        await warmup.ExecuteTask!;

        var tables = await service.QueryAsync(t => t.Name == "state" + suffix || t.Name == "gate" + suffix).Select(t => t.Name).ToListAsync();
        Assert.Equal(["gate" + suffix, "state" + suffix], tables.Order());
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Warmup_against_storage_that_is_down_only_warns_and_ends()
    {
        var closed = FreePorts.Take(1)[0];
        var service = new TableServiceClient(AzuriteFixture.ConnectionStringFor(azurite.BlobPort, azurite.QueuePort, closed), new TableClientOptions { Retry = { MaxRetries = 0 } });
        var logger = new FakeLogger<GateStoreWarmup>();
        using var warmup = new GateStoreWarmup(new TableCustomsStateStore(service, new FakeLogger<TableCustomsStateStore>()), new TableGateDecisionStore(service), logger);

        await warmup.StartAsync(CancellationToken.None);
        await warmup.ExecuteTask!;

        Assert.Equal(3051, Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning).Id.Id);
    }
}
