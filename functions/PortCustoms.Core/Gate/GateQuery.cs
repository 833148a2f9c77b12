using PortCustoms.Core.Customs;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Gate;

/// <summary>A terminal asks whether a container may pass its gate (contracts/http-api.md, gate queries).</summary>
public sealed record GateQuery
{
    public required ContainerNumber ContainerNumber { get; init; }

    public required GateDirection Direction { get; init; }

    /// <summary>The terminal's own id for this gate transaction: a repeat gets the first answer again.</summary>
    public required string GateTransactionId { get; init; }

    /// <summary>The terminal as the request names it (e.g. <c>NLRTM-ECT</c>).</summary>
    public required string Terminal { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>Who called, as the host established it (client principal, certificate, or key): for the audit.</summary>
    public required string Caller { get; init; }
}

/// <summary>
/// What the terminal is told: the whole answer, and all of it. It has no place for risk scores, targeting reasons or any
/// other customs intelligence, so no code path can leak them into a gate response.
/// </summary>
public sealed record GateAnswer
{
    public required ContainerNumber ContainerNumber { get; init; }

    public required GateDecision Decision { get; init; }

    public required string Reason { get; init; }

    public required string DecisionId { get; init; }

    public string? CustomsReference { get; init; }

    public required DecisionSource Source { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }
}

/// <summary>
/// The audit record kept for every gate decision: who asked (<see cref="Query"/>), what was known (<see cref="KnownState"/>,
/// <see cref="LiveQuery"/>), what was answered (<see cref="Answer"/>) and why (<see cref="Rule"/>).
/// </summary>
public sealed record GateDecisionRecord
{
    public required GateQuery Query { get; init; }

    public required GateAnswer Answer { get; init; }

    public required DecisionRule Rule { get; init; }

    /// <summary>The stored customs state the decision was made on, or null when the store held nothing (or failed).</summary>
    public ContainerCustomsState? KnownState { get; init; }

    /// <summary>The live query made for this decision, if any.</summary>
    public CustomsLiveQueryResult? LiveQuery { get; init; }

    /// <summary>Customs authority mapping used for a live answer (e.g. "UN/EDIFACT 7365").</summary>
    public string? CustomsAuthority { get; init; }
}

/// <summary>Keeps gate decisions: the audit trail, and the first answer per gate transaction.</summary>
public abstract class GateDecisionStore
{
    protected GateDecisionStore()
    {
    }

    /// <summary>
    /// Stores the record unless one is already stored for the same terminal and gate transaction id (a conditional insert);
    /// returns the record that is stored: <paramref name="record"/> itself, or the first one.
    /// </summary>
    public abstract Task<GateDecisionRecord> AddOrGetExistingAsync(GateDecisionRecord record, CancellationToken cancellationToken = default);

    /// <summary>The record for a gate transaction, or null.</summary>
    public abstract Task<GateDecisionRecord?> GetAsync(string terminal, string gateTransactionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a record can ever be stored under this gate transaction id (a store's key has limits). Checked when the
    /// query is read: an id that can never be stored is refused naming the field, never answered 503 "retry".
    /// </summary>
    public virtual bool CanStoreTransactionId(string gateTransactionId) => true;
}
