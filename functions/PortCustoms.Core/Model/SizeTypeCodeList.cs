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
/// Interning of known size-type codes while parsing (the shipped list's strings, so parsing a known code allocates
/// nothing). What a code means is the deployment's <see cref="CodeLists.CodeListService"/> (its <c>Lists.SizeTypes</c>).
/// </summary>
internal static class SizeTypeCodeList
{
    /// <summary>The shared string instance of a known code, so parsing a known code allocates nothing.</summary>
    internal static string? Intern(ReadOnlySpan<char> text) => CodeLists.CodeListSet.ShippedUnlessLoading?.SizeTypes.Intern(text);
}
