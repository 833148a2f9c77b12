using System.Security.Cryptography;
using System.Text;

namespace PortCustoms.Core.Events;

/// <summary>A status event the queue dead-lettered, as a replay sees it (read without locking it).</summary>
public sealed record DeadLetteredMessage(
    string SessionId,
    string MessageId,
    long SequenceNumber,
    ReadOnlyMemory<byte> Body,
    string? Reason,
    string? Description,
    int DeliveryCount,
    DateTimeOffset? EnqueuedTime);

/// <summary>
/// The dead-lettered status events of one queue: Service Bus's dead-letter sub-queue, or LocalHost's durable queue.
/// A replay lists, re-sends onto the live queue, and only then removes.
/// </summary>
public abstract class DeadLetterSource
{
    /// <summary>What the operator is told the letters came from.</summary>
    public abstract string Name { get; }

    /// <summary>Up to <paramref name="max"/> dead letters, of one session or all, oldest first (each session's in the order they were dead-lettered).</summary>
    public abstract Task<IReadOnlyList<DeadLetteredMessage>> ListAsync(string? sessionId, int max, CancellationToken cancellationToken = default);

    /// <summary>Enqueues the letter's body again on the live queue: same session, message id <paramref name="messageId"/>, with <paramref name="properties"/>.</summary>
    public abstract Task SendAsync(DeadLetteredMessage letter, string messageId, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default);

    /// <summary>Removes the letter from the dead letters; false when it was no longer there.</summary>
    public abstract Task<bool> RemoveAsync(DeadLetteredMessage letter, CancellationToken cancellationToken = default);
}

/// <summary>Where a replay of one dead letter is: each state is recorded before the step that follows it.</summary>
public enum DeadLetterReplayState : byte
{
    None = 0,

    /// <summary>Who, when, why and the replay's message id recorded; the event may or may not be on the queue yet.</summary>
    Claimed,

    /// <summary>The event is on the live queue again; the dead letter may still be there.</summary>
    Sent,

    /// <summary>The dead letter is removed: done.</summary>
    Settled,

    /// <summary>Not replayed (the body still cannot be processed); a later replay may try again.</summary>
    Refused,
}

/// <summary>A replay of one dead letter in the ledger, keyed by the dead letter's session and message id.</summary>
public sealed record DeadLetterReplayRecord(
    string SessionId,
    string MessageId,
    string ReplayId,
    string ReplayMessageId,
    string By,
    string? Reason,
    DateTimeOffset RequestedAt,
    DeadLetterReplayState State,
    string? DeadLetterReason = null,
    string? Detail = null,
    DateTimeOffset? SettledAt = null)
{
    /// <summary>The stored row's version (an ETag); updates are conditional on it.</summary>
    public string? Version { get; init; }
}

