using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>What customs has said about a container, as far as this app knows.</summary>
public enum CustomsClearance : byte
{
    /// <summary>No usable answer (nothing held, stale, or no lookup configured).</summary>
    Unknown = 0,
    Released,
    NotReleased,
}

/// <summary>
/// The customs status the anomaly rules need. The gate path's release store implements it; until then
/// <see cref="UnknownCustomsReleaseLookup"/> answers <see cref="CustomsClearance.Unknown"/>.
/// </summary>
public interface ICustomsReleaseLookup
{
    /// <summary>Import release: may the container leave the port?</summary>
    ValueTask<CustomsClearance> IsReleasedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);

    /// <summary>Export clearance: may the container be loaded?</summary>
    ValueTask<CustomsClearance> IsExportClearedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default);
}

/// <summary>The default: knows nothing. A gate-out is then an alarm by default (see <see cref="ContainerEventOptions.ReleaseUnknownIsAlarm"/>).</summary>
public sealed class UnknownCustomsReleaseLookup : ICustomsReleaseLookup
{
    public static UnknownCustomsReleaseLookup Instance { get; } = new();

    public ValueTask<CustomsClearance> IsReleasedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(CustomsClearance.Unknown);

    public ValueTask<CustomsClearance> IsExportClearedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(CustomsClearance.Unknown);
}
