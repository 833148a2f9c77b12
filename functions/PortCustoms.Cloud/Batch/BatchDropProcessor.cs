using System.Diagnostics.Metrics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PortCustoms.Core.Batch;

using PortCustoms.Cloud.Storage;

namespace PortCustoms.Cloud.Batch;

/// <summary>What one call of <see cref="BatchDropProcessor.ProcessAsync"/> did.</summary>
public enum BatchDropStatus : byte
{
    None = 0,

    /// <summary>The file now lies in processed/ or quarantine/ with its report.</summary>
    Completed,

    /// <summary>Nothing to do: the blob is gone and the ledger has it done (a repeated event).</summary>
    AlreadyDone,

    /// <summary>Empty, not committed or not there: not processed (SFTP's first, empty BlobCreated).</summary>
    Skipped,
}

/// <summary>The steps of a drop (those up to <see cref="OriginalDeleted"/> move the original on); a test can stop or hold the process after each.</summary>
public enum BatchDropStep : byte
{
    /// <summary>Routed, before the ledger has the outcome: a re-run applies again, with no second effect.</summary>
    Applied = 1,
    LedgerDecided,
    Copied,
    OriginalDeleted,

    /// <summary>The broker's lock is held, nothing read yet.</summary>
    Locked,

    /// <summary>Read and checked (message references recorded), the decision not taken yet.</summary>
    Analyzed,
}

/// <summary>The result of one call: status, and the decision when there is one.</summary>
public sealed record BatchDropResult(BatchDropStatus Status, BatchDropRecord? Drop, string? Reason = null);

/// <summary>
/// Takes one file from <c>inbound/{broker}/{name}</c> to exactly one of <c>processed/{broker}/</c> or
/// <c>quarantine/{broker}/</c>, crash-safe: the ledger records the content hash and the outcome (with the
/// destination chosen and the reports written) before the original moves; the move is copy, verify (length and
/// SHA-256 of the bytes copied), delete. Whatever step a crash interrupts, running again finishes the job once: a
/// decided drop is never read or applied again, and effects applied before the decision are keyed (event ids,
/// notification ids, document ids), so repeating them has no second effect.
/// </summary>
public partial class BatchDropProcessor
{
    public const string InboundContainer = "inbound";
    public const string ProcessedContainer = "processed";
    public const string QuarantineContainer = "quarantine";
    public const string OutboundContainer = "outbound";

    /// <summary>Temporary names SFTP clients upload to before renaming (WinSCP's default).</summary>
    public static IReadOnlyList<string> TemporarySuffixes { get; } = [".filepart"];

    private const string SourceETagKey = "portcustomssourceetag";
    private const string Sha256Key = "portcustomssha256";

    /// <summary>Metadata of a replayed file: the drop id it re-drives, and the replay's id in the ledger.</summary>
    public const string ReplayOfKey = "portcustomsreplayof";
    public const string ReplayIdKey = "portcustomsreplayid";

    private readonly BlobServiceClient _landing;
    private readonly BatchLedger _ledger;
    private readonly BatchBrokerLocks _locks;
    private readonly BatchFilePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _files;

    public BatchDropProcessor(BatchLandingStorage landing, BatchLedger ledger, BatchBrokerLocks locks, BatchFilePipeline pipeline, TimeProvider time, ILogger<BatchDropProcessor>? logger = null, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(landing);
        _landing = landing.Client;
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _locks = locks ?? throw new ArgumentNullException(nameof(locks));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        // Per broker, so each broker's error rate shows on the dashboard; the broker names come from configuration-checked folders.
        _files = (meters?.Create(MeterName) ?? new Meter(MeterName)).CreateCounter<long>(
            "portcustoms.batch.files", "{file}", "Batch files decided, by broker and outcome (processed, quarantined, duplicate).");
    }

    public const string MeterName = "PortCustoms.Batch";

    /// <summary>Test seam: called after each step of the move; throwing there is a crash at that point.</summary>
    internal Func<BatchDropStep, Task>? AfterStep { get; set; }

    /// <summary>
    /// The file's owner as the landing account reports it: with hierarchical namespace, Get Blob Properties returns
    /// <c>x-ms-owner</c> (for a file uploaded over SFTP, the local user's numeric id). Null where it is not reported.
    /// </summary>
    public static string? OwnerOf(Response<BlobProperties> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.GetRawResponse().Headers.TryGetValue("x-ms-owner", out var owner) && !string.IsNullOrWhiteSpace(owner) ? owner.Trim() : null;
    }

