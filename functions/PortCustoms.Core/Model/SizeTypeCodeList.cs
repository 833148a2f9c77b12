using System.Collections.Frozen;

namespace PortCustoms.Core.Model;

/// <summary>Which coding a size-type code comes from.</summary>
public enum SizeTypeCodeKind : byte
{
    /// <summary>Syntactically valid but in no code list this app knows: accepted, and reported.</summary>
    Unknown = 0,
    Iso1995,
    Iso1984,
    Alias,
}

/// <summary>What the code list knows about a size-type code. <see cref="Canonical"/> is the ISO 6346 (1995) code customs gets.</summary>
public readonly record struct SizeTypeCodeInfo(SizeTypeCode Code, SizeTypeCodeKind Kind, SizeTypeCode Canonical, int LengthFeet, string Description)
{
    public bool IsKnown => Kind != SizeTypeCodeKind.Unknown;
}

/// <summary>
/// The ISO 6346 size-type code lists: current (1995) codes, the 1984 four-digit codes still sent by older TOS, and the
/// trade aliases (20GP, 40HC...). Old codes and aliases map to a 1995 code so customs always receives the current coding.
/// </summary>
public static class SizeTypeCodeList
{
    private static readonly FrozenDictionary<string, SizeTypeCodeInfo> Entries = Build();

    private static readonly FrozenDictionary<string, SizeTypeCodeInfo>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        Entries.GetAlternateLookup<ReadOnlySpan<char>>();

    public static int Count => Entries.Count;

    /// <summary>Looks a code up. An unknown code comes back with <see cref="SizeTypeCodeKind.Unknown"/> and itself as canonical.</summary>
    public static SizeTypeCodeInfo Lookup(SizeTypeCode code)
    {
        if (code.IsEmpty)
        {
            throw new ArgumentException("The size-type code is empty (default).", nameof(code));
        }
        return Entries.TryGetValue(code.ToString(), out var info)
            ? info
            : new SizeTypeCodeInfo(code, SizeTypeCodeKind.Unknown, code, 0, "not in the ISO 6346 code lists known to this app");
    }

    /// <summary>The shared string instance of a known code, so parsing a known code allocates nothing.</summary>
    internal static string? Intern(ReadOnlySpan<char> text) =>
        BySpan.TryGetValue(text, out var info) ? info.Code.ToString() : null;

