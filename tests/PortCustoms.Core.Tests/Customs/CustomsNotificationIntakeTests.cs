using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Tests.Fixtures;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Customs;

/// <summary>
/// The customs notification flow without HTTP, JSON and CUSRES alike: parse -> validate -> the future-issue rule ->
/// store -> a typed result, every failure path.
/// </summary>
public sealed class CustomsNotificationIntakeTests : IDisposable
{
    private const string Cusres =
        "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS:ZZZ+NLRTMECT:ZZZ+261126:0710+CR000042'\n"
        + "UNH+1+CUSRES:D:95B:UN'\nBGM+962+24NL0000000000001+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000001'\nUNT+7+1'\n"
        + "UNZ+1+CR000042'\n";

    private readonly FakeTimeProvider _time = new(T0.AddHours(1));
    private readonly InMemoryCustomsStateStore _store = new();
    private readonly TestMeterFactory _meters = new();
    private readonly FakeLogger<CustomsNotificationIntake> _logger = new();

    public void Dispose() => _meters.Dispose();

    private CustomsNotificationIntake Intake(CustomsStateStore? store = null)
    {
        var options = new StaticOptionsMonitor<GateOptions>(new GateOptions());
        var metrics = new GateMetrics(_meters);
        var service = new CustomsNotificationService(store ?? _store, metrics, NullLogger<CustomsNotificationService>.Instance, _time, options);
        return new CustomsNotificationIntake(service, store ?? _store, Options.Create(new CustomsAuthorityOptions()), options, _time, metrics, _logger);
    }

    private static ReadOnlyMemory<byte> Json(string id = "CN-1", string status = "RELEASED", string issuedAt = "2026-11-26T07:10:00Z", string containerNumber = "MSCU1234566") =>
        Encoding.UTF8.GetBytes($$"""{ "notificationId": "{{id}}", "containerNumber": "{{containerNumber}}", "status": "{{status}}", "issuedAt": "{{issuedAt}}", "riskScore": 0.97 }""");

    private static ReadOnlyMemory<byte> Edifact(string text) => Encoding.Latin1.GetBytes(text);

    [Fact]
    public async Task ReceiveJsonAsync_Valid_AcceptedAppliedAndStoredWithItsIntelligence()
    {
        var result = await Intake().ReceiveJsonAsync(Json());

        var receipt = Assert.IsType<NotificationIntakeResult.Accepted>(result).Receipt;
        Assert.Equal(("CN-1", NotificationOutcome.Applied), (receipt.NotificationId, receipt.Outcome));
        Assert.Equal(0.97, Assert.Single(await _store.GetHistoryAsync(Msc)).Notification.RiskScore);
    }

