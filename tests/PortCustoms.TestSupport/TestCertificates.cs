using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PortCustoms.TestSupport;

/// <summary>
/// A throwaway PKI for mutual TLS tests (PLATFORM.md): a root CA, a loopback server certificate and CA-signed client
/// certificates, each reloaded through PKCS#12 so the private key is usable by SslStream on Linux.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 root, X509Certificate2 server)
    {
        Root = root;
        Server = server;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Server { get; }

    /// <summary>The root in PEM, as <c>CustomsPlatform:TrustedServerCertificateAuthority</c> takes it.</summary>
    public string RootPem => Root.ExportCertificatePem();

    public static TestCertificates Create(string name = "PortCustoms Test")
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest($"CN={name} Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var rootWithKey = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var root = Reload(rootWithKey);

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        var server = Issue(root, "CN=localhost", [new Oid("1.3.6.1.5.5.7.3.1")], san.Build());
        return new TestCertificates(root, server);
    }

    /// <summary>A client certificate signed by <see cref="Root"/> (or by another root, to test refusal).</summary>
    public X509Certificate2 IssueClient(string subject = "CN=portcustoms-client", DateTimeOffset? notAfter = null) =>
        Issue(Root, subject, [new Oid("1.3.6.1.5.5.7.3.2")], null, notAfter);

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, Oid[] usages, X509Extension? san, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddMonths(6);
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), end < issuer.NotAfter ? end : issuer.NotAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
