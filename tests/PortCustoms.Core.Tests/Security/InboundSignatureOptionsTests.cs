using System.Security.Cryptography;
using PortCustoms.Core.Security;

namespace PortCustoms.Core.Tests.Security;

/// <summary>CustomsPlatform:InboundSignatures at start: a configuration that would refuse everything, or trust nothing it names, does not start.</summary>
public sealed class InboundSignatureOptionsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static InboundSignatureOptions Required(params string[] pems)
    {
        var options = new InboundSignatureOptions { Mode = InboundSignatureMode.Required };
        options.Certificates.AddRange(pems);
        return options;
    }

    [Fact]
    public void Off_needs_nothing() => Assert.Empty(new InboundSignatureOptions().Validate(Now));

    [Fact]
    public void Required_with_a_valid_certificate_starts_and_trusts_it()
    {
        var certificate = AutackTests.Rsa();
        var options = Required(certificate.ExportCertificatePem());
        Assert.Empty(options.Validate(Now));
        Assert.Equal(certificate.Thumbprint, Assert.Single(options.LoadCertificates()).Thumbprint);
    }

    [Fact]
    public void Required_without_any_certificate_or_pin_is_refused() =>
        Assert.Contains(Required().Validate(Now), p => p.Contains("no certificate or thumbprint", StringComparison.Ordinal));

    [Fact]
    public void Text_that_is_not_a_PEM_certificate_is_refused_with_its_index() =>
        Assert.Contains(Required(AutackTests.Rsa().ExportCertificatePem(), "hello").Validate(Now), p => p.Contains("Certificates:1", StringComparison.Ordinal));

    [Fact]
    public void Only_expired_certificates_are_refused() =>
        Assert.Contains(Required(AutackTests.Rsa(notAfter: Now.AddDays(-1)).ExportCertificatePem()).Validate(Now), p => p.Contains("expired", StringComparison.Ordinal));

    [Fact]
    public void Pins_restrict_the_trusted_certificates_and_a_pin_that_matches_none_is_refused()
    {
        var (first, second) = (AutackTests.Rsa("one"), AutackTests.Rsa("two"));
        var options = Required(first.ExportCertificatePem(), second.ExportCertificatePem());
        options.Thumbprints.Add(Convert.ToHexString(SHA256.HashData(second.RawData)).ToLowerInvariant());
        Assert.Empty(options.Validate(Now));
        Assert.Equal(second.Thumbprint, Assert.Single(options.LoadCertificates()).Thumbprint);

        options.Thumbprints.Clear();
        options.Thumbprints.Add(AutackTests.Rsa("three").Thumbprint);
        Assert.Contains(options.Validate(Now), p => p.Contains("none of the configured certificates", StringComparison.Ordinal));
        options.Thumbprints.Add("xyz");
        Assert.Contains(options.Validate(Now), p => p.Contains("'xyz'", StringComparison.Ordinal));
    }
}
