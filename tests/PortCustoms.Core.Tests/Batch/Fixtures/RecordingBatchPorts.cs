using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PortCustoms.Core.Events;
using PortCustoms.Core.Manifests;

namespace PortCustoms.Core.Tests.Batch.Fixtures;

/// <summary>
/// The ordered queue as the batch flow sees it: every send recorded, and, like Service Bus duplicate detection
/// (MessageId = event id), a repeated id is accepted but not queued again.
/// </summary>
public sealed class RecordingEventPublisher : ContainerEventPublisher
{
    private readonly ConcurrentDictionary<string, ContainerStatusEvent> _queued = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Sent { get; } = new();

    /// <summary>Events on the queue, once each.</summary>
    public IReadOnlyCollection<ContainerStatusEvent> Queued => _queued.Values.ToList();

    public Exception? Fail { get; set; }

    public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
    {
        if (Fail is { } fail)
        {
            throw fail;
        }
        foreach (var e in events)
        {
            Sent.Enqueue(e.EventId);
            _queued.TryAdd(e.EventId, e);
        }
        return Task.CompletedTask;
    }
}

/// <summary>The reconciliation engineer's store, recorded: idempotent on (call, kind, id) as the port promises.</summary>
public sealed class RecordingDocumentStore : IVesselCallDocumentStore
{
    private readonly ConcurrentDictionary<string, (VesselCallDocument Document, object Body)> _documents = new(StringComparer.Ordinal);

    public int Puts;

    public IReadOnlyList<VesselCallDocument> Documents => _documents.Values.Select(d => d.Document).ToList();

    public T Body<T>(VesselCallDocument document) => (T)_documents[Key(document.VesselCall, document.Kind, document.DocumentId)].Body;

    public Task<VesselCallDocument> PutManifestAsync(VesselCall vesselCall, string documentId, string source, CargoManifest manifest, CancellationToken cancellationToken) =>
        Put(vesselCall, VesselCallDocumentKind.Manifest, documentId, source, manifest);

    public Task<VesselCallDocument> PutDischargeListAsync(VesselCall vesselCall, string documentId, string source, DischargeList dischargeList, CancellationToken cancellationToken) =>
        Put(vesselCall, VesselCallDocumentKind.DischargeList, documentId, source, dischargeList);

    public async IAsyncEnumerable<VesselCallDocument> ListAsync(VesselCall vesselCall, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var d in Documents.Where(d => d.VesselCall.Key == vesselCall.Key))
        {
            yield return d;
        }
    }

    public Task<CargoManifest> ReadManifestAsync(VesselCallDocument document, CancellationToken cancellationToken) => Task.FromResult(Body<CargoManifest>(document));

    public Task<DischargeList> ReadDischargeListAsync(VesselCallDocument document, CancellationToken cancellationToken) => Task.FromResult(Body<DischargeList>(document));

    private Task<VesselCallDocument> Put(VesselCall call, VesselCallDocumentKind kind, string id, string source, object body)
    {
        Interlocked.Increment(ref Puts);
        var stored = _documents.GetOrAdd(Key(call, kind, id), _ => (new VesselCallDocument(call, kind, id, source, DateTimeOffset.UtcNow), body));
        return Task.FromResult(stored.Document);
    }

    private static string Key(VesselCall call, VesselCallDocumentKind kind, string id) => $"{call.Key}|{kind}|{id}";
}

public sealed class RecordingCompletion : IDischargeListCompletion
{
    public ConcurrentQueue<string> Completed { get; } = new();

    public Task DischargeListCompletedAsync(VesselCall vesselCall, CancellationToken cancellationToken)
    {
        Completed.Enqueue(vesselCall.Key);
        return Task.CompletedTask;
    }
}