    /// <summary>The final name for a temporary upload name, or null when <paramref name="name"/> is not one.</summary>
    public static string? FinalNameOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var suffix = TemporarySuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase) && name.Length > s.Length);
        return suffix is null ? null : name[..^suffix.Length];
    }

    public virtual async Task<BatchDropResult> ProcessAsync(string broker, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(broker);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var inbound = _landing.GetBlobContainerClient(InboundContainer);
        if (FinalNameOf(name) is { } finalName)
        {
            // An SFTP client's temporary name: the file is processed once, under the name it is renamed to.
            if (await inbound.GetBlobClient($"{broker}/{name}").ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new BatchDropNotReadyException($"'{broker}/{name}' is still being uploaded under its temporary name; it is processed once renamed.");
            }
            name = finalName;
        }

        var blob = inbound.GetBlobClient($"{broker}/{name}");
        BlobProperties properties;
        string? owner;
        try
        {
            var response = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            properties = response.Value;
            owner = OwnerOf(response);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone: either moved already (a repeated event) or never committed.
            var done = await _ledger.GetDropAsync(broker, name, cancellationToken).ConfigureAwait(false);
            if (done is { State: BatchDropState.Decided } && await IsVerifiedCopyAsync(DestinationOf(done), done, cancellationToken).ConfigureAwait(false))
            {
                await SaveAsync(done with { State = BatchDropState.Done }, cancellationToken).ConfigureAwait(false);
                return new BatchDropResult(BatchDropStatus.AlreadyDone, done with { State = BatchDropState.Done });
            }
            return done is { State: BatchDropState.Done }
                ? new BatchDropResult(BatchDropStatus.AlreadyDone, done)
                : new BatchDropResult(BatchDropStatus.Skipped, null, "The blob does not exist (not committed, or removed).");
        }
        if (properties.ContentLength == 0)
        {
            // SFTP's SftpCreate leaves an empty blob before the commit; an empty file carries nothing to process.
            LogSkippedEmpty(_logger, broker, name);
            return new BatchDropResult(BatchDropStatus.Skipped, null, "The blob is empty.");
        }

        var etag = properties.ETag.ToString().Trim('"');
        // A replayed file (portcustoms replay) names the quarantined drop it re-drives: it may take that drop's content over.
        properties.Metadata.TryGetValue(ReplayOfKey, out var replayOf);
        properties.Metadata.TryGetValue(ReplayIdKey, out var replayId);
        var drop = await _ledger.GetDropAsync(broker, name, cancellationToken).ConfigureAwait(false);
        if (IsUndecided(drop, etag))
        {
            drop = await DecideUnderLockAsync(blob, broker, name, properties, owner, etag, replayOf, replayId, cancellationToken).ConfigureAwait(false);
        }
        if (replayId is not null)
        {
            // Also on a re-run after a crash: the outcome is written once the decision stands (an idempotent merge).
            await _ledger.CompleteReplayAsync(broker, name, replayId, drop!.Disposition, drop.Destination, drop.DecidedAt ?? _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        await MoveAsync(blob, drop!, cancellationToken).ConfigureAwait(false);
        return new BatchDropResult(BatchDropStatus.Completed, drop! with { State = BatchDropState.Done });
    }

    private static bool IsUndecided(BatchDropRecord? drop, string etag) =>
        drop is null || drop.SourceETag != etag || drop.State is BatchDropState.None or BatchDropState.Analyzing;

    /// <summary>
    /// Decides the drop holding its broker's lock: no other file of the broker is read, decided or applied meanwhile, so
    /// the references this drop finds in the ledger include those of every file decided before it (see
    /// <see cref="DecideAsync"/> for why a lost lock never lets two files with one reference both apply).
    /// </summary>
    private async Task<BatchDropRecord> DecideUnderLockAsync(BlobClient blob, string broker, string name, BlobProperties properties, string? owner, string etag, string? replayOf, string? replayId, CancellationToken cancellationToken)
    {
        var lease = await _locks.AcquireAsync(broker, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            try
            {
                await Step(BatchDropStep.Locked).ConfigureAwait(false);
                // Another instance may have decided this very drop while this one waited for the lock.
                var drop = await _ledger.GetDropAsync(broker, name, held.Token).ConfigureAwait(false);
                if (!IsUndecided(drop, etag))
                {
                    return drop!;
                }
                // The ledger is asked only when the uploader is checked at all: a replay matters to that check alone.
                var operatorReplay = replayId is not null && _pipeline.Options.UploaderIdentity != BatchUploaderIdentity.NotChecked
                    && await _ledger.HasReplayAsync(broker, name, replayId, held.Token).ConfigureAwait(false);
                var file = new BatchFile(broker, name, properties.ContentLength)
                {
                    UploaderProblem = BatchUploader.Problem(_pipeline.Options, broker, owner, operatorReplay),
                };
                if (file.UploaderProblem is not null)
                {
                    LogUploaderNotBroker(_logger, broker, name, owner ?? "(not reported)");
                }
                return await DecideAsync(blob, file, etag, replayOf, lease, held.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw lease.LostException();
            }
        }
    }

    private async Task<BatchAnalysis> AnalyzeAsync(BlobClient blob, BlobOpenReadOptions read, BatchFile file, IBatchMessageReferences references, CancellationToken cancellationToken)
    {
        var content = await blob.OpenReadAsync(read, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return await _pipeline.AnalyzeAsync(file, content, references, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>
    /// Why two files of a broker carrying one reference never both apply, whatever the interleaving: each file's
    /// references are rows of its own (never overwritten by another file), written before its mark "applying"; the
    /// mark makes them count, and it is followed by a renewal of the lease that succeeds only if nobody has acquired the
    /// lease since this file did. So every file that applies has, before anything is applied, its rows and mark in the
    /// ledger and no other holder in between; any file that takes the lock later reads them and is refused. A holder that
    /// lost its lease (paused past it) fails that renewal and applies nothing; its mark may make a later file a
    /// duplicate of it, never let one through, and its retry replaces the mark with its outcome.
    /// </remarks>
    private async Task<BatchDropRecord> DecideAsync(BlobClient blob, BatchFile file, string etag, string? replayOf, BatchBrokerLease lease, CancellationToken cancellationToken)
    {
        var (broker, name) = (file.Broker, file.Name);
        var drop = new BatchDropRecord { Broker = broker, Name = name, SourceETag = etag, State = BatchDropState.Analyzing, Bytes = file.Length };
        await SaveAsync(drop, cancellationToken).ConfigureAwait(false);
        var read = new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) }, BufferSize = 1024 * 1024 };

        // Message references (UNH 0062) are checked and recorded in chunks while the file is read; they count as used
        // once this drop's outcome below says processed.
        var references = new BatchMessageReferenceCheck(_ledger, broker, drop.DropId, _time.GetUtcNow(), _pipeline.Options.DuplicateWindow);
        using var analysis = await AnalyzeAsync(blob, read, file, references, cancellationToken).ConfigureAwait(false);
        await Step(BatchDropStep.Analyzed).ConfigureAwait(false);

        var disposition = analysis.Quarantine ? BatchDisposition.Quarantined : BatchDisposition.Processed;
        string? duplicateOf = null;
        if (analysis.ContentHash is { } hash && await _ledger.ClaimContentAsync(ContentKey(broker, hash), drop.DropId, replayOf, cancellationToken).ConfigureAwait(false) is { } first)
        {
            disposition = BatchDisposition.Duplicate;
            duplicateOf = first.Destination ?? first.DropId;
        }
        var now = _time.GetUtcNow();
        // Also for a file already to be quarantined (say, for a reused message reference): its report names every error.
        if (disposition != BatchDisposition.Duplicate)
        {
            foreach (var interchange in analysis.Interchanges.Where(i => i.ControlReference.Length > 0))
            {
                if (await _ledger.FindInterchangeAsync(SenderKey(broker, interchange.Sender.Identification), interchange.ControlReference, drop.DropId, now - _pipeline.Options.DuplicateWindow, cancellationToken).ConfigureAwait(false) is { } usedBy)
                {
                    interchange.DuplicateOf = usedBy;
                    analysis.AddFileError(BatchFinding.Error(BatchErrorCodes.DuplicateInterchange,
                        $"Interchange reference '{interchange.ControlReference}' of sender '{interchange.Sender.Identification}' was already received ({usedBy}).",
                        new BatchPosition(0, 1, 5, 0)));
                }
            }
            if (analysis.Quarantine)
            {
                disposition = BatchDisposition.Quarantined;
            }
        }

        BatchRouting? routing = null;
        if (disposition == BatchDisposition.Processed)
        {
            // Claim the interchange references and mark the drop applying, then prove the lease was held throughout.
            foreach (var interchange in analysis.Interchanges.Where(i => i.ControlReference.Length > 0))
            {
                await _ledger.RecordInterchangeAsync(SenderKey(broker, interchange.Sender.Identification), interchange.ControlReference, drop.DropId, now, cancellationToken).ConfigureAwait(false);
            }
            await lease.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
            await _ledger.RecordApplyingAsync(drop.DropId, now, cancellationToken).ConfigureAwait(false);
            await lease.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
            var again = await blob.OpenReadAsync(read, cancellationToken).ConfigureAwait(false);
            await using (again.ConfigureAwait(false))
            {
                routing = await _pipeline.ApplyAsync(analysis, again, cancellationToken).ConfigureAwait(false);
            }
            await Step(BatchDropStep.Applied).ConfigureAwait(false);
        }

        // A duplicate lies beside its first copy: a second drop of quarantined content is quarantined too.
        var quarantined = disposition == BatchDisposition.Quarantined
            || (disposition == BatchDisposition.Duplicate && duplicateOf?.StartsWith(QuarantineContainer + "/", StringComparison.Ordinal) == true);
        var container = quarantined ? QuarantineContainer : ProcessedContainer;
        var path = await ChooseDestinationAsync(container, broker, name, etag, cancellationToken).ConfigureAwait(false);
        var contrl = new List<string>();
        if (disposition != BatchDisposition.Duplicate)
        {
            var outbound = _landing.GetBlobContainerClient(OutboundContainer);
            var answers = BatchFilePipeline.BuildContrl(analysis, now);
            for (var i = 0; i < answers.Count; i++)
            {
                var contrlPath = $"{path}{(answers.Count > 1 ? $".{i + 1}" : string.Empty)}.contrl.edi";
                await outbound.GetBlobClient(contrlPath).UploadAsync(BinaryData.FromBytes(answers[i].Contrl), overwrite: true, cancellationToken).ConfigureAwait(false);
                contrl.Add($"{OutboundContainer}/{contrlPath}");
            }
        }
        var decision = new BatchDecision(disposition, now, duplicateOf, contrl);
        var report = _landing.GetBlobContainerClient(container).GetBlobClient(path + (quarantined ? ".error.json" : ".result.json"));
        // Streamed through a pipe into one upload: the report appears whole when committed, never empty or half written.
        var pipe = new System.IO.Pipelines.Pipe();
        var upload = report.UploadAsync(pipe.Reader.AsStream(), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
        var reportStream = pipe.Writer.AsStream();
        try
        {
            if (quarantined)
            {
                await BatchReportWriter.WriteErrorAsync(reportStream, analysis, decision, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await BatchReportWriter.WriteResultAsync(reportStream, analysis, decision, routing, cancellationToken).ConfigureAwait(false);
            }
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await upload.ConfigureAwait(false);
        }

        // Before the drop is Decided: a crash in between re-runs the decision, which writes it again.
        await _ledger.RecordOutcomeAsync(drop.DropId, disposition, now, cancellationToken).ConfigureAwait(false);
        drop = drop with
        {
            State = BatchDropState.Decided,
            ContentHash = analysis.ContentHash,
            Disposition = disposition,
            Destination = $"{container}/{path}",
            DuplicateOf = duplicateOf,
            DecidedAt = now,
            VesselCalls = routing is { DischargeLists: > 0 } ? string.Join(';', routing.VesselCalls) : null,
        };
        await SaveAsync(drop, cancellationToken).ConfigureAwait(false);
        if (analysis.ContentHash is { } contentHash && disposition != BatchDisposition.Duplicate)
        {
            await _ledger.SetContentDestinationAsync(ContentKey(broker, contentHash), drop.DropId, drop.Destination, cancellationToken).ConfigureAwait(false);
        }
        LogDecided(_logger, broker, name, disposition, analysis.Findings.ErrorCount, drop.Destination);
        _files.Add(1, new KeyValuePair<string, object?>("broker", broker), new KeyValuePair<string, object?>("outcome", disposition switch
        {
            BatchDisposition.Quarantined => "quarantined",
            BatchDisposition.Duplicate => "duplicate",
            _ => "processed",
        }));
        await Step(BatchDropStep.LedgerDecided).ConfigureAwait(false);
        return drop;
    }

    private async Task MoveAsync(BlobClient original, BatchDropRecord drop, CancellationToken cancellationToken)
    {
        if (drop.VesselCalls is { Length: > 0 } calls)
        {
            // After the ledger has the file: reconciliation may start (idempotent, so repeating after a crash is safe).
            await _pipeline.CompleteDischargeListsAsync(calls.Split(';'), cancellationToken).ConfigureAwait(false);
        }
        var destination = DestinationOf(drop);
        if (!await IsVerifiedCopyAsync(destination, drop, cancellationToken).ConfigureAwait(false))
        {
            await CopyAsync(original, destination, drop, cancellationToken).ConfigureAwait(false);
            if (!await IsVerifiedCopyAsync(destination, drop, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"The copy of '{drop.Broker}/{drop.Name}' to '{drop.Destination}' does not match the original; the original stays.");
            }
        }
        await Step(BatchDropStep.Copied).ConfigureAwait(false);
        try
        {
            await original.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(drop.SourceETag) }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // 404: deleted before a crash. 412: the broker uploaded a new version under the name: a new drop, kept.
        }
        await Step(BatchDropStep.OriginalDeleted).ConfigureAwait(false);
        await SaveAsync(drop with { State = BatchDropState.Done }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the original into place, hashing what is copied; original bytes are never altered.</summary>
    private static async Task CopyAsync(BlobClient original, BlobClient destination, BatchDropRecord drop, CancellationToken cancellationToken)
    {
        var source = await original.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
        {
            Conditions = new BlobRequestConditions { IfMatch = new ETag(drop.SourceETag) },
            BufferSize = 4 * 1024 * 1024,
        }, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var hashing = new HashingReadStream(source);
            await destination.UploadAsync(hashing, new BlobUploadOptions
            {
                TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 2, InitialTransferSize = 4 * 1024 * 1024, MaximumTransferSize = 4 * 1024 * 1024 },
                Metadata = new Dictionary<string, string> { [SourceETagKey] = drop.SourceETag, [Sha256Key] = drop.ContentHash ?? string.Empty },
            }, cancellationToken).ConfigureAwait(false);
            var copied = hashing.HashHex();
            if (drop.ContentHash is not null && copied != drop.ContentHash)
            {
                // What was read now is not what was decided on: never delete the original over it.
                await destination.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"'{drop.Broker}/{drop.Name}' read differently on copy (SHA-256 {copied}, decided on {drop.ContentHash}).");
            }
        }
    }

    private static async Task<bool> IsVerifiedCopyAsync(BlobClient destination, BatchDropRecord drop, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await destination.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return properties.ContentLength == drop.Bytes
                && properties.Metadata.TryGetValue(SourceETagKey, out var etag) && etag == drop.SourceETag
                && (drop.ContentHash is null || (properties.Metadata.TryGetValue(Sha256Key, out var sha) && sha == drop.ContentHash));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    // Duplicates are a broker's own: the same content or interchange reference from another broker is that broker's new
    // file (its effects are keyed, so nothing applies twice), and no report ever names another broker's file.
    private static string ContentKey(string broker, string contentHash) => TableKeys.Encode(broker) + "|" + contentHash;

    private static string SenderKey(string broker, string sender) => broker + "|" + sender;

    /// <summary><c>{broker}/{name}</c>, unless another drop's file already lies there: then the name gets the version's ETag.</summary>
    private async Task<string> ChooseDestinationAsync(string container, string broker, string name, string etag, CancellationToken cancellationToken)
    {
        var path = $"{broker}/{name}";
        var existing = _landing.GetBlobContainerClient(container).GetBlobClient(path);
        try
        {
            var properties = (await existing.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (properties.Metadata.TryGetValue(SourceETagKey, out var owner) && owner == etag)
            {
                return path;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return path;
        }
        return $"{broker}/{name}.{etag.Replace("0x", string.Empty, StringComparison.OrdinalIgnoreCase)}";
    }

    private BlobClient DestinationOf(BatchDropRecord drop)
    {
        var slash = drop.Destination!.IndexOf('/', StringComparison.Ordinal);
        return _landing.GetBlobContainerClient(drop.Destination[..slash]).GetBlobClient(drop.Destination[(slash + 1)..]);
    }

    private Task SaveAsync(BatchDropRecord drop, CancellationToken cancellationToken) => _ledger.SaveDropAsync(drop, cancellationToken);

    private Task Step(BatchDropStep step) => AfterStep?.Invoke(step) ?? Task.CompletedTask;

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Batch drop {Broker}/{Name} is empty or not committed; not processed.")]
    private static partial void LogSkippedEmpty(ILogger logger, string broker, string name);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Batch drop {Broker}/{Name}: {Disposition} with {Errors} errors, to {Destination}.")]
    private static partial void LogDecided(ILogger logger, string broker, string name, BatchDisposition disposition, long errors, string? destination);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "Batch drop {Broker}/{Name} was uploaded by {Owner}, not by the broker's SFTP user: quarantined unread.")]
    private static partial void LogUploaderNotBroker(ILogger logger, string broker, string name, string owner);
}

/// <summary>The file is not ready to be processed yet (still under its temporary upload name); the trigger retries.</summary>
public sealed class BatchDropNotReadyException(string message) : Exception(message);

/// <summary>The landing storage account (connection <c>LandingStorage</c>), as its own type so it is never mistaken for host storage.</summary>
public sealed class BatchLandingStorage(BlobServiceClient client)
{
    public BlobServiceClient Client { get; } = client ?? throw new ArgumentNullException(nameof(client));
}
