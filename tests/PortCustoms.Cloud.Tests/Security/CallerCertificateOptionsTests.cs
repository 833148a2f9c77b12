using PortCustoms.Cloud.Security;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Security;

/// <summary>The caller-certificate settings are checked at start (source-generated validator), not at the first caller.</summary>
public sealed class CallerCertificateOptionsTests
{
    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(CallerCertificateOptions options) =>
        new CallerCertificateOptionsValidator().Validate(null, options);

    [Fact]
    public void Validate_NotRequiredAndNothingSet_Succeeds() =>
        Assert.True(Validate(new CallerCertificateOptions()).Succeeded);

    [Fact]
    public void Validate_RequiredWithNothingTrusted_FailsNamingBothSettings()
    {
        var result = Validate(new CallerCertificateOptions { Required = true });
        Assert.True(result.Failed);
        Assert.Contains("CallerCertificates:PinnedThumbprints", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CallerCertificates:TrustedRoots", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThumbprintThatIsNotHex_FailsNamingItsIndex()
    {
        var options = new CallerCertificateOptions { Required = true };
        options.PinnedThumbprints.Add(new string('A', 40));
        options.PinnedThumbprints.Add("not-a-thumbprint");
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.Contains("CallerCertificates:PinnedThumbprints:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("PinnedThumbprints:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RootThatDoesNotLoad_FailsNamingItsIndex_AndARealRootPasses()
    {
        using var root = TestCertificates.SelfSignedClient("caller-root");
        var options = new CallerCertificateOptions { Required = true };
        options.TrustedRoots.Add(root.ExportCertificatePem());
        Assert.True(Validate(options).Succeeded);

        options.TrustedRoots.Add("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----");
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.Contains("CallerCertificates:TrustedRoots:1", result.FailureMessage, StringComparison.Ordinal);
    }
}
