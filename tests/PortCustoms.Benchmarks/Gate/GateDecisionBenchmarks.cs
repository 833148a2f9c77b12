using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Benchmarks.Gate;

/// <summary>
/// The gate's CPU work without I/O: the release rules on a stored state, folding a notification into a state, and the
/// projection of the answer into the response JSON (same shape and formatting as GateQueryResponse).
/// </summary>
[MemoryDiagnoser]
public class GateDecisionBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private ContainerCustomsState _released = null!;
    private ContainerCustomsState _inspectionCompleted = null!;
    private CustomsNotification _hold = null!;
    private GateAnswer _answer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var container = ContainerNumber.Parse("MSCU1234566");
        CustomsNotification N(string id, CustomsStatus status, int minute) => new()
        {
            NotificationId = id,
            ContainerNumber = container,
            Status = status,
            CustomsReference = "24NL0000000000001",
            IssuedAt = T0.AddMinutes(minute),
            ReceivedAt = T0.AddHours(1),
            RiskScore = 0.4,
            TargetingReason = "profile",
        };
        _released = ContainerCustomsState.Start(N("CN-1", CustomsStatus.Hold, 0)).Receive(N("CN-2", CustomsStatus.Released, 5)).State;
        _inspectionCompleted = ContainerCustomsState.Start(N("CN-1", CustomsStatus.InspectionRequired, 0)).Receive(N("CN-2", CustomsStatus.InspectionCompleted, 5)).State;
        _hold = N("CN-3", CustomsStatus.Hold, 10);
        _answer = new GateAnswer
        {
            ContainerNumber = container,
            Decision = GateDecision.Clear,
            Reason = "Released by customs",
            DecisionId = Guid.CreateVersion7(T0).ToString(),
            CustomsReference = "24NL0000000000001",
            Source = DecisionSource.Store,
            DecidedAt = T0,
        };
    }

    [Benchmark(Baseline = true)]
    public GateVerdict Decide_Released() => ReleaseDecision.Decide(_released);

    [Benchmark]
    public GateVerdict Decide_InspectionCompleted() => ReleaseDecision.Decide(_inspectionCompleted);

    [Benchmark]
    public ContainerCustomsState Receive_Hold() => _released.Receive(_hold).State;

    [Benchmark]
    public byte[] Project_AnswerToResponseJson() => JsonSerializer.SerializeToUtf8Bytes(GateResponse.From(_answer), Web);

    [Benchmark]
    public ContainerNumberError Parse_ContainerNumber() => ContainerNumber.TryParse("MSCU1234566".AsSpan(), out _);
}
