using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Gate;

[Collection(AzuriteCollection.Name)]
public sealed class TableGateDecisionStoreTests(AzuriteFixture azurite)
{
    private static readonly ContainerNumber Msc = ContainerNumber.Parse("MSCU1234566");
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private TableGateDecisionStore NewStore() => new(azurite.CreateTableServiceClient(), "gate" + Guid.NewGuid().ToString("N")[..12]);

    private static GateDecisionRecord Record(string decisionId, GateDecision decision = GateDecision.Clear, string transaction = "G-2026-000123") => new()
    {
        Query = new GateQuery
        {
            ContainerNumber = Msc,
            Direction = GateDirection.Out,
            GateTransactionId = transaction,
            Terminal = "NLRTM-ECT",
            RequestedAt = new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.FromHours(1)),
            Caller = "key:ect",
        },
        Answer = new GateAnswer
        {
            ContainerNumber = Msc,
            Decision = decision,
            Reason = "Released by customs",
            DecisionId = decisionId,
            CustomsReference = "24NL0000000000001",
            Source = DecisionSource.Store,
            DecidedAt = T0.AddTicks(1234567),
        },
        Rule = DecisionRule.ReleasedAfterOrders,
        KnownState = ContainerCustomsState.Start(new CustomsNotification
        {
            NotificationId = "CN-1",
            ContainerNumber = Msc,
            Status = CustomsStatus.Released,
            IssuedAt = T0,
            ReceivedAt = T0,
            CustomsReference = "24NL0000000000001",
        }),
        LiveQuery = CustomsLiveQueryResult.Failure(CustomsLiveQueryOutcome.Timeout, TimeSpan.FromMilliseconds(2500)),
        CustomsAuthority = "UN/EDIFACT 7365",
    };

    [Fact]
    public async Task AddOrGetExistingAsync_New_StoredAndReadBackWhole()
    {
        var store = NewStore();
        var record = Record("D-1");

        Assert.Same(record, await store.AddOrGetExistingAsync(record));

        var read = await store.GetAsync("NLRTM-ECT", "G-2026-000123");
        Assert.NotNull(read);
        Assert.Equal(record.Answer, read.Answer);
        Assert.Equal(record.Query, read.Query);
        Assert.Equal(record.Rule, read.Rule);
        Assert.Equal(record.KnownState, read.KnownState);
        Assert.Equal(record.LiveQuery, read.LiveQuery);
        Assert.Equal(record.CustomsAuthority, read.CustomsAuthority);
    }

    [Fact]
    public async Task AddOrGetExistingAsync_SameTransactionAgain_ReturnsTheFirst()
    {
        var store = NewStore();
        await store.AddOrGetExistingAsync(Record("D-1", GateDecision.Hold));
        var second = await store.AddOrGetExistingAsync(Record("D-2", GateDecision.Clear));
        Assert.Equal(("D-1", GateDecision.Hold), (second.Answer.DecisionId, second.Answer.Decision));
    }

    [Fact]
    public async Task AddOrGetExistingAsync_RacingRequestsForOneTransaction_AllGetOneAnswer()
    {
        var store = NewStore();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => store.AddOrGetExistingAsync(Record($"D-{i}")))));
        Assert.Single(results.Select(r => r.Answer.DecisionId).Distinct());
    }

    [Fact]
    public async Task GetAsync_UnknownTransaction_Null() =>
        Assert.Null(await NewStore().GetAsync("NLRTM-ECT", "nope/#?"));
}
