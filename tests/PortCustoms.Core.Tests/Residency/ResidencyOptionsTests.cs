using PortCustoms.Core.Residency;

namespace PortCustoms.Core.Tests.Residency;

/// <summary>The residency settings' shape, checked at start (source-generated validator).</summary>
public sealed class ResidencyOptionsTests
{
    [Fact]
    public void Validate_RegionNames_Succeed()
    {
        var options = new ResidencyOptions { Region = "West Europe" };
        options.AllowedRegions.Add("westeurope,northeurope");
        options.AllowedRegions.Add("germany-west-central");
        Assert.True(new ResidencyOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new ResidencyOptionsValidator().Validate(null, new ResidencyOptions()).Succeeded);
    }

    [Theory]
    [InlineData("west/europe")]
    [InlineData("*")]
    public void Validate_SomethingThatIsNotARegionName_FailsNamingTheSetting(string region)
    {
        var options = new ResidencyOptions { Region = "westeurope" };
        options.AllowedRegions.Add(region);
        var result = new ResidencyOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Residency:AllowedRegions", result.FailureMessage, StringComparison.Ordinal);
    }
}
