namespace PortCustoms.Core.Events;

/// <summary>Where the timeline says the container is, as far as this port can tell.</summary>
public enum ContainerPresence : byte
{
    /// <summary>No history yet.</summary>
    Unknown = 0,

    /// <summary>Announced, not yet arrived.</summary>
    Expected,

    /// <summary>Loaded on a vessel.</summary>
    Afloat,

    /// <summary>Discharged or gated in, not yet loaded or gated out.</summary>
    InTerminal,

    /// <summary>Gated out.</summary>
    Departed,
}

/// <summary>
/// The transition rules. Only moves that are physically impossible at one port are flagged: a container must be in the
/// terminal (discharged or gated in) to be gated out, loaded, stripped, stuffed or inspected, and cannot arrive twice.
/// A discharge after a gate-out is allowed: the container may come back by sea weeks later (its loading happened elsewhere).
/// </summary>
public static class ContainerTransitions
{
    /// <summary>The presence after <paramref name="type"/>, and why the move is impossible (null when it is fine).</summary>
    public static (ContainerPresence Next, string? Violation) Apply(ContainerPresence current, ContainerEventType type) => type switch
    {
        ContainerEventType.Announced => (current is ContainerPresence.Unknown or ContainerPresence.Departed ? ContainerPresence.Expected : current, null),
        ContainerEventType.Discharged => (ContainerPresence.InTerminal, current switch
        {
            ContainerPresence.InTerminal => "DISCHARGED while already in the terminal",
            _ => null,
        }),
        ContainerEventType.GatedIn => (ContainerPresence.InTerminal, current switch
        {
            ContainerPresence.InTerminal => "GATED_IN while already in the terminal",
            ContainerPresence.Afloat => "GATED_IN while on board a vessel",
            _ => null,
        }),
        ContainerEventType.Loaded => (ContainerPresence.Afloat, current switch
        {
            ContainerPresence.InTerminal => null,
            ContainerPresence.Departed => "LOADED after GATED_OUT without GATED_IN",
            ContainerPresence.Afloat => "LOADED while already on board",
            _ => "LOADED before the container was DISCHARGED or GATED_IN",
        }),
        ContainerEventType.GatedOut => (ContainerPresence.Departed, current switch
        {
            ContainerPresence.InTerminal => null,
            ContainerPresence.Departed => "GATED_OUT twice without GATED_IN",
            ContainerPresence.Afloat => "GATED_OUT while on board a vessel",
            _ => "GATED_OUT before the container was DISCHARGED or GATED_IN",
        }),
        ContainerEventType.Stripped or ContainerEventType.Stuffed or ContainerEventType.Inspected =>
            (current, current == ContainerPresence.InTerminal ? null : $"{type.ToWireName()} while the container is not in the terminal"),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a container event type."),
    };
}
