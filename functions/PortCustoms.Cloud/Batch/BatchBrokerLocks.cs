using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace PortCustoms.Cloud.Batch;

/// <summary>
/// One lock per broker: a blob lease on <c>batch-locks/{broker}</c> in host storage, held (and renewed) while one of
/// the broker's files is analysed, decided and applied, so two files of one broker are never decided at the same
/// moment and the later always sees the earlier's references. Brokers do not wait for each other. A holder that dies
/// stops renewing: its lease expires and the next file (or its own retry) takes the lock.
/// </summary>
public sealed class BatchBrokerLocks
{
    public const string DefaultContainerName = "batch-locks";

    private readonly BlobContainerClient _container;
    private readonly ConcurrentDictionary<BatchBrokerLease, byte> _held = new();
    private int _created;

    /// <param name="hostStorage">The app's own storage (never the landing account: brokers can reach that over SFTP).</param>
    /// <param name="duration">The lease (15 to 60 s); renewed at a third of it while held.</param>
    /// <param name="containerName">The container of the lock blobs.</param>
    public BatchBrokerLocks(BlobServiceClient hostStorage, TimeSpan? duration = null, string containerName = DefaultContainerName)
    {
        ArgumentNullException.ThrowIfNull(hostStorage);
        _container = hostStorage.GetBlobContainerClient(containerName);
        Duration = duration ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThan(Duration, TimeSpan.FromSeconds(15), nameof(duration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Duration, TimeSpan.FromSeconds(60), nameof(duration));
    }

    public TimeSpan Duration { get; }

    /// <summary>How long a file waits for its broker's lock before giving up (the trigger retries, the sweep finishes it).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Test seam: called each time the lock was found held by someone else (before waiting again).</summary>
    internal Func<string, Task>? Contended { get; set; }

    /// <summary>Test seam: called after each renewal in the background.</summary>
    internal Action<string>? Renewed { get; set; }

    /// <summary>Test seam: what a process that dies does to its leases: they are neither renewed nor released.</summary>
    internal void AbandonHeld()
    {
        foreach (var lease in _held.Keys)
        {
            lease.Abandon();
        }
    }

    /// <summary>The lease on the broker's lock blob (for tests that take or break it as another instance would).</summary>
    internal BlobClient LockBlob(string broker) => _container.GetBlobClient(broker);

    /// <summary>Takes <paramref name="broker"/>'s lock, waiting up to <see cref="Wait"/> while another file holds it.</summary>
    /// <exception cref="BatchDropBusyException">Still held by another file after <see cref="Wait"/>.</exception>
    public async Task<BatchBrokerLease> AcquireAsync(string broker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(broker);
        var blob = _container.GetBlobClient(broker);
        await EnsureLockBlobAsync(blob, cancellationToken).ConfigureAwait(false);
        var leases = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        var deadline = DateTimeOffset.UtcNow + Wait;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await leases.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                var lease = new BatchBrokerLease(this, broker, leases, Duration);
                _held.TryAdd(lease, 0);
                return lease;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // LeaseAlreadyPresent: another file of this broker is being decided.
            }
            if (Contended is { } contended)
            {
                await contended(broker).ConfigureAwait(false);
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new BatchDropBusyException($"Another file of broker '{broker}' held its lock for longer than {Wait}; this file stays in inbound and is tried again.");
            }
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    internal void Forget(BatchBrokerLease lease) => _held.TryRemove(lease, out _);

    private async Task EnsureLockBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // There already (412 BlobAlreadyExists; 409 while it is leased).
        }
    }
}

/// <summary>
/// A held broker lock: renewed in the background; <see cref="Lost"/> fires when a renewal fails, and
/// <see cref="EnsureHeldAsync"/> renews on the spot, which succeeds only if nobody else has taken the lease since it
/// was acquired (an expired lease is renewable only until another holder acquires it).
/// </summary>
public sealed class BatchBrokerLease : IAsyncDisposable
{
    private readonly BatchBrokerLocks _locks;
    private readonly BlobLeaseClient _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private volatile bool _abandoned;

    internal BatchBrokerLease(BatchBrokerLocks locks, string broker, BlobLeaseClient lease, TimeSpan duration)
    {
        _locks = locks;
        _lease = lease;
        Broker = broker;
        _renewal = RenewAsync(duration / 3);
    }

    public string Broker { get; }

    /// <summary>Cancelled once the lease is known lost: the holder must stop before it applies anything.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Renews now; throws when another holder has taken the lease since (this file must not apply).</summary>
    /// <exception cref="BatchDropBusyException">The lease was lost.</exception>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken = default)
    {
        if (!_lost.IsCancellationRequested && !_abandoned)
        {
            try
            {
                await _lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
            }
        }
        throw LostException();
    }

    internal BatchDropBusyException LostException() =>
        new($"The lock of broker '{Broker}' was lost (held past its lease without renewal); nothing of this file was applied after that, and it is tried again.");

    internal void Abandon()
    {
        _abandoned = true;
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        _locks.Forget(this);
        if (!_abandoned && !_lost.IsCancellationRequested)
        {
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Taken over after all (409, 412), or storage unreachable: the lease then simply expires.
            }
        }
        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewAsync(TimeSpan every)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, _stop.Token).ConfigureAwait(false);
                try
                {
                    await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                    _locks.Renewed?.Invoke(Broker);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A transient failure: the lease outlives it by two renewals; EnsureHeldAsync decides before applying.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}

/// <summary>The broker's lock is held by another file (or was lost): not processed now; the trigger's retry or the inbound sweep takes it later.</summary>
public sealed class BatchDropBusyException(string message) : Exception(message);