    private static FrozenDictionary<string, SizeTypeCodeInfo> Build()
    {
        var map = new Dictionary<string, SizeTypeCodeInfo>(StringComparer.Ordinal);

        void Iso(string code, int feet, string description)
        {
            var value = SizeTypeCode.FromTrusted(code);
            map.Add(code, new SizeTypeCodeInfo(value, SizeTypeCodeKind.Iso1995, value, feet, description));
        }

        void Old(string code, SizeTypeCodeKind kind, string canonical)
        {
            var target = map[canonical];
            map.Add(code, new SizeTypeCodeInfo(SizeTypeCode.FromTrusted(code), kind, target.Canonical, target.LengthFeet, target.Description));
        }

        // ISO 6346:1995. First character length, second height/width, then the type: G general, V ventilated,
        // B bulk, R reefer, H insulated, U open top, P platform/flat, T tank, S named cargo.
        Iso("22G0", 20, "20 ft, 8'6\", general purpose, opening at one or both ends");
        Iso("22G1", 20, "20 ft, 8'6\", general purpose, passive vents");
        Iso("22G2", 20, "20 ft, 8'6\", general purpose, opening at one or both ends and full side");
        Iso("25G1", 20, "20 ft, 9'6\", general purpose, passive vents");
        Iso("22V0", 20, "20 ft, 8'6\", ventilated");
        Iso("22B0", 20, "20 ft, 8'6\", dry bulk, closed");
        Iso("22R0", 20, "20 ft, 8'6\", reefer, mechanically refrigerated");
        Iso("22R1", 20, "20 ft, 8'6\", reefer, refrigerated and heated");
        Iso("22H0", 20, "20 ft, 8'6\", insulated, refrigerated with removable equipment");
        Iso("22U0", 20, "20 ft, 8'6\", open top, opening at one or both ends");
        Iso("22U1", 20, "20 ft, 8'6\", open top, removable top members");
        Iso("22P1", 20, "20 ft, 8'6\", flat rack, two complete and fixed ends");
        Iso("22P3", 20, "20 ft, 8'6\", flat rack, collapsible ends");
        for (var t = 0; t <= 6; t++)
        {
            Iso($"22T{t}", 20, t < 3 ? "20 ft, 8'6\", tank for non-dangerous liquids" : "20 ft, 8'6\", tank for dangerous liquids");
        }
        Iso("22T7", 20, "20 ft, 8'6\", tank for gases");
        Iso("42G0", 40, "40 ft, 8'6\", general purpose, opening at one or both ends");
        Iso("42G1", 40, "40 ft, 8'6\", general purpose, passive vents");
        Iso("45G0", 40, "40 ft, 9'6\" (high cube), general purpose, opening at one or both ends");
        Iso("45G1", 40, "40 ft, 9'6\" (high cube), general purpose, passive vents");
        Iso("42R0", 40, "40 ft, 8'6\", reefer, mechanically refrigerated");
        Iso("42R1", 40, "40 ft, 8'6\", reefer, refrigerated and heated");
        Iso("45R1", 40, "40 ft, 9'6\" (high cube), reefer, refrigerated and heated");
        Iso("42U1", 40, "40 ft, 8'6\", open top, removable top members");
        Iso("45U1", 40, "40 ft, 9'6\", open top, removable top members");
        Iso("42P1", 40, "40 ft, 8'6\", flat rack, two complete and fixed ends");
        Iso("42P3", 40, "40 ft, 8'6\", flat rack, collapsible ends");
        Iso("45P3", 40, "40 ft, 9'6\", flat rack, collapsible ends");
        Iso("42T0", 40, "40 ft, 8'6\", tank for non-dangerous liquids");
        Iso("L5G1", 45, "45 ft, 9'6\" (high cube), general purpose, passive vents");
        Iso("L5R1", 45, "45 ft, 9'6\" (high cube), reefer, refrigerated and heated");

        // ISO 6346:1984 four-digit codes (length, height, type group, detail), still common in older TOS.
        Old("2200", SizeTypeCodeKind.Iso1984, "22G0");
        Old("2210", SizeTypeCodeKind.Iso1984, "22G1");
        Old("2232", SizeTypeCodeKind.Iso1984, "22R1");
        Old("2251", SizeTypeCodeKind.Iso1984, "22U1");
        Old("2261", SizeTypeCodeKind.Iso1984, "22P1");
        Old("2270", SizeTypeCodeKind.Iso1984, "22T0");
        Old("4300", SizeTypeCodeKind.Iso1984, "42G0");
        Old("4310", SizeTypeCodeKind.Iso1984, "42G1");
        Old("4332", SizeTypeCodeKind.Iso1984, "42R1");
        Old("4351", SizeTypeCodeKind.Iso1984, "42U1");
        Old("4361", SizeTypeCodeKind.Iso1984, "42P1");
        Old("4500", SizeTypeCodeKind.Iso1984, "45G0");
        Old("4510", SizeTypeCodeKind.Iso1984, "45G1");
        Old("4532", SizeTypeCodeKind.Iso1984, "45R1");

        // Trade aliases from booking systems and TOS screens.
        Old("20GP", SizeTypeCodeKind.Alias, "22G1");
        Old("20DV", SizeTypeCodeKind.Alias, "22G1");
        Old("40GP", SizeTypeCodeKind.Alias, "42G1");
        Old("40DV", SizeTypeCodeKind.Alias, "42G1");
        Old("40HC", SizeTypeCodeKind.Alias, "45G1");
        Old("40HQ", SizeTypeCodeKind.Alias, "45G1");
        Old("45HC", SizeTypeCodeKind.Alias, "L5G1");
        Old("20RF", SizeTypeCodeKind.Alias, "22R1");
        Old("40RF", SizeTypeCodeKind.Alias, "42R1");
        Old("40RH", SizeTypeCodeKind.Alias, "45R1");
        Old("40HR", SizeTypeCodeKind.Alias, "45R1");
        Old("20TK", SizeTypeCodeKind.Alias, "22T0");
        Old("20OT", SizeTypeCodeKind.Alias, "22U1");
        Old("40OT", SizeTypeCodeKind.Alias, "42U1");
        Old("20FR", SizeTypeCodeKind.Alias, "22P1");
        Old("40FR", SizeTypeCodeKind.Alias, "42P1");

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
