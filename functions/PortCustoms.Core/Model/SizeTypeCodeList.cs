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
/// The ISO 6346 size-type code lists as shipped (<c>CodeLists/size-types.json</c>): current (1995) codes, the 1984
/// four-digit codes still sent by older TOS, and the trade aliases (20GP, 40HC...). Old codes and aliases map to a 1995
/// code so customs always receives the current coding. A deployment's overrides are in <see cref="CodeLists.CodeListService"/>.
/// </summary>
public static class SizeTypeCodeList
{
    public static int Count => CodeLists.CodeListSet.Shipped.SizeTypes.Count;

    /// <summary>Looks a code up. An unknown code comes back with <see cref="SizeTypeCodeKind.Unknown"/> and itself as canonical.</summary>
    public static SizeTypeCodeInfo Lookup(SizeTypeCode code) => CodeLists.CodeListSet.Shipped.SizeTypes.Lookup(code);

    /// <summary>The shared string instance of a known code, so parsing a known code allocates nothing.</summary>
    internal static string? Intern(ReadOnlySpan<char> text) => CodeLists.CodeListSet.ShippedUnlessLoading?.SizeTypes.Intern(text);
}
