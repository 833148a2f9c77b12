using PortCustoms.Core.Batch;

namespace PortCustoms.Cloud.Batch;

/// <summary>
/// One drop's view of the message references in the ledger: a reference is used when another drop of the same broker
/// recorded it within the window and that drop is applying or was decided processed. Rows are recorded in pass 1,
/// before the outcome exists, so the outcome (per drop id, cached for the file) is what makes them count: a quarantined
/// file's, or a run that crashed before it applied anything, never refuse anything, and the drop's own rows (a re-run)
/// are its own. The broker's lock (<see cref="BatchBrokerLocks"/>) keeps another drop from becoming applying while
/// this one is read, which is why an owner's outcome may be cached for the file.
/// </summary>
public sealed class BatchMessageReferenceCheck : IBatchMessageReferences
{
    private const int MaxOwnersCached = 10_000;

    private readonly BatchLedger _ledger;
    private readonly string _broker;
    private readonly string _dropId;
    private readonly DateTimeOffset _receivedAt;
    private readonly DateTimeOffset _since;
    private readonly Dictionary<string, bool> _appliedOwners = new(StringComparer.Ordinal);

    public BatchMessageReferenceCheck(BatchLedger ledger, string broker, string dropId, DateTimeOffset receivedAt, TimeSpan window)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _dropId = dropId ?? throw new ArgumentNullException(nameof(dropId));
        _receivedAt = receivedAt;
        _since = receivedAt - window;
    }

    public async Task<IReadOnlyList<string?>> FindUsedAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        var keys = references.Select(Scoped).ToList();
        var rows = await _ledger.FindMessageReferencesAsync(keys, cancellationToken).ConfigureAwait(false);
        var used = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (!rows.TryGetValue(keys[i], out var owners))
            {
                continue;
            }
            foreach (var (owner, at) in owners.OrderBy(o => o.ReceivedAt))
            {
                if (owner != _dropId && at >= _since && await IsAppliedAsync(owner, cancellationToken).ConfigureAwait(false))
                {
                    used[i] = owner;
                    break;
                }
            }
        }
        return used;
    }

    public Task RecordAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        return _ledger.RecordMessageReferencesAsync([.. references.Select(Scoped)], _dropId, _receivedAt, cancellationToken);
    }

    // Per broker, like every duplicate: another broker's same sender and reference is that broker's message.
    private BatchMessageReference Scoped(BatchMessageReference reference) => reference with { Sender = _broker + "|" + reference.Sender };

    private async Task<bool> IsAppliedAsync(string owner, CancellationToken cancellationToken)
    {
        if (_appliedOwners.TryGetValue(owner, out var applied))
        {
            return applied;
        }
        applied = await _ledger.IsAppliedAsync(owner, cancellationToken).ConfigureAwait(false);
        if (_appliedOwners.Count < MaxOwnersCached)
        {
            // Once per owner and file: a resent file after a quarantine (every row the quarantined drop's) costs one
            // look-up, not one per message. An owner still undecided now is treated so for the rest of this file.
            _appliedOwners[owner] = applied;
        }
        return applied;
    }
}
