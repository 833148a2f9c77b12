using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Tests.Fixtures;
using static PortCustoms.Core.Tests.Fixtures.Containers;

namespace PortCustoms.Core.Tests.Gate;

/// <summary>The gate query flow without HTTP: parse -> validate -> decide -> a typed result, every failure path.</summary>
public sealed class GateQueryIntakeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(T0.AddHours(2));
    private readonly InMemoryCustomsStateStore _states = new();
    private readonly InMemoryGateDecisionStore _decisions = new();
    private readonly TestMeterFactory _meters = new();
    private readonly FakeLogger<GateQueryIntake> _logger = new();

    public void Dispose() => _meters.Dispose();

    private GateQueryIntake Intake(GateDecisionStore? decisions = null)
    {
        var options = new StaticOptionsMonitor<GateOptions>(new GateOptions());
        var gate = new GateDecisionService(_states, decisions ?? _decisions, CustomsLiveQueryClient.NotConfigured, options,
            new StaticOptionsMonitor<CustomsAuthorityOptions>(new CustomsAuthorityOptions()), _time, new GateMetrics(_meters),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<GateDecisionService>.Instance);
        return new GateQueryIntake(gate, decisions ?? _decisions, options, _time, _logger);
    }

    private static ReadOnlyMemory<byte> Body(string containerNumber = "MSCU1234566", string transaction = "G-1", string requestedAt = "2026-11-26T08:15:00+01:00") =>
        Encoding.UTF8.GetBytes($$"""{ "containerNumber": "{{containerNumber}}", "direction": "OUT", "gateTransactionId": "{{transaction}}", "terminal": "NLRTM-ECT", "requestedAt": "{{requestedAt}}" }""");

    [Fact]
    public async Task QueryAsync_StoredRelease_AnsweredClearAndAuditedWithTheCaller()
    {
        await _states.AddNotificationAsync(Notification("N1", CustomsStatus.Released, 0));

        var result = await Intake().QueryAsync(Body(), "function-key");

        var answered = Assert.IsType<GateQueryResult.Answered>(result);
        Assert.Equal(GateDecision.Clear, answered.Decision.Record.Answer.Decision);
        Assert.Equal("function-key", Assert.Single(_decisions.Records).Query.Caller);
    }

    [Fact]
    public async Task QueryAsync_NotJson_InvalidAndNothingDecided()
    {
        var result = await Intake().QueryAsync(Encoding.UTF8.GetBytes("{ not json"), "function-key");

        Assert.Equal("Malformed JSON", Assert.IsType<GateQueryResult.Invalid>(result).Problem.Title);
        Assert.Empty(_decisions.Records);
    }

    [Fact]
    public async Task QueryAsync_DuplicateProperty_InvalidNamingTheField()
    {
        var body = Encoding.UTF8.GetBytes("""{ "containerNumber": "MSCU1234566", "containerNumber": "CSQU3054383" }""");

        var result = await Intake().QueryAsync(body, "function-key");

        Assert.Contains("containerNumber", Assert.IsType<GateQueryResult.Invalid>(result).Problem.Errors.Keys);
    }

    [Fact]
    public async Task QueryAsync_WrongCheckDigit_InvalidNamingTheFieldNeverADecision()
    {
        var result = await Intake().QueryAsync(Body(containerNumber: "MSCU1234567"), "function-key");

        var problem = Assert.IsType<GateQueryResult.Invalid>(result).Problem;
        Assert.Equal(["containerNumber"], problem.Errors.Keys);
        Assert.Empty(_decisions.Records);
    }

    [Fact]
    public async Task QueryAsync_RequestedInTheFuture_InvalidNamingRequestedAt()
    {
        var result = await Intake().QueryAsync(Body(requestedAt: "2026-11-26T10:00:00Z"), "function-key");

        Assert.Equal(["requestedAt"], Assert.IsType<GateQueryResult.Invalid>(result).Problem.Errors.Keys);
    }

    [Fact]
    public async Task QueryAsync_TransactionIdTheStoreCannotKey_InvalidNamingIt()
    {
        var result = await Intake(new KeyLimitedDecisionStore(_decisions)).QueryAsync(Body(transaction: "G/1"), "function-key");

        Assert.Equal(["gateTransactionId"], Assert.IsType<GateQueryResult.Invalid>(result).Problem.Errors.Keys);
    }

    [Fact]
    public async Task QueryAsync_RepeatedTransactionSameContainer_TheFirstAnswerAgain()
    {
        var first = Assert.IsType<GateQueryResult.Answered>(await Intake().QueryAsync(Body(), "function-key"));

        var again = Assert.IsType<GateQueryResult.Answered>(await Intake().QueryAsync(Body(), "function-key"));

        Assert.Equal(GateDecisionKind.Repeated, again.Decision.Kind);
        Assert.Equal(first.Decision.Record.Answer.DecisionId, again.Decision.Record.Answer.DecisionId);
    }

    [Fact]
    public async Task QueryAsync_TransactionUsedForAnotherContainer_Conflict()
    {
        await Intake().QueryAsync(Body(), "function-key");

        var result = await Intake().QueryAsync(Body(containerNumber: "CSQU3054383"), "function-key");

        Assert.Equal("G-1", Assert.IsType<GateQueryResult.TransactionConflict>(result).GateTransactionId);
    }

    [Fact]
    public async Task QueryAsync_DecisionCannotBeStored_NotRecordedAndLogged()
    {
        _decisions.BeforeAdd = _ => throw new InvalidOperationException("table down");

        var result = await Intake().QueryAsync(Body(), "function-key");

        Assert.Equal("G-1", Assert.IsType<GateQueryResult.NotRecorded>(result).GateTransactionId);
        Assert.Equal((LogLevel.Error, 3200), (_logger.Collector.LatestRecord.Level, _logger.Collector.LatestRecord.Id.Id));
    }

    /// <summary>A store whose keys cannot hold '/': as Table Storage's cannot, after encoding, past a length.</summary>
    private sealed class KeyLimitedDecisionStore(GateDecisionStore inner) : GateDecisionStore
    {
        public override bool CanStoreTransactionId(string gateTransactionId) => !gateTransactionId.Contains('/', StringComparison.Ordinal);

        public override Task<GateDecisionRecord> AddOrGetExistingAsync(GateDecisionRecord record, CancellationToken cancellationToken = default) =>
            inner.AddOrGetExistingAsync(record, cancellationToken);

        public override Task<GateDecisionRecord?> GetAsync(string terminal, string gateTransactionId, CancellationToken cancellationToken = default) =>
            inner.GetAsync(terminal, gateTransactionId, cancellationToken);
    }
}
