using PortCustoms.Edifact.Contrl;

namespace PortCustoms.Core.Batch;

/// <summary>Where a dropped file ends.</summary>
public enum BatchDisposition : byte
{
    None = 0,

    /// <summary>Read, checked and applied (in message-level rejection, its good messages): <c>processed/</c>.</summary>
    Processed,

    /// <summary>An error-level finding: nothing of it applied; <c>quarantine/</c> with the error report.</summary>
    Quarantined,

    /// <summary>The same content was already received (under any name): nothing applied again; <c>processed/</c>.</summary>
    Duplicate,
}

/// <summary>A dropped file: the broker (its folder under <c>inbound/</c>), the name below it, and its size.</summary>
public sealed record BatchFile(string Broker, string Name, long Length)
{
    /// <summary><c>{broker}/{name}</c>: the source named in stored documents and reports.</summary>
    public string Source => $"{Broker}/{Name}";

    /// <summary>Why the file may not be attributed to <see cref="Broker"/> (see <see cref="BatchUploader"/>); null: it may.</summary>
    public string? UploaderProblem { get; init; }
}

/// <summary>One EDIFACT interchange of a file, as CONTRL answers it and the duplicate check keys it.</summary>
public sealed class BatchInterchange
{
    internal BatchInterchange(string controlReference, ContrlParty sender, ContrlParty recipient, int syntaxVersion, long byteOffset)
    {
        ControlReference = controlReference;
        Sender = sender;
        Recipient = recipient;
        SyntaxVersion = syntaxVersion;
        ByteOffset = byteOffset;
    }

    /// <summary>UNB 0020.</summary>
    public string ControlReference { get; }

    public ContrlParty Sender { get; }

    public ContrlParty Recipient { get; }

    public int SyntaxVersion { get; }

    internal long ByteOffset { get; }

    public long Messages { get; internal set; }

    /// <summary>Messages with errors, as CONTRL reports them (the first <see cref="BatchFilePipeline.MaxContrlMessages"/>).</summary>
    public List<ContrlMessageReport> RejectedMessages { get; } = [];

    public long RejectedCount { get; internal set; }

    /// <summary>An error in the envelope itself (UNB/UNZ, syntax): the whole interchange is rejected.</summary>
    public ContrlError? EnvelopeError { get; internal set; }

    /// <summary>Set when another file already used this reference for this sender within the window.</summary>
    public string? DuplicateOf { get; set; }
}

/// <summary>
/// What one pass over a file found: format, counts, findings, interchanges. Nothing has been applied yet. Dispose it:
/// it may hold the staged status events of an EDIFACT file in a temporary file.
/// </summary>
public sealed class BatchAnalysis : IDisposable
{
    internal BatchAnalysis(BatchFile file, BatchBrokerOptions options, BatchFindings findings)
    {
        File = file;
        Options = options;
        Findings = findings;
    }

    public BatchFile File { get; }

    public BatchBrokerOptions Options { get; }

    public BatchFormat Format { get; internal set; }

    /// <summary>Lower-case hex SHA-256 of the content; null when the file was not read (too large).</summary>
    public string? ContentHash { get; internal set; }

    public long Bytes { get; internal set; }

    public BatchFindings Findings { get; }

    /// <summary>Errors about the file or its envelopes, which no message-level rejection can leave out.</summary>
    public long FileErrors { get; internal set; }

    public List<BatchInterchange> Interchanges { get; } = [];

    /// <summary>Message counts by type (UNH 0065), or the item kind for CSV and JSON.</summary>
    public SortedDictionary<string, long> MessageTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>EDIFACT messages, CSV rows or JSON items.</summary>
    public long Items { get; internal set; }

    // One bit per message (8 KB pages, made when a rejection falls in them), not a set entry per rejected message: a
    // gigabyte file whose every message is rejected holds 340 KB here, and the count stays exact.
    private const int PageBits = 64 * 1024;
    private readonly List<ulong[]?> _rejectedPages = [];

    /// <summary>1-based indexes (in the file) of EDIFACT messages rejected one by one, in order.</summary>
    internal IEnumerable<long> RejectedItems
    {
        get
        {
            for (var page = 0; page < _rejectedPages.Count; page++)
            {
                if (_rejectedPages[page] is not { } words)
                {
                    continue;
                }
                for (var word = 0; word < words.Length; word++)
                {
                    for (var bits = words[word]; bits != 0; bits &= bits - 1)
                    {
                        yield return ((long)page * PageBits) + (word * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    }
                }
            }
        }
    }

    public long RejectedItemCount { get; private set; }

    /// <summary>Records that message <paramref name="index"/> (1-based) is rejected; once per message however often.</summary>
    internal void RejectItem(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var page = (int)(index / PageBits);
        while (_rejectedPages.Count <= page)
        {
            _rejectedPages.Add(null);
        }
        var words = _rejectedPages[page] ??= new ulong[PageBits / 64];
        var bit = (int)(index % PageBits);
        var mask = 1UL << (bit % 64);
        if ((words[bit / 64] & mask) == 0)
        {
            words[bit / 64] |= mask;
            RejectedItemCount++;
        }
    }

    internal bool IsRejected(long index)
    {
        var page = index / PageBits;
        if (index < 0 || page >= _rejectedPages.Count || _rejectedPages[(int)page] is not { } words)
        {
            return false;
        }
        var bit = (int)(index % PageBits);
        return (words[bit / 64] & (1UL << (bit % 64))) != 0;
    }

    /// <summary>EDIFACT: the status events of the accepted messages, translated once in pass 1 for pass 2.</summary>
    internal BatchEventStage? EventStage { get; set; }

    /// <summary>
    /// EDIFACT: message types whose accepted messages gave something besides status events (notifications,
    /// manifests): pass 2 reads the file again for those messages only.
    /// </summary>
    internal HashSet<string> TypesToApplyFromContent { get; } = new(StringComparer.Ordinal);

    public void Dispose()
    {
        EventStage?.Dispose();
        EventStage = null;
    }

    /// <summary>Records a finding that rejects the file whole (a duplicate interchange found by the ledger, ...).</summary>
    public void AddFileError(BatchFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Findings.Add(finding);
        FileErrors++;
    }

    /// <summary>
    /// True when nothing of the file may be applied: any error under interchange-level rejection, a file or envelope
    /// error in any mode, or every message rejected.
    /// </summary>
    public bool Quarantine =>
        FileErrors > 0
        || (Findings.HasErrors && (Format != BatchFormat.Edifact || Options.Rejection == BatchRejection.Interchange))
        || (Items > 0 && RejectedItemCount >= Items);
}

/// <summary>What applying a file did: what went where.</summary>
public sealed class BatchRouting
{
    public long StatusEvents { get; internal set; }

    public long Notifications { get; internal set; }

    public long Manifests { get; internal set; }

    public long DischargeLists { get; internal set; }

    /// <summary>The vessel calls manifests and discharge lists were stored under (their keys).</summary>
    public SortedSet<string> VesselCalls { get; } = new(StringComparer.Ordinal);
}
