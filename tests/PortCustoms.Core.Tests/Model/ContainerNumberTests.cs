using System.Text;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Tests.Model;

public sealed class ContainerNumberTests
{
    [Theory]
    [InlineData("MSCU1234566")]
    [InlineData("CSQU3054383")] // the ISO 6346 worked example
    [InlineData("ABCJ0000004")]
    [InlineData("TGHU0000013")]
    [InlineData("ZZZZ9999996")]
    public void TryParse_ValidNumber_ReturnsNone(string text)
    {
        Assert.Equal(ContainerNumberError.None, ContainerNumber.TryParse(text.AsSpan(), out var number));
        Assert.Equal(text, number.ToString());
        Assert.False(number.IsEmpty);
    }

    [Theory]
    [InlineData("", ContainerNumberError.Empty)]
    [InlineData("MSCU123456", ContainerNumberError.Length)]
    [InlineData("MSCU12345666", ContainerNumberError.Length)]
    [InlineData("mscu1234566", ContainerNumberError.OwnerCode)]
    [InlineData("M5CU1234566", ContainerNumberError.OwnerCode)]
    [InlineData("MSCX1234566", ContainerNumberError.Category)]
    [InlineData("MSCU12A4566", ContainerNumberError.Serial)]
    [InlineData("MSCU1234567", ContainerNumberError.CheckDigit)]
    [InlineData("CSQU3054384", ContainerNumberError.CheckDigit)]
    [InlineData("MSCU123456X", ContainerNumberError.CheckDigit)]
    public void TryParse_InvalidNumber_ReturnsTheReason(string text, ContainerNumberError expected)
    {
        Assert.Equal(expected, ContainerNumber.TryParse(text.AsSpan(), out var number));
        Assert.True(number.IsEmpty);
    }

    [Fact]
    public void ComputeCheckDigit_LettersSkipMultiplesOfEleven()
    {
        // K = 21 and L = 23 (22 skipped); U = 32 and V = 34 (33 skipped). Hand-computed sums:
        // KKKU000000: 21*(1+2+4) + 32*8 = 403 -> 403 % 11 = 7
        Assert.Equal(7, ContainerNumber.ComputeCheckDigit("KKKU000000"));
        // LLLU000000: 23*7 + 256 = 417 -> 417 % 11 = 10 -> 0
        Assert.Equal(0, ContainerNumber.ComputeCheckDigit("LLLU000000"));
        // VVVU000000: 34*7 + 256 = 494 -> 494 % 11 = 10 -> 0; AAAU000001: 10*7 + 256 + 512 = 838 -> 838 % 11 = 2
        Assert.Equal(2, ContainerNumber.ComputeCheckDigit("AAAU000001"));
    }

    [Fact]
    public void TryParse_Utf8Bytes_SameAsChars()
    {
        Assert.Equal(ContainerNumberError.None, ContainerNumber.TryParse("MSCU1234566"u8, out var number));
        Assert.Equal("MSCU1234566", number.ToString());
        Assert.Equal(ContainerNumberError.OwnerCode, ContainerNumber.TryParse(Encoding.UTF8.GetBytes("MSÇU123456"), out _));
    }

    [Fact]
    public void Default_IsEmpty_AndPartsThrow()
    {
        ContainerNumber none = default;
        Assert.True(none.IsEmpty);
        Assert.Equal(string.Empty, none.ToString());
        Assert.Throws<InvalidOperationException>(() => none.OwnerCode);
    }

    [Fact]
    public void Parts_SplitTheNumber()
    {
        var number = ContainerNumber.Parse("MSCU1234566");
        Assert.Equal("MSC", number.OwnerCode);
        Assert.Equal('U', number.Category);
        Assert.Equal("123456", number.Serial);
        Assert.Equal(6, number.CheckDigit);
        Assert.Equal(number, ContainerNumber.Parse("MSCU1234566"));
    }

    [Fact]
    public void TryFormat_Utf8_WritesAscii()
    {
        Span<byte> buffer = stackalloc byte[11];
        Assert.True(ContainerNumber.Parse("MSCU1234566").TryFormat(buffer, out var written, default, null));
        Assert.Equal("MSCU1234566", Encoding.ASCII.GetString(buffer[..written]));
        Assert.False(ContainerNumber.Parse("MSCU1234566").TryFormat(stackalloc byte[5], out _, default, null));
    }
}
