using Microsoft.Extensions.Logging.Abstractions;
using PortCustoms.Cloud.Gate;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Model;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Gate;

[Collection(AzuriteCollection.Name)]
public sealed class TableCustomsStateStoreTests(AzuriteFixture azurite)
{
    private static readonly ContainerNumber Msc = ContainerNumber.Parse("MSCU1234566");
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    // A table per test: tests run in any order against one Azurite.
    private TableCustomsStateStore NewStore() =>
        new(azurite.CreateTableServiceClient(), NullLogger<TableCustomsStateStore>.Instance, "customs" + Guid.NewGuid().ToString("N")[..12]);

    private static CustomsNotification Notification(string id, CustomsStatus status, TimeSpan issuedAfter, ContainerNumber? container = null) => new()
    {
        NotificationId = id,
        ContainerNumber = container ?? Msc,
        Status = status,
        CustomsReference = "24NL" + id,
        IssuedAt = T0 + issuedAfter,
        ReceivedAt = T0.AddHours(1),
    };

    [Fact]
    public async Task GetStateAsync_NothingEverStored_Null()
    {
        var store = NewStore();
        Assert.Null(await store.GetStateAsync(Msc));
        Assert.Empty(await store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task AddNotificationAsync_First_AppliedAndReadBack()
    {
        var store = NewStore();
        var outcome = await store.AddNotificationAsync(Notification("CN-0001", CustomsStatus.Released, TimeSpan.FromTicks(1234567)));

        Assert.Equal(NotificationOutcome.Applied, outcome);
        var state = await store.GetStateAsync(Msc);
        Assert.NotNull(state);
        Assert.Equal(("CN-0001", CustomsStatus.Released, "24NLCN-0001"), (state.Current.NotificationId, state.Current.Status, state.Current.CustomsReference));
        // Sub-millisecond precision survives the round trip, so equal instants stay equal.
        Assert.Equal(T0 + TimeSpan.FromTicks(1234567), state.LatestRelease!.IssuedAt);
    }

    [Fact]
    public async Task AddNotificationAsync_SameNotificationTwice_DuplicateWithNoSecondEffect()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Hold, TimeSpan.Zero));
        // Received later, the same content otherwise: a resend.
        var again = await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Hold, TimeSpan.Zero) with { ReceivedAt = T0.AddHours(2) });

        Assert.Equal(NotificationOutcome.Duplicate, again);
        var state = await store.GetStateAsync(Msc);
        Assert.Equal(1, state!.NotificationCount);
        Assert.Single(await store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task AddNotificationAsync_SameIdOtherContent_ConflictAndTheFirstStands()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Released, TimeSpan.Zero));
        var other = await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Hold, TimeSpan.FromMinutes(5)));

        Assert.Equal(NotificationOutcome.Conflict, other);
        var state = await store.GetStateAsync(Msc);
        Assert.Equal((CustomsStatus.Released, 1), (state!.Current.Status, state.NotificationCount));
        Assert.Equal(CustomsStatus.Released, Assert.Single(await store.GetHistoryAsync(Msc)).Notification.Status);
    }

    [Fact]
    public async Task AddNotificationAsync_StoredBeforeContentHashes_ResendComparedOnItsStoredFields()
    {
        var service = azurite.CreateTableServiceClient();
        var tableName = "customs" + Guid.NewGuid().ToString("N")[..12];
        var store = new TableCustomsStateStore(service, NullLogger<TableCustomsStateStore>.Instance, tableName);
        var first = Notification("CN-OLD", CustomsStatus.Released, TimeSpan.Zero) with { RiskScore = 0.25, Reason = "ok" };
        await store.AddNotificationAsync(first);
        // As an earlier version stored it: no ContentHash, no IssuedAtZoned column.
        var table = service.GetTableClient(tableName);
        var entity = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(Msc.ToString(), "n:CN-OLD")).Value;
        entity.Remove("ContentHash");
        entity.Remove("IssuedAtZoned");
        await table.UpdateEntityAsync(entity, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);

        Assert.Equal(NotificationOutcome.Duplicate, await store.AddNotificationAsync(first with { ReceivedAt = T0.AddDays(1) }));
        Assert.Equal(NotificationOutcome.Conflict, await store.AddNotificationAsync(first with { RiskScore = 0.99 }));
    }

    [Fact]
    public async Task GetStateAsync_StateWrittenUnderTheEarlierRules_FoldedAgainFromTheHistory()
    {
        var service = azurite.CreateTableServiceClient();
        var tableName = "customs" + Guid.NewGuid().ToString("N")[..12];
        var store = new TableCustomsStateStore(service, NullLogger<TableCustomsStateStore>.Instance, tableName);
        await store.AddNotificationAsync(Notification("A", CustomsStatus.Released, TimeSpan.FromMinutes(30)));
        await store.AddNotificationAsync(Notification("B", CustomsStatus.InspectionCompleted, TimeSpan.FromMinutes(40)));
        await store.AddNotificationAsync(Notification("C", CustomsStatus.Hold, TimeSpan.FromMinutes(35)));
        // What the earlier fold left: the late, older hold C missing from the state, and no rules version.
        var table = service.GetTableClient(tableName);
        var state = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(Msc.ToString(), "state")).Value;
        foreach (var column in new[] { "RulesVersion", "HoldId", "HoldStatus", "HoldIssuedAt", "HoldCustomsReference", "HoldZoned" })
        {
            state.Remove(column);
        }
        await table.UpdateEntityAsync(state, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);

        var read = await store.GetStateAsync(Msc);

        Assert.Equal("C", read!.LatestHold?.NotificationId);
        Assert.Equal(PortCustoms.Core.Gate.GateDecision.Hold, PortCustoms.Core.Gate.ReleaseDecision.Decide(read).Decision);
    }

    [Fact]
    public async Task AddNotificationAsync_TimeWithoutZone_KeptOnTheNotificationAndInTheState()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-U", CustomsStatus.Released, TimeSpan.Zero) with { IssuedAtZoned = false });

        var state = await store.GetStateAsync(Msc);
        Assert.Null(state!.LatestRelease);
        Assert.False(state.LatestUnzonedRelease!.IssuedAtZoned);
        Assert.False(Assert.Single(await store.GetHistoryAsync(Msc)).Notification.IssuedAtZoned);
    }

    [Fact]
    public async Task AddNotificationAsync_OlderReleaseAfterNewerHold_CountsForItsKindCurrentUnchanged()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-2", CustomsStatus.Hold, TimeSpan.FromMinutes(10)));
        var outcome = await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Released, TimeSpan.FromMinutes(5)));

        Assert.Equal(NotificationOutcome.Applied, outcome);
        var state = await store.GetStateAsync(Msc);
        Assert.Equal(("CN-2", "CN-1"), (state!.Current.NotificationId, state.LatestRelease?.NotificationId));
        var history = await store.GetHistoryAsync(Msc);
        Assert.Equal(["CN-1", "CN-2"], history.Select(h => h.Notification.NotificationId));
    }

    [Fact]
    public async Task AddNotificationAsync_OlderThanTheNewestOfItsKind_StoredInHistoryOnly()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-2", CustomsStatus.Hold, TimeSpan.FromMinutes(10)));
        var outcome = await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Hold, TimeSpan.FromMinutes(5)));

        Assert.Equal(NotificationOutcome.Stale, outcome);
        Assert.Equal("CN-2", (await store.GetStateAsync(Msc))!.LatestHold!.NotificationId);
        Assert.Equal([NotificationOutcome.Stale, NotificationOutcome.Applied], (await store.GetHistoryAsync(Msc)).Select(h => h.Outcome));
    }

    [Fact]
    public async Task AddNotificationAsync_TwentyConcurrentWritersOnOneContainer_NoUpdateLost()
    {
        var store = NewStore();
        var notifications = Enumerable.Range(1, 20)
            .Select(i => Notification($"CN-{i:D2}", i % 2 == 0 ? CustomsStatus.Hold : CustomsStatus.Released, TimeSpan.FromMinutes(i)))
            .ToArray();

        var outcomes = await Task.WhenAll(notifications.Select(n => Task.Run(() => store.AddNotificationAsync(n))));

        Assert.DoesNotContain(NotificationOutcome.Duplicate, outcomes);
        var state = await store.GetStateAsync(Msc);
        Assert.Equal(20, state!.NotificationCount);
        // Whatever the interleaving, the newest notification (minute 20, a hold) is current ...
        Assert.Equal("CN-20", state.Current.NotificationId);
        var history = await store.GetHistoryAsync(Msc);
        Assert.Equal(20, history.Count);
        Assert.Equal(outcomes.Order(), history.Select(h => h.Outcome).Order());
        // ... and whatever arrived first, every notification counted for its kind: the newest release and hold of all.
        Assert.Equal(("CN-19", "CN-20"), (state.LatestRelease?.NotificationId, state.LatestHold?.NotificationId));
    }

    [Fact]
    public async Task AddNotificationAsync_SameNotificationConcurrently_ExactlyOneApplied()
    {
        var store = NewStore();
        var notification = Notification("CN-X", CustomsStatus.Released, TimeSpan.Zero);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => store.AddNotificationAsync(notification))));

        Assert.Single(outcomes, o => o == NotificationOutcome.Applied);
        Assert.Equal(9, outcomes.Count(o => o == NotificationOutcome.Duplicate));
        Assert.Equal(1, (await store.GetStateAsync(Msc))!.NotificationCount);
    }

    [Fact]
    public async Task AddNotificationAsync_CustomsIntelligence_StoredWithTheNotification()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN-R", CustomsStatus.Hold, TimeSpan.Zero) with
        {
            Reason = "Documents missing",
            RiskScore = 0.87,
            TargetingReason = "Route profile 12",
            OfficerNotes = "Check reefer",
            AdditionalData = "{\"profile\":\"A7\"}",
        });

        var stored = Assert.Single(await store.GetHistoryAsync(Msc)).Notification;
        Assert.Equal(("Documents missing", 0.87, "Route profile 12", "Check reefer", "{\"profile\":\"A7\"}"),
            (stored.Reason, stored.RiskScore, stored.TargetingReason, stored.OfficerNotes, stored.AdditionalData));
    }

    [Fact]
    public async Task AddNotificationAsync_IdWithKeyForbiddenCharacters_Stored()
    {
        var store = NewStore();
        await store.AddNotificationAsync(Notification("CN/2026#1?x%", CustomsStatus.Released, TimeSpan.Zero));
        Assert.Equal(NotificationOutcome.Duplicate, await store.AddNotificationAsync(Notification("CN/2026#1?x%", CustomsStatus.Released, TimeSpan.Zero)));
        Assert.Equal("CN/2026#1?x%", Assert.Single(await store.GetHistoryAsync(Msc)).Notification.NotificationId);
    }

    [Fact]
    public async Task GetHistoryAsync_OtherContainers_NotIncluded()
    {
        var store = NewStore();
        var other = ContainerNumber.Parse("CSQU3054383");
        await store.AddNotificationAsync(Notification("CN-1", CustomsStatus.Released, TimeSpan.Zero));
        await store.AddNotificationAsync(Notification("CN-2", CustomsStatus.Hold, TimeSpan.Zero, other));
        Assert.Equal("CN-1", Assert.Single(await store.GetHistoryAsync(Msc)).Notification.NotificationId);
    }
}
