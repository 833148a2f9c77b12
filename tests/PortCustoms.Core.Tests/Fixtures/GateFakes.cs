using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Fixtures;

/// <summary>In-memory ports for the gate path; the Table Storage adapters are tested against Azurite in Cloud.Tests.</summary>
internal sealed class InMemoryCustomsStateStore : CustomsStateStore
{
    private readonly object _gate = new();
    private readonly Dictionary<ContainerNumber, ContainerCustomsState> _states = [];
    private readonly Dictionary<(ContainerNumber, string), StoredCustomsNotification> _history = [];

    public Exception? FailReads { get; set; }

    /// <summary>Runs before every state read with the read's token: a slow or hanging store.</summary>
    public Func<CancellationToken, Task>? BeforeRead { get; set; }

    public override Task<NotificationOutcome> AddNotificationAsync(CustomsNotification notification, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_history.TryGetValue((notification.ContainerNumber, notification.NotificationId), out var stored))
            {
                return Task.FromResult(NotificationContent.Hash(stored.Notification) == NotificationContent.Hash(notification)
                    ? NotificationOutcome.Duplicate
                    : NotificationOutcome.Conflict);
            }
            var (state, outcome) = _states.TryGetValue(notification.ContainerNumber, out var current)
                ? current.Receive(notification)
                : (ContainerCustomsState.Start(notification), NotificationOutcome.Applied);
            _states[notification.ContainerNumber] = state;
            _history[(notification.ContainerNumber, notification.NotificationId)] = new StoredCustomsNotification(notification, outcome);
            return Task.FromResult(outcome);
        }
    }

    public override async Task<ContainerCustomsState?> GetStateAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        if (BeforeRead is { } before)
        {
            await before(cancellationToken);
        }
        if (FailReads is { } failure)
        {
            throw failure;
        }
        lock (_gate)
        {
            return _states.GetValueOrDefault(containerNumber);
        }
    }

    public override Task<IReadOnlyList<StoredCustomsNotification>> GetHistoryAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredCustomsNotification> list = _history.Values
                .Where(n => n.Notification.ContainerNumber == containerNumber)
                .OrderBy(n => n.Notification.IssuedAt).ThenBy(n => n.Notification.ReceivedAt)
                .ToList();
            return Task.FromResult(list);
        }
    }
}

internal sealed class InMemoryGateDecisionStore : GateDecisionStore
{
    private readonly ConcurrentDictionary<(string, string), GateDecisionRecord> _records = new();

    public IReadOnlyCollection<GateDecisionRecord> Records => _records.Values.ToList();

    /// <summary>Runs before every insert with the insert's token: a slow or hanging store.</summary>
    public Func<CancellationToken, Task>? BeforeAdd { get; set; }

    public override async Task<GateDecisionRecord> AddOrGetExistingAsync(GateDecisionRecord record, CancellationToken cancellationToken = default)
    {
        if (BeforeAdd is { } before)
        {
            await before(cancellationToken);
        }
        return _records.GetOrAdd((record.Query.Terminal, record.Query.GateTransactionId), record);
    }

    public override Task<GateDecisionRecord?> GetAsync(string terminal, string gateTransactionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault((terminal, gateTransactionId)));
}

/// <summary>A live query client that answers what the test says, or never (until cancelled).</summary>
internal sealed class ScriptedLiveQueryClient(Func<ContainerNumber, CancellationToken, Task<CustomsLiveQueryResult>> answer) : CustomsLiveQueryClient
{
    public int Calls { get; private set; }

    public override Task<CustomsLiveQueryResult> QueryStatusAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        Calls++;
        return answer(containerNumber, cancellationToken);
    }
}

internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

internal static class Containers
{
    public static readonly ContainerNumber Msc = ContainerNumber.Parse("MSCU1234566");
    public static readonly ContainerNumber Csq = ContainerNumber.Parse("CSQU3054383");
    public static readonly ContainerNumber Tgh = ContainerNumber.Parse("TGHU0000013");

    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    public static CustomsNotification Notification(string id, CustomsStatus status, int minute, ContainerNumber? container = null) => new()
    {
        NotificationId = id,
        ContainerNumber = container ?? Msc,
        Status = status,
        CustomsReference = "24NL" + id,
        IssuedAt = T0.AddMinutes(minute),
        ReceivedAt = T0.AddHours(1),
    };
}
