namespace PortCustoms.Core.Events;

/// <summary>What is wrong in a container's history. Stable names: they are metric tags and part of the container view.</summary>
public enum ContainerAnomalyKind : byte
{
    None = 0,

    /// <summary>A move that cannot follow the one before it (gated out before discharged, loaded after gate-out without gate-in...).</summary>
    ImpossibleTransition,

    /// <summary>Arrived after an event that happened later; inserted in its place in the timeline.</summary>
    OutOfOrder,

    /// <summary>The same event id arrived again; it had no second effect.</summary>
    Duplicate,

    /// <summary>Gated out while customs had not released it: an alarm.</summary>
    GatedOutWithoutRelease,

    /// <summary>Discharged and not gated out (or loaded) within the configured dwell.</summary>
    DwellExceeded,

    /// <summary>Loaded while customs had not cleared it for export (only where configured).</summary>
    LoadedWithoutExportClearance,
}

public enum AnomalySeverity : byte
{
    Warning = 0,
    Alarm,
}

/// <summary>One anomaly, tied to the event that revealed it.</summary>
public sealed record ContainerAnomaly(ContainerAnomalyKind Kind, AnomalySeverity Severity, string EventId, DateTimeOffset OccurredAt, string Detail)
{
    public static string ToWireName(ContainerAnomalyKind kind) => kind switch
    {
        ContainerAnomalyKind.ImpossibleTransition => "IMPOSSIBLE_TRANSITION",
        ContainerAnomalyKind.OutOfOrder => "OUT_OF_ORDER",
        ContainerAnomalyKind.Duplicate => "DUPLICATE",
        ContainerAnomalyKind.GatedOutWithoutRelease => "GATED_OUT_WITHOUT_RELEASE",
        ContainerAnomalyKind.DwellExceeded => "DWELL_EXCEEDED",
        ContainerAnomalyKind.LoadedWithoutExportClearance => "LOADED_WITHOUT_EXPORT_CLEARANCE",
        _ => kind.ToString(),
    };

    public static bool TryParseWireName(string text, out ContainerAnomalyKind kind)
    {
        kind = text switch
        {
            "IMPOSSIBLE_TRANSITION" => ContainerAnomalyKind.ImpossibleTransition,
            "OUT_OF_ORDER" => ContainerAnomalyKind.OutOfOrder,
            "DUPLICATE" => ContainerAnomalyKind.Duplicate,
            "GATED_OUT_WITHOUT_RELEASE" => ContainerAnomalyKind.GatedOutWithoutRelease,
            "DWELL_EXCEEDED" => ContainerAnomalyKind.DwellExceeded,
            "LOADED_WITHOUT_EXPORT_CLEARANCE" => ContainerAnomalyKind.LoadedWithoutExportClearance,
            _ => ContainerAnomalyKind.None,
        };
        return kind != ContainerAnomalyKind.None;
    }
}
