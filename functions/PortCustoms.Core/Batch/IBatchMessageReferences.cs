namespace PortCustoms.Core.Batch;

/// <summary>An EDIFACT message's identity for the duplicate check: who sent it (UNB 0004), its type (UNH 0065) and reference (UNH 0062).</summary>
public readonly record struct BatchMessageReference(string Sender, string MessageType, string Reference);

/// <summary>
/// The message references earlier files of the same broker used, for one file being analysed (the ledger's, in Cloud).
/// The pipeline asks in chunks of at most <see cref="BatchFilePipeline.MessageReferenceChunk"/> messages, so a file of
/// millions of messages never holds its references in memory and costs one round trip per chunk, not per message.
/// </summary>
public interface IBatchMessageReferences
{
    /// <summary>
    /// For each reference (same order), the earlier file that used it and whose messages were applied, within the
    /// duplicate window; null when none did. The file's own records (a re-run after a crash) never count.
    /// </summary>
    Task<IReadOnlyList<string?>> FindUsedAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken);

    /// <summary>Records the accepted messages' references as this file's; they count once the file is decided processed.</summary>
    Task RecordAsync(IReadOnlyList<BatchMessageReference> references, CancellationToken cancellationToken);
}
