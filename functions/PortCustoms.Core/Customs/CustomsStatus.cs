using System.Diagnostics.CodeAnalysis;

namespace PortCustoms.Core.Customs;

/// <summary>What a customs notification says about a container (contracts/http-api.md, <c>status</c>).</summary>
/// <remarks>
/// The numeric order is the precedence between notifications issued at the same instant: the more restrictive one wins,
/// so an equal-timestamp release never outranks a hold. Do not re-order.
/// </remarks>
public enum CustomsStatus : byte
{
    None = 0,
    Released = 1,
    InspectionCompleted = 2,
    InspectionRequired = 3,
    Hold = 4,
}

/// <summary>The wire names of <see cref="CustomsStatus"/>: <c>RELEASED</c>, <c>HOLD</c>, <c>INSPECTION_REQUIRED</c>, <c>INSPECTION_COMPLETED</c>.</summary>
public static class CustomsStatusNames
{
    public const string Released = "RELEASED";
    public const string Hold = "HOLD";
    public const string InspectionRequired = "INSPECTION_REQUIRED";
    public const string InspectionCompleted = "INSPECTION_COMPLETED";

    public static IReadOnlyList<string> All { get; } = [Released, Hold, InspectionRequired, InspectionCompleted];

    public static string ToName(this CustomsStatus status) => status switch
    {
        CustomsStatus.Released => Released,
        CustomsStatus.Hold => Hold,
        CustomsStatus.InspectionRequired => InspectionRequired,
        CustomsStatus.InspectionCompleted => InspectionCompleted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No customs status."),
    };

    /// <summary>Exact, case-sensitive: what customs sent is what is stored.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out CustomsStatus status)
    {
        status = name switch
        {
            Released => CustomsStatus.Released,
            Hold => CustomsStatus.Hold,
            InspectionRequired => CustomsStatus.InspectionRequired,
            InspectionCompleted => CustomsStatus.InspectionCompleted,
            _ => CustomsStatus.None,
        };
        return status != CustomsStatus.None;
    }
}
