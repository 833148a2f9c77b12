using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Gate;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

/// <summary>Configuration keys, defaults and start-time validation of the gate path.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GatePathOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void Signing_is_off_unless_configured_and_half_a_signing_configuration_is_refused_at_start()
    {
        using (var services = GatePathServices.Build(azurite, new Dictionary<string, string?>()))
        {
            Assert.False(services.GetRequiredKeyedService<ClientCertificateProvider>(PortCustoms.Cloud.Gate.GatePathServiceCollectionExtensions.SigningCertificateKey).IsConfigured);
        }
        using (var services = GatePathServices.Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:Signing:VaultUri"] = "https://vault.example/",
            ["CustomsPlatform:Signing:CertificateName"] = "port-signing",
        }))
        {
            Assert.True(services.GetRequiredKeyedService<ClientCertificateProvider>(PortCustoms.Cloud.Gate.GatePathServiceCollectionExtensions.SigningCertificateKey).IsConfigured);
        }
        var problems = new CustomsPlatformOptions { Signing = { } }.Validate();
        Assert.Empty(problems);
        var half = new CustomsPlatformOptions();
        half.Signing.CertificateName = "port-signing";
        Assert.Contains("CustomsPlatform:Signing needs both VaultUri and CertificateName, or neither.", half.Validate());
    }

    [Fact]
    public void AddGatePath_NoConfiguration_DefaultsAndNoLiveQuery()
    {
        using var services = GatePathServices.Build(azurite, new Dictionary<string, string?>());

        Assert.Equal(TimeSpan.FromMilliseconds(2500), services.GetRequiredService<IOptions<GateOptions>>().Value.LiveQueryBudget);
        Assert.False(services.GetRequiredService<CustomsLiveQueryClient>().IsConfigured);
        var authority = services.GetRequiredService<IOptions<CustomsAuthorityOptions>>().Value;
        Assert.Equal(GateDecision.Clear, authority.StatusCodes["4"].Decision);
        Assert.Equal(GateDecision.Inspect, authority.StatusCodes["5"].Decision);
        Assert.Equal(GateDecision.Hold, authority.StatusCodes["7"].Decision);
    }

    [Fact]
    public void AddGatePath_AuthorityMappingFromConfiguration_OverridesAndAddsCodes()
    {
        using var services = GatePathServices.Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsAuthority:Name"] = "NL Douane AGS",
            ["CustomsAuthority:StatusCodes:4:Decision"] = "HOLD",
            ["CustomsAuthority:StatusCodes:4:Reason"] = "Release suspended",
            ["CustomsAuthority:StatusCodes:A1:Decision"] = "CLEAR",
            ["CustomsAuthority:StatusCodes:A1:Reason"] = "Vrijgegeven",
        });

        var authority = services.GetRequiredService<IOptions<CustomsAuthorityOptions>>().Value;
        Assert.Equal("NL Douane AGS", authority.Name);
        Assert.Equal((GateDecision.Hold, "Release suspended"), (authority.StatusCodes["4"].Decision, authority.StatusCodes["4"].Reason));
        Assert.Equal(GateDecision.Clear, authority.StatusCodes["A1"].Decision);
        Assert.Equal(GateDecision.Inspect, authority.StatusCodes["5"].Decision);
    }

    [Theory]
    [InlineData("CustomsPlatform:BaseAddress", "http://customs.example/")]
    [InlineData("CustomsPlatform:Format", "yaml")]
    [InlineData("CustomsPlatform:ClientCertificate:CertificateName", "only-a-name")]
    [InlineData("Gate:LiveQueryBudget", "00:01:00")]
    [InlineData("CustomsAuthority:StatusCodes:9:Reason", "")]
    public void AddGatePath_InvalidSetting_FailsAtStart(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("CustomsPlatform:", StringComparison.Ordinal) && key != "CustomsPlatform:BaseAddress")
        {
            settings["CustomsPlatform:BaseAddress"] = "https://customs.example/";
        }
        Assert.Throws<OptionsValidationException>(() => GatePathServices.Build(azurite, settings).Dispose());
    }

    [Fact]
    public void CustomsPlatformOptions_HttpsOrLoopbackHttp_Valid()
    {
        Assert.Empty(new CustomsPlatformOptions { BaseAddress = new Uri("https://customs.example/api/") }.Validate());
        Assert.Empty(new CustomsPlatformOptions { BaseAddress = new Uri("http://127.0.0.1:5099/") }.Validate());
        Assert.NotEmpty(new CustomsPlatformOptions { BaseAddress = new Uri("http://10.0.0.1/") }.Validate());
    }
}
