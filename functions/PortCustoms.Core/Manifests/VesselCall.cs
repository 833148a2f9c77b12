using PortCustoms.Core.Model;

namespace PortCustoms.Core.Manifests;

/// <summary>
/// One call of a vessel at the port: its IMO number and the carrier's voyage. The unit that manifests, discharge lists
/// and reconciliation runs are keyed by.
/// </summary>
public readonly record struct VesselCall(ImoNumber Imo, string Voyage)
{
    /// <summary>
    /// A key safe for Table keys, blob names and durable instance ids: <c>{imo}-{voyage}</c>, the voyage upper-cased
    /// with anything but letters and digits dropped (so "124E" and "124 e" are one call).
    /// </summary>
    public string Key => $"{Imo}-{NormalizeVoyage(Voyage)}";

    public override string ToString() => $"IMO {Imo} voyage {Voyage}";

    public static string NormalizeVoyage(string voyage)
    {
        ArgumentNullException.ThrowIfNull(voyage);
        return string.Create(voyage.Count(char.IsAsciiLetterOrDigit), voyage, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    span[i++] = char.ToUpperInvariant(c);
                }
            }
        });
    }
}
