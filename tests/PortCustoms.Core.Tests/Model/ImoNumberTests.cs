using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Model;

public sealed class ImoNumberTests
{
    [Theory]
    [InlineData("9811000")]
    [InlineData("9074729")] // weights 7..2: 9*7+0+7*5+4*4+7*3+2*2 = 139 -> 9
    [InlineData("IMO 9074729")]
    public void TryParse_Valid_ReturnsNone(string text) =>
        Assert.Equal(ImoNumberError.None, ImoNumber.TryParse(text.AsSpan(), out _));

    [Theory]
    [InlineData("", ImoNumberError.Empty)]
    [InlineData("981100", ImoNumberError.Length)]
    [InlineData("98110A0", ImoNumberError.Digits)]
    [InlineData("9811001", ImoNumberError.CheckDigit)]
    public void TryParse_Invalid_ReturnsTheReason(string text, ImoNumberError expected) =>
        Assert.Equal(expected, ImoNumber.TryParse(text.AsSpan(), out _));
}
