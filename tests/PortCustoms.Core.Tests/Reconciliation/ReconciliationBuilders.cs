using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;
using PortCustoms.Core.Reconciliation;

namespace PortCustoms.Core.Tests.Reconciliation;

internal static class ReconciliationBuilders
{
    public static readonly VesselCall Call = new(ImoNumber.Parse("9811000"), "124E");

    /// <summary>A valid ISO 6346 number from an owner code and serial.</summary>
    public static string Valid(string owner, int serial)
    {
        var first = owner + "U" + serial.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        return first + ContainerNumber.ComputeCheckDigit(first);
    }

    /// <summary>The same number with a wrong check digit.</summary>
    public static string WrongCheckDigit(string valid) => valid[..10] + (char)('0' + ((valid[10] - '0' + 1) % 10));

    public static ManifestedContainer Manifested(string number, string? sizeType = "45G1", string[]? seals = null, decimal? mass = 20_000m, FullEmpty fullEmpty = FullEmpty.Full, string source = "test.edi CUSCAR M1") => new()
    {
        ContainerNumber = number,
        Source = source,
        SizeType = sizeType,
        SealNumbers = seals ?? ["S-" + number],
        GrossMassKg = mass,
        FullEmpty = fullEmpty,
    };

    public static DischargedContainer Discharged(string number, int row, string? sizeType = "45G1", string[]? seals = null, decimal? mass = 20_000m, FullEmpty fullEmpty = FullEmpty.Full) => new()
    {
        Row = row,
        ContainerNumber = number,
        DischargedAt = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero),
        SizeType = sizeType,
        SealNumbers = seals ?? ["S-" + number],
        GrossMassKg = mass,
        FullEmpty = fullEmpty,
    };
}
