using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Model;

public sealed class SizeTypeCodeTests
{
    [Theory]
    [InlineData("22G1", SizeTypeCodeKind.Iso1995, "22G1", 20)]
    [InlineData("45G1", SizeTypeCodeKind.Iso1995, "45G1", 40)]
    [InlineData("42R1", SizeTypeCodeKind.Iso1995, "42R1", 40)]
    [InlineData("22T6", SizeTypeCodeKind.Iso1995, "22T6", 20)]
    [InlineData("2210", SizeTypeCodeKind.Iso1984, "22G1", 20)]
    [InlineData("4510", SizeTypeCodeKind.Iso1984, "45G1", 40)]
    [InlineData("4310", SizeTypeCodeKind.Iso1984, "42G1", 40)]
    [InlineData("20GP", SizeTypeCodeKind.Alias, "22G1", 20)]
    [InlineData("40GP", SizeTypeCodeKind.Alias, "42G1", 40)]
    [InlineData("40HC", SizeTypeCodeKind.Alias, "45G1", 40)]
    [InlineData("20RF", SizeTypeCodeKind.Alias, "22R1", 20)]
    [InlineData("40RH", SizeTypeCodeKind.Alias, "45R1", 40)]
    [InlineData("20TK", SizeTypeCodeKind.Alias, "22T0", 20)]
    public void Lookup_KnownCode_ReturnsKindAndCanonicalCode(string text, SizeTypeCodeKind kind, string canonical, int feet)
    {
        Assert.Equal(SizeTypeCodeError.None, SizeTypeCode.TryParse(text.AsSpan(), out var code));
        var info = PortCustoms.Core.CodeLists.CodeListSet.Shipped.SizeTypes.Lookup(code);
        Assert.Equal(kind, info.Kind);
        Assert.Equal(canonical, info.Canonical.ToString());
        Assert.Equal(feet, info.LengthFeet);
        Assert.True(info.IsKnown);
    }

    [Fact]
    public void Lookup_UnknownButValidCode_IsAcceptedAndReportedUnknown()
    {
        Assert.Equal(SizeTypeCodeError.None, SizeTypeCode.TryParse("9ZX9".AsSpan(), out var code));
        var info = PortCustoms.Core.CodeLists.CodeListSet.Shipped.SizeTypes.Lookup(code);
        Assert.Equal(SizeTypeCodeKind.Unknown, info.Kind);
        Assert.False(info.IsKnown);
        Assert.Equal(code, info.Canonical);
    }

    [Theory]
    [InlineData("", SizeTypeCodeError.Empty)]
    [InlineData("22G", SizeTypeCodeError.Length)]
    [InlineData("22G10", SizeTypeCodeError.Length)]
    [InlineData("22g1", SizeTypeCodeError.Characters)]
    [InlineData("22-1", SizeTypeCodeError.Characters)]
    public void TryParse_InvalidText_ReturnsError(string text, SizeTypeCodeError expected)
    {
        Assert.Equal(expected, SizeTypeCode.TryParse(text.AsSpan(), out var code));
        Assert.True(code.IsEmpty);
    }

    [Fact]
    public void Equality_SameCode_EqualAndWellKnownPropertiesMatchParsed()
    {
        Assert.Equal(SizeTypeCode.Iso45G1, SizeTypeCode.Parse("45G1"));
        Assert.True(SizeTypeCode.Iso22G1 == SizeTypeCode.Parse("22G1"));
        Assert.True(SizeTypeCode.Iso22G1 != SizeTypeCode.Iso42G1);
        Assert.Equal(SizeTypeCode.Iso22T6.GetHashCode(), SizeTypeCode.Parse("22T6").GetHashCode());
    }

    [Fact]
    public void Default_IsEmpty_AndLookupRejectsIt()
    {
        var none = default(SizeTypeCode);
        Assert.True(none.IsEmpty);
        Assert.Equal(string.Empty, none.ToString());
        Assert.Throws<ArgumentException>(() => PortCustoms.Core.CodeLists.CodeListSet.Shipped.SizeTypes.Lookup(none));
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatException() => Assert.Throws<FormatException>(() => SizeTypeCode.Parse("XX"));
}
