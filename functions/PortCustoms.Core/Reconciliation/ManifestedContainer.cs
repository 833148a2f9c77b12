using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// One container entry of the manifests, as the matcher sees it: the number as text (so an invalid one can be reported
/// like the terminal's), and the evidence it carries. Small and serialisable: chunks of these travel as blobs.
/// </summary>
public sealed record ManifestedContainer
{
    public required string ContainerNumber { get; init; }

    public required string Source { get; init; }

    public string? BillOfLading { get; init; }

    public string? SizeType { get; init; }

    public IReadOnlyList<string> SealNumbers { get; init; } = [];

    public decimal? GrossMassKg { get; init; }

    public FullEmpty FullEmpty { get; init; }

    /// <summary>Set for an entry the manifest's mapping rejected (check digit or format).</summary>
    public ContainerNumberError Error { get; init; }

    public ManifestEvidence ToEvidence() => new()
    {
        Source = Source,
        BillOfLading = BillOfLading,
        SizeType = SizeType,
        SealNumbers = SealNumbers,
        GrossMassKg = GrossMassKg,
        FullEmpty = FullEmpty,
    };

    /// <summary>
    /// The entries of one manifest: every container, each with the bill of lading of the first consignment stowing it,
    /// plus the entries its mapping rejected (so a bad check digit is a discrepancy, not a loss).
    /// </summary>
    public static IEnumerable<ManifestedContainer> From(CargoManifest manifest, string source)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(source);
        var billOfLading = new Dictionary<ContainerNumber, string>();
        foreach (var consignment in manifest.Consignments)
        {
            foreach (var item in consignment.GoodsItems)
            {
                foreach (var container in item.Containers)
                {
                    billOfLading.TryAdd(container, consignment.BillOfLading);
                }
            }
        }
        foreach (var container in manifest.Containers)
        {
            yield return new ManifestedContainer
            {
                ContainerNumber = container.ContainerNumber.ToString(),
                Source = source,
                BillOfLading = billOfLading.GetValueOrDefault(container.ContainerNumber),
                SizeType = container.SizeType.IsEmpty ? null : container.SizeType.ToString(),
                SealNumbers = container.SealNumbers,
                GrossMassKg = container.GrossMassKg,
                FullEmpty = container.FullEmpty,
            };
        }
        foreach (var rejected in manifest.RejectedContainers ?? [])
        {
            yield return new ManifestedContainer
            {
                ContainerNumber = rejected.ContainerNumber,
                Source = rejected.Segment > 0 ? $"{source} (segment {rejected.Segment})" : source,
                Error = rejected.Error == ContainerNumberError.None ? ContainerNumberError.CheckDigit : rejected.Error,
            };
        }
    }
}
