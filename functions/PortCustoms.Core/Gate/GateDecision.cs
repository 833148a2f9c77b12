namespace PortCustoms.Core.Gate;

/// <summary>The answer to a gate query. <c>default</c> is <see cref="Hold"/>: an unset decision can never let a container through.</summary>
public enum GateDecision : byte
{
    Hold = 0,
    Clear = 1,
    Inspect = 2,
}

/// <summary>Where the answer came from (contracts/http-api.md, <c>source</c>).</summary>
public enum DecisionSource : byte
{
    /// <summary>No usable answer: always with <see cref="GateDecision.Hold"/>.</summary>
    Default = 0,

    /// <summary>From customs notifications held by PortCustoms.</summary>
    Store = 1,

    /// <summary>From a live query to the customs platform.</summary>
    Customs = 2,
}

/// <summary>Which way the container passes the gate.</summary>
public enum GateDirection : byte
{
    None = 0,
    In = 1,
    Out = 2,
}

/// <summary>The wire names of the gate enums (upper case, as in contracts/http-api.md).</summary>
public static class GateNames
{
    public static string ToName(this GateDecision decision) => decision switch
    {
        GateDecision.Clear => "CLEAR",
        GateDecision.Inspect => "INSPECT",
        _ => "HOLD",
    };

    public static string ToName(this DecisionSource source) => source switch
    {
        DecisionSource.Store => "STORE",
        DecisionSource.Customs => "CUSTOMS",
        _ => "DEFAULT",
    };

    public static string ToName(this GateDirection direction) => direction switch
    {
        GateDirection.In => "IN",
        GateDirection.Out => "OUT",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "No direction."),
    };

    public static bool TryParseDirection(string? text, out GateDirection direction)
    {
        direction = text switch
        {
            "IN" => GateDirection.In,
            "OUT" => GateDirection.Out,
            _ => GateDirection.None,
        };
        return direction != GateDirection.None;
    }

    public static bool TryParseDecision(string? text, out GateDecision decision)
    {
        switch (text)
        {
            case "CLEAR":
                decision = GateDecision.Clear;
                return true;
            case "INSPECT":
                decision = GateDecision.Inspect;
                return true;
            case "HOLD":
                decision = GateDecision.Hold;
                return true;
            default:
                decision = GateDecision.Hold;
                return false;
        }
    }

    public static bool TryParseSource(string? text, out DecisionSource source)
    {
        switch (text)
        {
            case "STORE":
                source = DecisionSource.Store;
                return true;
            case "CUSTOMS":
                source = DecisionSource.Customs;
                return true;
            case "DEFAULT":
                source = DecisionSource.Default;
                return true;
            default:
                source = DecisionSource.Default;
                return false;
        }
    }
}