/// <summary>The ledger's dead-letter replay rows (the batch ledger's table, beside the file replays).</summary>
public abstract class DeadLetterReplayLedger
{
    public abstract Task<DeadLetterReplayRecord?> GetAsync(string sessionId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Adds the record; null when one exists for that dead letter (then read it).</summary>
    public abstract Task<DeadLetterReplayRecord?> TryAddAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record if it is unchanged since <see cref="DeadLetterReplayRecord.Version"/>; null when another writer changed it.</summary>
    public abstract Task<DeadLetterReplayRecord?> TryUpdateAsync(DeadLetterReplayRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every dead-letter replay (of one session), oldest first.</summary>
    public abstract Task<IReadOnlyList<DeadLetterReplayRecord>> ListAsync(string? sessionId, CancellationToken cancellationToken = default);
}

/// <summary>One dead letter's replay: the ledger row when it was replayed (or resumed), else why not.</summary>
public sealed record DeadLetterReplayResult(string? SessionId, string MessageId, DeadLetterReplayRecord? Replay, string? Error)
{
    public bool Replayed => Replay is { State: DeadLetterReplayState.Settled } && Error is null;
}

/// <summary>
/// Re-drives dead-lettered status events after a fix (customs back, a code list corrected): each goes back onto the live
/// queue in its own session (its container, so it queues behind that container's waiting events and is handled in
/// order), with its body unchanged, so the event id customs de-duplicates on (the <c>Idempotency-Key</c>) and the
/// timeline's checks are the same as for any delivery. The original is never lost: the ledger row is claimed first, the
/// event re-sent, the row marked Sent, and only then the dead letter removed and the row marked Settled. A crash
/// between any two steps and a re-run finish the job: a claimed row is re-sent under the same message id (the queue's
/// duplicate detection drops the copy if the first send did happen), a sent row is only settled. A settled dead letter
/// is not replayed again.
/// </summary>
public sealed class DeadLetterReplayer(DeadLetterSource queue, DeadLetterReplayLedger ledger, PendingDeliveryStore? pending, TimeProvider time)
{
    /// <summary>Application property naming the dead-lettered message a replayed one re-drives.</summary>
    public const string ReplayOfProperty = "portcustoms-replay-of";

    /// <summary>Application property with the replay's id in the ledger.</summary>
    public const string ReplayIdProperty = "portcustoms-replay-id";

    /// <summary>How many dead letters a lookup or a bulk replay reads at most.</summary>
    public const int ScanLimit = 5000;

    // Service Bus caps MessageId at 128 characters.
    private const int MaxMessageIdLength = 128;

    public DeadLetterSource Queue => queue;

    /// <summary>
    /// The replay's message id: derived from the original's and the replay id, never the original's. Service Bus (and
    /// LocalHost's queue) silently drop a send whose MessageId was seen within the duplicate detection window (10 min):
    /// an event dead-lettered at once (customs refused it) and replayed soon after under its own id would vanish while
    /// the ledger said Sent, and the dead letter would then be removed: lost. Deterministic, because a re-run after a crash
    /// between the send and the ledger's Sent must send under the same id, so that the queue drops the second copy.
    /// </summary>
    public static string ReplayMessageId(string originalMessageId, string replayId)
    {
        ArgumentNullException.ThrowIfNull(originalMessageId);
        ArgumentNullException.ThrowIfNull(replayId);
        var id = $"{originalMessageId}~replay~{replayId}";
        return id.Length <= MaxMessageIdLength
            ? id
            : $"replay~{replayId}~{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(originalMessageId)))[..32]}";
    }

    /// <summary>The dead letters (of one session), oldest first, each with its latest replay row if any.</summary>
    public async Task<IReadOnlyList<(DeadLetteredMessage Letter, DeadLetterReplayRecord? Replay)>> ListAsync(string? sessionId, int max = 1000, CancellationToken cancellationToken = default)
    {
        var letters = await queue.ListAsync(sessionId, max, cancellationToken).ConfigureAwait(false);
        List<(DeadLetteredMessage, DeadLetterReplayRecord?)> listed = [];
        foreach (var letter in letters)
        {
            listed.Add((letter, await ledger.GetAsync(letter.SessionId, letter.MessageId, cancellationToken).ConfigureAwait(false)));
        }
        return listed;
    }

    /// <summary>Replays one dead letter, found by its message id (in <paramref name="sessionId"/> when given); a refusal is returned, not thrown.</summary>
    public async Task<DeadLetterReplayResult> ReplayAsync(string? sessionId, string messageId, string by, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var letters = await queue.ListAsync(sessionId, ScanLimit, cancellationToken).ConfigureAwait(false);
        var letter = letters.FirstOrDefault(l => l.MessageId == messageId);
        var session = letter?.SessionId ?? sessionId;
        var existing = session is not null
            ? await ledger.GetAsync(session, messageId, cancellationToken).ConfigureAwait(false)
            : (await ledger.ListAsync(null, cancellationToken).ConfigureAwait(false)).LastOrDefault(r => r.MessageId == messageId);
        if (letter is null)
        {
            return existing switch
            {
                { State: DeadLetterReplayState.Settled } => new(existing.SessionId, messageId, null, $"'{messageId}' was replayed already ({existing.ReplayId}, by {existing.By} at {existing.RequestedAt:u}): nothing left to replay."),
                // Sent, then the dead letter went (removed, and the crash came before the ledger said so): finish the record.
                { State: DeadLetterReplayState.Sent } => await SettleAsync(existing, null, cancellationToken).ConfigureAwait(false),
                { State: DeadLetterReplayState.Claimed } => await RefuseAsync(existing, "the dead letter disappeared before it was re-sent (removed by someone else?)", cancellationToken).ConfigureAwait(false),
                _ => new(sessionId, messageId, null, $"No dead-lettered status event '{messageId}'{(sessionId is null ? string.Empty : $" in session {sessionId}")} on {queue.Name}."),
            };
        }
        return await ReplayAsync(letter, existing, by, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replays every dead letter (of one session), oldest first, so each container's events go back in the order they were dead-lettered.</summary>
    public async Task<IReadOnlyList<DeadLetterReplayResult>> ReplayAllAsync(string? sessionId, string by, string? reason, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        List<DeadLetterReplayResult> results = [];
        foreach (var letter in await queue.ListAsync(sessionId, limit, cancellationToken).ConfigureAwait(false))
        {
            var existing = await ledger.GetAsync(letter.SessionId, letter.MessageId, cancellationToken).ConfigureAwait(false);
            results.Add(await ReplayAsync(letter, existing, by, reason, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<DeadLetterReplayResult> ReplayAsync(DeadLetteredMessage letter, DeadLetterReplayRecord? existing, string by, string? reason, CancellationToken cancellationToken)
    {
        if (existing is { State: DeadLetterReplayState.Settled })
        {
            return new(letter.SessionId, letter.MessageId, null, $"'{letter.MessageId}' was replayed already ({existing.ReplayId}, by {existing.By} at {existing.RequestedAt:u}).");
        }

        // The same checks the handler makes first: a body that still cannot be processed would only be dead-lettered again.
        string? invalid = null;
        ContainerStatusEvent? statusEvent = null;
        if (!ContainerStatusEventReader.TryReadSingle(letter.Body.Span, out statusEvent, out var malformed, out var failure))
        {
            invalid = malformed ?? string.Join("; ", failure!.Errors.Select(e => $"{e.Field}: {e.Message}"));
        }
        else if (!string.Equals(statusEvent!.ContainerNumber.ToString(), letter.SessionId, StringComparison.Ordinal))
        {
            invalid = $"session '{letter.SessionId}' carries an event for {statusEvent.ContainerNumber}";
        }

        var record = existing;
        if (record is not { State: DeadLetterReplayState.Claimed or DeadLetterReplayState.Sent })
        {
            var now = time.GetUtcNow();
            var replayId = Guid.CreateVersion7(now).ToString("N");
            var claim = new DeadLetterReplayRecord(
                letter.SessionId, letter.MessageId, replayId, ReplayMessageId(letter.MessageId, replayId), by, reason, now,
                invalid is null ? DeadLetterReplayState.Claimed : DeadLetterReplayState.Refused, letter.Reason, invalid is null ? null : $"still not processable: {invalid}")
            {
                Version = existing?.Version,
            };
            record = existing is null
                ? await ledger.TryAddAsync(claim, cancellationToken).ConfigureAwait(false)
                : await ledger.TryUpdateAsync(claim, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                return new(letter.SessionId, letter.MessageId, null, $"Another replay of '{letter.MessageId}' is under way: list again, then re-run.");
            }
            if (invalid is not null)
            {
                return new(letter.SessionId, letter.MessageId, record, $"'{letter.MessageId}' is not replayed: it is still not processable ({invalid}).");
            }
        }
        else if (invalid is not null)
        {
            return new(letter.SessionId, letter.MessageId, record, $"'{letter.MessageId}' is not processable ({invalid}).");
        }

        if (record.State == DeadLetterReplayState.Claimed)
        {
            // Waiting again in the container view before it can be delivered (the handler removes the row on delivery).
            await TryPendingAsync(p => p.ReplayedAsync(statusEvent!, time.GetUtcNow(), cancellationToken)).ConfigureAwait(false);
            try
            {
                await queue.SendAsync(letter, record.ReplayMessageId, new Dictionary<string, string>
                {
                    [ReplayOfProperty] = letter.MessageId,
                    [ReplayIdProperty] = record.ReplayId,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Still dead-lettered (the row stays Claimed; a re-run sends under the same id).
                await TryPendingAsync(p => p.DeadLetteredAsync(statusEvent!.ContainerNumber, statusEvent.EventId, letter.Reason ?? "replay failed", time.GetUtcNow(), CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
            record = await ledger.TryUpdateAsync(record with { State = DeadLetterReplayState.Sent }, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The ledger row of '{letter.MessageId}' changed while it was replayed: re-run to settle it.");
        }
        return await SettleAsync(record, letter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the dead letter (when still there), then records the replay as settled.</summary>
    private async Task<DeadLetterReplayResult> SettleAsync(DeadLetterReplayRecord record, DeadLetteredMessage? letter, CancellationToken cancellationToken)
    {
        var removed = letter is not null && await queue.RemoveAsync(letter, cancellationToken).ConfigureAwait(false);
        var settled = record with
        {
            State = DeadLetterReplayState.Settled,
            SettledAt = time.GetUtcNow(),
            Detail = removed ? record.Detail : "the dead letter was already gone when the replay settled",
        };
        var stored = await ledger.TryUpdateAsync(settled, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The ledger row of '{record.MessageId}' changed while it was settled: re-run.");
        return new(record.SessionId, record.MessageId, stored, null);
    }

    private async Task<DeadLetterReplayResult> RefuseAsync(DeadLetterReplayRecord record, string why, CancellationToken cancellationToken)
    {
        var refused = await ledger.TryUpdateAsync(record with { State = DeadLetterReplayState.Refused, Detail = why }, cancellationToken).ConfigureAwait(false);
        return new(record.SessionId, record.MessageId, refused, $"'{record.MessageId}' is not replayed: {why}.");
    }

    private async Task TryPendingAsync(Func<PendingDeliveryStore, Task> update)
    {
        if (pending is null)
        {
            return;
        }
        try
        {
            await update(pending).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The pending index is for the view; the queue and the ledger decide what happens.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
