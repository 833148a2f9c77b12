using Microsoft.Extensions.Options;
using PortCustoms.Core.Residency;

namespace PortCustoms.Core.Tests.Residency;

public sealed class ResidencyGuardTests
{
    private static ResidencyGuard Guard(string? region, string? platform, params string[] allowed)
    {
        var options = new ResidencyOptions { Region = region };
        foreach (var a in allowed)
        {
            options.AllowedRegions.Add(a);
        }
        return new ResidencyGuard(Options.Create(options), platform);
    }

    [Fact]
    public void EnsureAllowed_ApprovedRegionAsThePlatformNamesIt_Allows()
    {
        var guard = Guard("westeurope", "West Europe", "westeurope", "northeurope");
        guard.EnsureAllowed();
        Assert.True(guard.Status.IsEnforced);
        Assert.Equal("westeurope", guard.Status.Region);
    }

    [Fact]
    public void EnsureAllowed_CommaSeparatedList_IsSplit() =>
        Guard("northeurope", null, "westeurope,northeurope").EnsureAllowed();

    [Fact]
    public void EnsureAllowed_PlatformRegionOutsideTheList_Refuses()
    {
        var guard = Guard(null, "East US", "westeurope");
        var error = Assert.Throws<ResidencyViolationException>(guard.EnsureAllowed);
        Assert.False(guard.Status.IsAllowed);
        Assert.Contains("eastus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureAllowed_AppCopiedToAnotherApprovedRegionWithTheSameSettings_Refuses()
    {
        // Deployed for westeurope, found running in northeurope: the settings were copied, not deployed.
        var guard = Guard("westeurope", "North Europe", "westeurope", "northeurope");
        Assert.Throws<ResidencyViolationException>(guard.EnsureAllowed);
    }

    [Fact]
    public void EnsureAllowed_EnforcedButRegionUnknown_Refuses() =>
        Assert.Throws<ResidencyViolationException>(Guard(null, null, "westeurope").EnsureAllowed);

    [Fact]
    public void EnsureAllowed_NoApprovedRegions_IsNotEnforced()
    {
        var guard = Guard(null, null);
        guard.EnsureAllowed();
        Assert.False(guard.Status.IsEnforced);
    }

    [Fact]
    public void ValidateAtStart_InAzureWithoutApprovedRegions_RefusesToStart()
    {
        var problems = ResidencyGuard.ValidateAtStart(new ResidencyOptions(), "West Europe");
        Assert.Contains("Residency:AllowedRegions", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAtStart_InAzureWithApprovedRegions_Starts()
    {
        var options = new ResidencyOptions { Region = "westeurope" };
        options.AllowedRegions.Add("westeurope");
        Assert.Empty(ResidencyGuard.ValidateAtStart(options, "West Europe"));
    }

    [Fact]
    public void ValidateAtStart_OffThePlatform_StartsUnenforced() =>
        Assert.Empty(ResidencyGuard.ValidateAtStart(new ResidencyOptions(), null));
}
