namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// The outcome of reconciling one vessel call: what was compared, the counts per kind (every kind, zeros included, in
/// report order) and each discrepancy numbered from 1 with its evidence, plain sentence and resolution, if any.
/// </summary>
public sealed record ReconciliationReport
{
    /// <summary>The vessel call key (<c>{imo}-{voyage}</c>).</summary>
    public required string VesselCall { get; init; }

    public string? VesselImo { get; init; }

    public string? Voyage { get; init; }

    public DateTimeOffset GeneratedAt { get; init; }

    public IReadOnlyList<ReportDocument> Documents { get; init; } = [];

    public int ManifestedContainers { get; init; }

    public int DischargedContainers { get; init; }

    /// <summary>Per kind code, every kind listed.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();

    public int Total => Discrepancies.Count;

    public int Critical => Discrepancies.Count(d => d.Critical);

    public int Resolved => Discrepancies.Count(d => d.Resolution is not null);

    public IReadOnlyList<Discrepancy> Discrepancies { get; init; } = [];

    /// <summary>The report with discrepancy <paramref name="number"/> resolved; false when there is no such number.</summary>
    public bool TryResolve(int number, DiscrepancyResolution resolution, out ReconciliationReport resolved)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        resolved = this;
        if (number < 1 || number > Discrepancies.Count)
        {
            return false;
        }
        var list = Discrepancies.ToArray();
        list[number - 1] = list[number - 1] with { Resolution = resolution };
        resolved = this with { Discrepancies = list };
        return true;
    }

    /// <summary>Numbers the discrepancies in report order and counts them per kind.</summary>
    public static ReconciliationReport Assemble(
        Manifests.VesselCall vesselCall,
        IEnumerable<Discrepancy> discrepancies,
        IReadOnlyList<ReportDocument> documents,
        int manifestedContainers,
        int dischargedContainers,
        DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(discrepancies);
        var ordered = discrepancies.ToList();
        ordered.Sort(ManifestMatcher.ReportOrder);
        var numbered = new Discrepancy[ordered.Count];
        var counts = DiscrepancyKinds.All.ToDictionary(k => k.Code(), _ => 0);
        for (var i = 0; i < numbered.Length; i++)
        {
            numbered[i] = ordered[i] with { Number = i + 1 };
            counts[ordered[i].Code]++;
        }
        return new ReconciliationReport
        {
            VesselCall = vesselCall.Key,
            VesselImo = vesselCall.Imo.ToString(),
            Voyage = vesselCall.Voyage,
            GeneratedAt = generatedAt,
            Documents = documents,
            ManifestedContainers = manifestedContainers,
            DischargedContainers = dischargedContainers,
            Counts = counts,
            Discrepancies = numbered,
        };
    }
}

/// <summary>A document the run compared: <c>manifest</c> or <c>dischargeList</c>, its id and where it came from.</summary>
public sealed record ReportDocument(string Kind, string DocumentId, string Source, DateTimeOffset? ReceivedAt);
