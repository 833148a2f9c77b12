using System.Net.Security;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

/// <summary>With a private customs root configured, the server's certificate must chain to that root, whatever else trusts it.</summary>
public sealed class ServerCertificateValidationTests
{
    [Fact]
    public void A_certificate_from_the_private_root_is_trusted()
    {
        using var customs = new TestCertificates("Customs Root");
        using var server = customs.IssueServer();

        // The system does not know the private root: the handshake reports a chain error, the private root fixes it.
        Assert.True(ServerCertificateValidation.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, customs.Authority));
    }

    [Fact]
    public void A_certificate_the_system_trusts_but_another_root_issued_is_refused()
    {
        // As a publicly trusted certificate for the customs host name would be: no policy error from the system.
        using var customs = new TestCertificates("Customs Root");
        using var other = new TestCertificates("Some Public CA");
        using var server = other.IssueServer();

        Assert.False(ServerCertificateValidation.IsTrusted(server, SslPolicyErrors.None, customs.Authority));
    }

    [Fact]
    public void A_name_mismatch_is_refused_even_from_the_private_root()
    {
        using var customs = new TestCertificates("Customs Root");
        using var server = customs.IssueServer();

        Assert.False(ServerCertificateValidation.IsTrusted(server, SslPolicyErrors.RemoteCertificateNameMismatch, customs.Authority));
        Assert.False(ServerCertificateValidation.IsTrusted(null, SslPolicyErrors.RemoteCertificateNotAvailable, customs.Authority));
    }
}
