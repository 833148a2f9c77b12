using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PortCustoms.TestSupport;

/// <summary>A throw-away CA and certificates signed by it, for TLS and client-certificate tests on loopback.</summary>
public sealed class TestCertificates : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public TestCertificates(string caName = "PortCustoms Test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The CA as PEM, as an operator would paste it into configuration.</summary>
    public string AuthorityPem => Authority.ExportCertificatePem();

    public X509Certificate2 IssueClient(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Issue($"CN={name}", ClientAuth, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), sans: null);

    public X509Certificate2 IssueServer() =>
        Issue("CN=localhost", ServerAuth, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), sans: ["localhost", "127.0.0.1"]);

    public static X509Certificate2 SelfSignedClient(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private X509Certificate2 Issue(string subject, string usage, DateTimeOffset notBefore, DateTimeOffset notAfter, string[]? sans)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (sans is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            foreach (var san in sans)
            {
                if (System.Net.IPAddress.TryParse(san, out var ip))
                {
                    builder.AddIpAddress(ip);
                }
                else
                {
                    builder.AddDnsName(san);
                }
            }
            request.CertificateExtensions.Add(builder.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        // The CA's validity must cover the leaf's: clamp so expired/future test certificates can still be issued.
        var from = notBefore < Authority.NotBefore ? Authority.NotBefore : notBefore;
        var to = notAfter > Authority.NotAfter ? Authority.NotAfter : notAfter;
        using var issued = request.Create(Authority, from, to, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Reload through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    public void Dispose() => Authority.Dispose();
}
