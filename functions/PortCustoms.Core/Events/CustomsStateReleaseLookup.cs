using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Events;

/// <summary>
/// The release lookup over the gate path's customs state: released exactly when the gate would answer CLEAR from the
/// stored notifications (<see cref="ReleaseDecision"/>), not released on a hold or inspection order, unknown when
/// nothing is held. Customs notifications carry import release only, so export clearance stays unknown.
/// </summary>
public sealed class CustomsStateReleaseLookup : ICustomsReleaseLookup
{
    private readonly CustomsStateStore _store;

    public CustomsStateReleaseLookup(CustomsStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async ValueTask<CustomsClearance> IsReleasedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default)
    {
        var state = await _store.GetStateAsync(containerNumber, cancellationToken);
        if (state is null)
        {
            return CustomsClearance.Unknown;
        }
        return ReleaseDecision.Decide(state).Decision == GateDecision.Clear ? CustomsClearance.Released : CustomsClearance.NotReleased;
    }

    public ValueTask<CustomsClearance> IsExportClearedAsync(ContainerNumber containerNumber, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(CustomsClearance.Unknown);
}
