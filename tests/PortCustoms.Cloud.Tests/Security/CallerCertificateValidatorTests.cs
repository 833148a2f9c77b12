using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Cloud.Security;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Security;

public sealed class CallerCertificateValidatorTests : IDisposable
{
    private readonly TestCertificates _ca = new("Customs Test CA");

    private CallerCertificateValidator Validator(Action<CallerCertificateOptions> configure, TimeProvider? time = null)
    {
        var options = new CallerCertificateOptions { Required = true };
        configure(options);
        return new CallerCertificateValidator(Options.Create(options), time ?? TimeProvider.System);
    }

    [Fact]
    public void Validate_CertificateIssuedByTheTrustedRoot_IsTrusted()
    {
        using var client = _ca.IssueClient("customs-platform");
        var verdict = Validator(o => o.TrustedRoots.Add(_ca.AuthorityPem)).Validate(client);
        Assert.True(verdict.IsTrusted, verdict.Reason);
        Assert.Equal(client.Thumbprint, verdict.Thumbprint);
    }

    [Fact]
    public void Validate_SelfSignedImpostor_IsRefused()
    {
        using var impostor = TestCertificates.SelfSignedClient("customs-platform");
        var verdict = Validator(o => o.TrustedRoots.Add(_ca.AuthorityPem)).Validate(impostor);
        Assert.False(verdict.IsTrusted);
    }

    [Fact]
    public void Validate_ExpiredCertificate_IsRefusedEvenWhenPinned()
    {
        using var client = _ca.IssueClient("customs-platform");
        var later = new FakeTimeProvider(client.NotAfter.ToUniversalTime().AddDays(1));
        var verdict = Validator(o => o.PinnedThumbprints.Add(client.Thumbprint), later).Validate(client);
        Assert.False(verdict.IsTrusted);
    }

    [Fact]
    public void Validate_PinnedBySha256WithColons_IsTrustedWithoutAnyRoot()
    {
        using var impostorButPinned = TestCertificates.SelfSignedClient("known-partner");
        var sha256 = Convert.ToHexString(impostorButPinned.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
        var withColons = string.Join(':', Enumerable.Range(0, sha256.Length / 2).Select(i => sha256.Substring(i * 2, 2))).ToLowerInvariant();
        Assert.True(Validator(o => o.PinnedThumbprints.Add(withColons)).Validate(impostorButPinned).IsTrusted);
    }

    [Fact]
    public void Validate_ServerCertificateUsedAsClient_IsRefused()
    {
        using var server = _ca.IssueServer();
        Assert.False(Validator(o => o.TrustedRoots.Add(_ca.AuthorityPem)).Validate(server).IsTrusted);
    }

    [Fact]
    public void Validate_ForwardedHeader_IsReadAndUnreadableHeaderIsRefused()
    {
        using var client = _ca.IssueClient("customs-platform");
        var validator = Validator(o => o.TrustedRoots.Add(_ca.AuthorityPem));

        Assert.True(validator.Validate(null, Convert.ToBase64String(client.RawData)).IsTrusted);
        Assert.False(validator.Validate(null, "not base64 !!").IsTrusted);
        Assert.False(validator.Validate(null, null).IsTrusted);
    }

    public void Dispose() => _ca.Dispose();
}
