using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Gate;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Gate;

/// <summary>
/// The terminal never sees customs intelligence (ARCHITECTURE.md): every field the store can hold is filled, and the
/// gate response and the container view, written for the terminal's role, carry only the fields that role allows. A property added to
/// <see cref="CustomsNotification"/> later is filled and checked automatically; it is kept out unless added to
/// <see cref="Projectable"/> here, on purpose.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProjectionTests(AzuriteFixture azurite) : IDisposable
{
    /// <summary>The notification fields a terminal may see. Everything else (intelligence, customs' free text, extras) stays in.</summary>
    private static readonly HashSet<string> Projectable = ["NotificationId", "ContainerNumber", "Status", "CustomsReference", "IssuedAt", "IssuedAtZoned", "ReceivedAt"];

    private static readonly string[] GateResponseFields = ["containerNumber", "customsReference", "decidedAt", "decision", "decisionId", "reason", "source"];
    private static readonly string[] ViewFields = ["anomalies", "containerNumber", "customsStatus", "history", "timeline", "waitingForCustoms"];
    private static readonly string[] StatusFields = ["customsReference", "decision", "issuedAt", "notificationId", "reason", "status", "updatedAt"];
    private static readonly string[] HistoryFields = ["applied", "customsReference", "issuedAt", "notificationId", "receivedAt", "status"];

    private const string RawColumnSentinel = "SENTINEL-raw-column-4c1d";

    private readonly FunctionApp _app = FunctionApp.Create(azurite);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Every_field_the_store_can_hold_stays_out_of_the_gate_response_and_the_container_view()
    {
        var (notification, sentinels) = FillEveryProperty();
        var store = _app.Services.GetRequiredService<CustomsStateStore>();
        Assert.Equal(NotificationOutcome.Applied, await store.AddNotificationAsync(notification));
        await AddRawColumnsAsync(notification);

        var gate = await FunctionApp.ExecuteAsync(await _app.Function<GateQueryFunction>().RunAsync(FunctionApp.Post(FunctionApp.GateQuery()), CancellationToken.None), ResponseAudience.Terminal);
        var view = await FunctionApp.ExecuteAsync(await _app.Function<ContainerViewFunction>().RunAsync(FunctionApp.Get("containerNumber", "MSCU1234566"), null, CancellationToken.None), ResponseAudience.Terminal);
        Assert.Equal((200, 200), (gate.Status, view.Status));

        AssertFields(GateResponseFields, gate.Json);
        AssertFields(ViewFields, view.Json);
        AssertFields(StatusFields, view.Json.GetProperty("customsStatus"));
        foreach (var entry in view.Json.GetProperty("history").EnumerateArray())
        {
            AssertFields(HistoryFields, entry);
        }

        foreach (var (property, sentinel) in sentinels)
        {
            if (Projectable.Contains(property))
            {
                continue;
            }
            Assert.DoesNotContain(sentinel, gate.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(sentinel, view.Body, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(RawColumnSentinel, gate.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(RawColumnSentinel, view.Body, StringComparison.Ordinal);
        // The fill reached the responses: the projectable sentinels are there.
        Assert.Contains(sentinels["NotificationId"], view.Body, StringComparison.Ordinal);
        Assert.Contains(sentinels["CustomsReference"], gate.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_response_and_answer_have_exactly_the_contract_fields()
    {
        Assert.Equal(GateResponseFields, typeof(GateQueryResponse).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal));
        Assert.Equal(GateResponseFields, typeof(GateAnswer).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Stored_state_holds_no_customs_intelligence()
    {
        // The state entity (the gate's one point read) is built from references only; a reference holds no free text.
        Assert.Equal(["CustomsReference", "IssuedAt", "IssuedAtZoned", "NotificationId", "OrderInstant", "Status"],
            typeof(NotificationReference).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order(StringComparer.Ordinal));
    }

    private static void AssertFields(string[] allowed, JsonElement element) =>
        Assert.Equal(allowed, element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

    /// <summary>A notification with every settable property set to a value that can be found in a response.</summary>
    private static (CustomsNotification Notification, Dictionary<string, string> Sentinels) FillEveryProperty()
    {
        var notification = (CustomsNotification)RuntimeHelpers.GetUninitializedObject(typeof(CustomsNotification));
        var sentinels = new Dictionary<string, string>(StringComparer.Ordinal);
        var serial = 0;
        foreach (var property in typeof(CustomsNotification).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            serial++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            (object value, string sentinel) = type switch
            {
                _ when type == typeof(string) => ((object)$"SENTINEL-{property.Name}-7f3a", $"SENTINEL-{property.Name}-7f3a"),
                _ when type == typeof(double) => (0.918273645 + serial, (0.918273645 + serial).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ when type == typeof(DateTimeOffset) => (new DateTimeOffset(2026, 11, 26, 6, serial, 0, TimeSpan.Zero), $"2026-11-26T06:{serial:D2}:00"),
                _ when type == typeof(ContainerNumber) => (ContainerNumber.Parse("MSCU1234566"), "MSCU1234566"),
                _ when type == typeof(CustomsStatus) => (CustomsStatus.Released, "RELEASED"),
                _ when type == typeof(bool) => (true, "true"),
                _ => throw new InvalidOperationException($"CustomsNotification.{property.Name} has type {type}: give it a sentinel here and decide whether a terminal may see it."),
            };
            property.SetValue(notification, value);
            sentinels[property.Name] = sentinel;
        }
        return (notification, sentinels);
    }

    /// <summary>Columns a later version (or a hand edit) may have left in the stored entities.</summary>
    private async Task AddRawColumnsAsync(CustomsNotification notification)
    {
        var table = _app.Services.GetRequiredService<TableServiceClient>().GetTableClient(_app.CustomsTableName);
        var partition = notification.ContainerNumber.ToString();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            await table.UpdateEntityAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["RiskCategory"] = RawColumnSentinel }, ETag.All, TableUpdateMode.Merge);
        }
    }
}
