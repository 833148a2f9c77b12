using PortCustoms.Core.Manifests;

namespace PortCustoms.Core.Reconciliation;

/// <summary>One manifest with where it came from (for evidence: <c>{source} {type} {reference}</c>).</summary>
public sealed record SourcedManifest(string Source, CargoManifest Manifest);

/// <summary>What a run matches: every manifest entry and discharge row of the call, and the document-level findings.</summary>
public sealed record PreparedReconciliation(
    IReadOnlyList<ManifestedContainer> Manifested,
    IReadOnlyList<DischargedContainer> Discharged,
    IReadOnlyList<Discrepancy> Findings);

/// <summary>
/// The reconciliation of one vessel call, in steps the durable orchestration runs as activities (prepare, match each
/// chunk, assemble) and that <see cref="Run"/> runs in one go for the CLI. Bad input is a discrepancy where one can be
/// named, otherwise a <see cref="ReconciliationInputException"/>; nothing is skipped silently.
/// </summary>
public sealed class ManifestReconciliation
{
    private readonly ReconciliationOptions _options;
    private readonly ManifestMatcher _matcher;

    public ManifestReconciliation(ReconciliationOptions? options = null, CodeLists.CodeListService? codeLists = null)
    {
        _options = options ?? new ReconciliationOptions();
        _matcher = new ManifestMatcher(_options, codeLists);
    }

    public ManifestMatcher Matcher => _matcher;

    public PreparedReconciliation Prepare(VesselCall vesselCall, IReadOnlyList<SourcedManifest> manifests, DischargeList? dischargeList)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        if (manifests.Count == 0)
        {
            throw new ReconciliationInputException(ReconciliationErrorCodes.NoManifest, $"No manifest is held for {vesselCall}: nothing to reconcile the discharge list against.");
        }
        if (dischargeList is null)
        {
            throw new ReconciliationInputException(ReconciliationErrorCodes.NoDischargeList, $"No discharge list is held for {vesselCall}.");
        }
        if (dischargeList.VesselCall.Key != vesselCall.Key)
        {
            throw new ReconciliationInputException(ReconciliationErrorCodes.DischargeListOtherCall, $"The discharge list is for {dischargeList.VesselCall}, not {vesselCall}.");
        }
        if (dischargeList.Containers.Count == 0 && dischargeList.Findings.Count == 0)
        {
            throw new ReconciliationInputException(ReconciliationErrorCodes.DischargeListEmpty, $"The discharge list for {vesselCall} has no rows: an empty list would make every manifested container short-landed.");
        }

        var findings = new List<Discrepancy>();
        var manifested = new List<ManifestedContainer>();
        foreach (var (source, manifest) in manifests)
        {
            if (IsOtherCall(vesselCall, manifest, out var theirs))
            {
                findings.Add(new Discrepancy
                {
                    Kind = DiscrepancyKind.OtherVesselCall,
                    ContainerNumber = source,
                    Description = $"The manifest {source} is for {theirs}, not {vesselCall}; its {manifest.Containers.Count} containers were not reconciled against this call.",
                    Critical = _options.IsCritical(DiscrepancyKind.OtherVesselCall),
                    Manifest = [new ManifestEvidence { Source = source }],
                });
                continue;
            }
            manifested.AddRange(ManifestedContainer.From(manifest, source));
        }
        foreach (var finding in dischargeList.Findings)
        {
            findings.Add(new Discrepancy
            {
                Kind = DiscrepancyKind.InvalidDischargeRow,
                ContainerNumber = finding.ContainerNumber ?? string.Empty,
                FindingCode = finding.Code,
                Description = $"Row {finding.Row} of the discharge list{(finding.Column is { } column ? $" ({column})" : string.Empty)}: {finding.Message}",
                Critical = _options.IsCritical(DiscrepancyKind.InvalidDischargeRow),
                Discharge = [new DischargeEvidence { Row = finding.Row }],
            });
        }
        return new PreparedReconciliation(manifested, dischargeList.Containers, findings);
    }

    /// <summary>Everything in one process: prepare, match, assemble.</summary>
    public ReconciliationReport Run(VesselCall vesselCall, IReadOnlyList<SourcedManifest> manifests, DischargeList? dischargeList, IReadOnlyList<ReportDocument> documents, DateTimeOffset generatedAt)
    {
        var prepared = Prepare(vesselCall, manifests, dischargeList);
        var found = _matcher.Match(prepared.Manifested, prepared.Discharged);
        return ReconciliationReport.Assemble(vesselCall, prepared.Findings.Concat(found), documents, prepared.Manifested.Count, prepared.Discharged.Count, generatedAt);
    }

    /// <summary>The manifested entries and discharged rows split into chunks closed under container number.</summary>
    public static (List<ManifestedContainer>[] Manifested, List<DischargedContainer>[] Discharged) Split(PreparedReconciliation prepared, int chunkCount)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkCount, 1);
        var manifested = new List<ManifestedContainer>[chunkCount];
        var discharged = new List<DischargedContainer>[chunkCount];
        for (var i = 0; i < chunkCount; i++)
        {
            manifested[i] = [];
            discharged[i] = [];
        }
        foreach (var entry in prepared.Manifested)
        {
            manifested[ManifestMatcher.ChunkOf(entry.ContainerNumber, chunkCount)].Add(entry);
        }
        foreach (var row in prepared.Discharged)
        {
            discharged[ManifestMatcher.ChunkOf(row.ContainerNumber, chunkCount)].Add(row);
        }
        return (manifested, discharged);
    }

    private static bool IsOtherCall(VesselCall vesselCall, CargoManifest manifest, out string theirs)
    {
        var imo = manifest.Vessel.Imo;
        var voyage = manifest.Voyage;
        theirs = $"IMO {(imo.IsEmpty ? manifest.Vessel.CallSign ?? "?" : imo.ToString())} voyage {voyage ?? "?"}";
        // A manifest naming its vessel by call sign only cannot be checked on the IMO; the voyage still must match.
        var otherImo = !imo.IsEmpty && imo != vesselCall.Imo;
        var otherVoyage = voyage is not null && VesselCall.NormalizeVoyage(voyage) != VesselCall.NormalizeVoyage(vesselCall.Voyage);
        return otherImo || otherVoyage;
    }
}
