using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PortCustoms.Core.Batch;

namespace PortCustoms.Cloud.Batch;

/// <summary>A replay in the ledger: who asked when and why, which quarantined drop, and (once decided) the outcome.</summary>
public sealed record BatchReplayRecord(
    string Broker,
    string Name,
    string ReplayId,
    string Of,
    string OfDropId,
    string By,
    string? Reason,
    DateTimeOffset RequestedAt,
    string Outcome = "Pending",
    string? Destination = null,
    DateTimeOffset? DecidedAt = null);

public sealed class BatchReplayException(string message) : Exception(message);

/// <summary>
/// Re-drives quarantined files after a fix (a broker's configuration, a code list): the original stays in
/// <c>quarantine/</c> untouched; a copy goes back to <c>inbound/{broker}/{name}</c> with metadata naming the drop it
/// replays, and goes through the same checks as any drop. It may take over the content the quarantined drop claimed, and
/// nothing else: content another drop processed is still a duplicate, an interchange reference already used is still
/// refused. The ledger records who, when, why and, once the file is decided, the outcome.
/// </summary>
public sealed class BatchReplayer(BatchLandingStorage landing, BatchLedger ledger, TimeProvider time)
{
    private readonly BlobServiceClient _landing = (landing ?? throw new ArgumentNullException(nameof(landing))).Client;

    public async Task<BatchReplayRecord> ReplayAsync(string broker, string name, string by, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(broker);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var drop = await ledger.GetDropAsync(broker, name, cancellationToken).ConfigureAwait(false)
            ?? throw new BatchReplayException($"No drop '{broker}/{name}' in the ledger.");
        if (drop.Disposition == BatchDisposition.Duplicate)
        {
            throw new BatchReplayException($"'{broker}/{name}' is a duplicate of {drop.DuplicateOf}: replay that one.");
        }
        if (drop.Disposition != BatchDisposition.Quarantined || drop.Destination is null || drop.State is not (BatchDropState.Decided or BatchDropState.Done))
        {
            throw new BatchReplayException($"'{broker}/{name}' is {drop.Disposition.ToString().ToLowerInvariant()} ({drop.State}), not quarantined: only quarantined files are replayed.");
        }

        var slash = drop.Destination.IndexOf('/', StringComparison.Ordinal);
        var original = _landing.GetBlobContainerClient(drop.Destination[..slash]).GetBlobClient(drop.Destination[(slash + 1)..]);
        var target = _landing.GetBlobContainerClient(BatchDropProcessor.InboundContainer).GetBlobClient($"{broker}/{name}");
        var replay = new BatchReplayRecord(broker, name, Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), drop.Destination, drop.DropId, by, reason, time.GetUtcNow());
        // Recorded before the copy: a replay that reaches inbound is never without its audit record.
        await ledger.RecordReplayAsync(replay, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await original.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await target.UploadAsync(content, new BlobUploadOptions
                {
                    Metadata = new Dictionary<string, string> { [BatchDropProcessor.ReplayOfKey] = drop.DropId, [BatchDropProcessor.ReplayIdKey] = replay.ReplayId },
                    // A file waiting under that name is never overwritten.
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404)
        {
            await ledger.RecordReplayAsync(replay with { Outcome = "Failed", Reason = $"{reason} (the quarantined original {drop.Destination} is missing)".Trim() }, cancellationToken).ConfigureAwait(false);
            throw new BatchReplayException($"The quarantined original {drop.Destination} is missing.");
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            await ledger.RecordReplayAsync(replay with { Outcome = "Refused", Reason = $"{reason} (a file is waiting in inbound/{broker}/{name})".Trim() }, cancellationToken).ConfigureAwait(false);
            throw new BatchReplayException($"A file is waiting in inbound/{broker}/{name}: it is processed first; replay again after.");
        }
        return replay;
    }

    /// <summary>Replays every file quarantined since <paramref name="since"/> (of one broker, or all); each one's failure is returned, not thrown.</summary>
    public async Task<IReadOnlyList<(string Broker, string Name, BatchReplayRecord? Replay, string? Error)>> ReplayAllAsync(
        string? broker, DateTimeOffset since, string by, string? reason, int limit = 1000, CancellationToken cancellationToken = default)
    {
        List<(string, string, BatchReplayRecord?, string?)> results = [];
        // The broker filter is the query's, before the limit: other brokers' newer files never crowd this one's out.
        foreach (var drop in await ledger.ListQuarantinedAsync(since, limit, broker, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                results.Add((drop.Broker, drop.Name, await ReplayAsync(drop.Broker, drop.Name, by, reason, cancellationToken).ConfigureAwait(false), null));
            }
            catch (BatchReplayException ex)
            {
                results.Add((drop.Broker, drop.Name, null, ex.Message));
            }
        }
        return results;
    }
}
