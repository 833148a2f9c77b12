namespace PortCustoms.Core.Events;

/// <summary>What happened to a container. A closed list: the contract names every value, and an unknown type is rejected.</summary>
public enum ContainerEventType : byte
{
    /// <summary>Not a type: what <c>default</c> reads as; never valid.</summary>
    None = 0,
    Announced,
    Discharged,
    Loaded,
    GatedIn,
    GatedOut,
    Stripped,
    Stuffed,
    Inspected,
}

/// <summary>The wire names of <see cref="ContainerEventType"/> (<c>GATED_OUT</c>...).</summary>
public static class ContainerEventTypes
{
    public static string ToWireName(this ContainerEventType type) => type switch
    {
        ContainerEventType.Announced => "ANNOUNCED",
        ContainerEventType.Discharged => "DISCHARGED",
        ContainerEventType.Loaded => "LOADED",
        ContainerEventType.GatedIn => "GATED_IN",
        ContainerEventType.GatedOut => "GATED_OUT",
        ContainerEventType.Stripped => "STRIPPED",
        ContainerEventType.Stuffed => "STUFFED",
        ContainerEventType.Inspected => "INSPECTED",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a container event type."),
    };

    /// <summary>UTF-8 wire names, so the writer never transcodes.</summary>
    internal static ReadOnlySpan<byte> ToUtf8WireName(this ContainerEventType type) => type switch
    {
        ContainerEventType.Announced => "ANNOUNCED"u8,
        ContainerEventType.Discharged => "DISCHARGED"u8,
        ContainerEventType.Loaded => "LOADED"u8,
        ContainerEventType.GatedIn => "GATED_IN"u8,
        ContainerEventType.GatedOut => "GATED_OUT"u8,
        ContainerEventType.Stripped => "STRIPPED"u8,
        ContainerEventType.Stuffed => "STUFFED"u8,
        ContainerEventType.Inspected => "INSPECTED"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a container event type."),
    };

    public static bool TryParse(ReadOnlySpan<char> text, out ContainerEventType type)
    {
        type = text switch
        {
            "ANNOUNCED" => ContainerEventType.Announced,
            "DISCHARGED" => ContainerEventType.Discharged,
            "LOADED" => ContainerEventType.Loaded,
            "GATED_IN" => ContainerEventType.GatedIn,
            "GATED_OUT" => ContainerEventType.GatedOut,
            "STRIPPED" => ContainerEventType.Stripped,
            "STUFFED" => ContainerEventType.Stuffed,
            "INSPECTED" => ContainerEventType.Inspected,
            _ => ContainerEventType.None,
        };
        return type != ContainerEventType.None;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out ContainerEventType type)
    {
        type = ContainerEventType.None;
        if (utf8.SequenceEqual("ANNOUNCED"u8)) type = ContainerEventType.Announced;
        else if (utf8.SequenceEqual("DISCHARGED"u8)) type = ContainerEventType.Discharged;
        else if (utf8.SequenceEqual("LOADED"u8)) type = ContainerEventType.Loaded;
        else if (utf8.SequenceEqual("GATED_IN"u8)) type = ContainerEventType.GatedIn;
        else if (utf8.SequenceEqual("GATED_OUT"u8)) type = ContainerEventType.GatedOut;
        else if (utf8.SequenceEqual("STRIPPED"u8)) type = ContainerEventType.Stripped;
        else if (utf8.SequenceEqual("STUFFED"u8)) type = ContainerEventType.Stuffed;
        else if (utf8.SequenceEqual("INSPECTED"u8)) type = ContainerEventType.Inspected;
        return type != ContainerEventType.None;
    }

    public static IReadOnlyList<string> WireNames { get; } =
        ["ANNOUNCED", "DISCHARGED", "LOADED", "GATED_IN", "GATED_OUT", "STRIPPED", "STUFFED", "INSPECTED"];
}