    [Fact]
    public async Task ReceiveJsonAsync_Malformed_InvalidAndNothingStored()
    {
        var result = await Intake().ReceiveJsonAsync(Encoding.UTF8.GetBytes("[1, 2"));

        Assert.Equal("Malformed JSON", Assert.IsType<NotificationIntakeResult.Invalid>(result).Problem.Title);
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveJsonAsync_NotAnObject_Invalid()
    {
        var result = await Intake().ReceiveJsonAsync(Encoding.UTF8.GetBytes("[]"));

        Assert.Equal("The body must be a JSON object.", Assert.IsType<NotificationIntakeResult.Invalid>(result).Problem.Detail);
    }

    [Fact]
    public async Task ReceiveJsonAsync_IssuedInTheFuture_InvalidNamingIssuedAtAndNothingStored()
    {
        var result = await Intake().ReceiveJsonAsync(Json(issuedAt: "2026-11-26T08:30:00Z"));

        Assert.Equal(["issuedAt"], Assert.IsType<NotificationIntakeResult.Invalid>(result).Problem.Errors.Keys);
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveJsonAsync_UnknownStatusAndWrongCheckDigit_EveryFieldNamed()
    {
        var result = await Intake().ReceiveJsonAsync(Json(status: "WAVED", containerNumber: "MSCU1234567"));

        Assert.Equal(["containerNumber", "status"], Assert.IsType<NotificationIntakeResult.Invalid>(result).Problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReceiveJsonAsync_ReservedEdifactIdPrefix_Invalid()
    {
        var result = await Intake().ReceiveJsonAsync(Json(id: "EDI:NLCUSTOMS:1:1"));

        Assert.Equal(["notificationId"], Assert.IsType<NotificationIntakeResult.Invalid>(result).Problem.Errors.Keys);
    }

    [Fact]
    public async Task ReceiveJsonAsync_SameIdSameContent_AcceptedAsDuplicate()
    {
        await Intake().ReceiveJsonAsync(Json());

        var result = await Intake().ReceiveJsonAsync(Json());

        Assert.Equal(NotificationOutcome.Duplicate, Assert.IsType<NotificationIntakeResult.Accepted>(result).Receipt.Outcome);
    }

    [Fact]
    public async Task ReceiveJsonAsync_SameIdOtherContent_ConflictAndTheFirstStands()
    {
        await Intake().ReceiveJsonAsync(Json());

        var result = await Intake().ReceiveJsonAsync(Json(status: "HOLD"));

        Assert.Equal(["CN-1"], Assert.IsType<NotificationIntakeResult.Conflict>(result).NotificationIds);
        Assert.Equal(CustomsStatus.Released, (await _store.GetStateAsync(Msc))!.Current.Status);
    }

    [Fact]
    public async Task ReceiveJsonAsync_StoreDown_NotStoredAndLogged()
    {
        var result = await Intake(new FailingStore()).ReceiveJsonAsync(Json());

        Assert.IsType<NotificationIntakeResult.NotStored>(result);
        Assert.Equal((LogLevel.Error, 3210), (_logger.Collector.LatestRecord.Level, _logger.Collector.LatestRecord.Id.Id));
    }

    [Fact]
    public async Task ReceiveEdifactAsync_Valid_EveryNotificationStoredWithAnIdFromItsReferences()
    {
        var result = await Intake().ReceiveEdifactAsync(Edifact(Cusres));

        var accepted = Assert.IsType<NotificationIntakeResult.InterchangeAccepted>(result);
        Assert.Equal("CR000042", accepted.InterchangeReference);
        Assert.Equal(["EDI:NLCUSTOMS:CR000042:1"], accepted.Receipts.Select(r => r.NotificationId));
        Assert.Equal(CustomsStatus.Released, (await _store.GetStateAsync(Msc))!.Current.Status);
    }

    [Fact]
    public async Task ReceiveEdifactAsync_Resent_DuplicateNoSecondEffect()
    {
        await Intake().ReceiveEdifactAsync(Edifact(Cusres));

        var result = await Intake().ReceiveEdifactAsync(Edifact(Cusres));

        Assert.Equal(NotificationOutcome.Duplicate, Assert.Single(Assert.IsType<NotificationIntakeResult.InterchangeAccepted>(result).Receipts).Outcome);
        Assert.Single(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveEdifactAsync_SameReferencesOtherContent_ConflictWithEveryReceipt()
    {
        await Intake().ReceiveEdifactAsync(Edifact(Cusres));

        var result = await Intake().ReceiveEdifactAsync(Edifact(Cusres.Replace("GIS+4'", "GIS+7'", StringComparison.Ordinal)));

        var conflict = Assert.IsType<NotificationIntakeResult.Conflict>(result);
        Assert.Equal(["EDI:NLCUSTOMS:CR000042:1"], conflict.NotificationIds);
        Assert.Equal([NotificationOutcome.Conflict], conflict.Receipts!.Select(r => r.Outcome));
    }

    [Fact]
    public async Task ReceiveEdifactAsync_IssuedInTheFuture_RejectedWithAPositionedFindingAndACONTRL()
    {
        var result = await Intake().ReceiveEdifactAsync(Edifact(Cusres.Replace("202611260710?+00", "202611260830?+00", StringComparison.Ordinal)));

        var rejected = Assert.IsType<NotificationIntakeResult.InterchangeRejected>(result);
        var finding = Assert.Single(rejected.Findings.First());
        Assert.Equal(("EDI-MAP-DATE-FUTURE", 4), (finding.Code, finding.Segment));
        Assert.Contains("UCM+1+CUSRES:D:95B:UN+4'", rejected.Contrl, StringComparison.Ordinal);
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveEdifactAsync_WrongCheckDigit_RejectedAndNothingStored()
    {
        var result = await Intake().ReceiveEdifactAsync(Edifact(Cusres.Replace("EQD+CN+MSCU1234566", "EQD+CN+MSCU1234567", StringComparison.Ordinal)));

        var rejected = Assert.IsType<NotificationIntakeResult.InterchangeRejected>(result);
        Assert.Equal("EDI-MAP-CONTAINER-CHECK-DIGIT", Assert.Single(rejected.Findings.First()).Code);
        Assert.Empty(await _store.GetHistoryAsync(Msc));
    }

    [Fact]
    public async Task ReceiveEdifactAsync_NotEdifact_RejectedWithoutACONTRL()
    {
        var result = await Intake().ReceiveEdifactAsync(Edifact("this is no interchange"));

        var rejected = Assert.IsType<NotificationIntakeResult.InterchangeRejected>(result);
        Assert.True(rejected.Findings.Count > 0);
        Assert.Null(rejected.Contrl);
    }

    [Fact]
    public async Task ReceiveEdifactAsync_UnmappedStatusCode_HeldWithAWarningAndCounted()
    {
        using var unmapped = new MetricCollector<long>(_meters, GateMetrics.MeterName, "portcustoms.codes.unmapped");
        var body = Cusres.Replace("GIS+4'", "GIS+4'\nGIS+99'", StringComparison.Ordinal).Replace("UNT+7+1'", "UNT+8+1'", StringComparison.Ordinal);

        var result = await Intake().ReceiveEdifactAsync(Edifact(body));

        var accepted = Assert.IsType<NotificationIntakeResult.InterchangeAccepted>(result);
        Assert.Contains(accepted.Warnings, w => w.Message.Contains("99", StringComparison.Ordinal));
        Assert.Equal(CustomsStatus.Hold, (await _store.GetStateAsync(Msc))!.Current.Status);
        Assert.Equal(1, Assert.Single(unmapped.GetMeasurementSnapshot()).Value);
    }

    private sealed class FailingStore : CustomsStateStore
    {
        public override Task<NotificationOutcome> AddNotificationAsync(CustomsNotification notification, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("table down");

        public override Task<ContainerCustomsState?> GetStateAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("table down");

        public override Task<IReadOnlyList<StoredCustomsNotification>> GetHistoryAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("table down");
    }
}
