using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using PortCustoms.Core.Security;

namespace PortCustoms.Core.Tests.Security;

public sealed class MessageSignatureTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static X509Certificate2 Rsa(string name = "customs")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    private static X509Certificate2 Ec(string name = "customs-ec")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"notificationId":"N-1","containerNumber":"MSCU1234566","status":"RELEASED","issuedAt":"2026-12-04T10:00:00Z"}""");

    [Fact]
    public void A_detached_jws_verifies_against_the_trusted_certificate_for_rsa_and_ec()
    {
        foreach (var signer in new[] { Rsa(), Ec() })
        {
            var jws = DetachedJws.Sign(Body, signer);
            Assert.Contains("..", jws, StringComparison.Ordinal);
            var check = DetachedJws.Verify(Body, jws, [PublicOnly(signer)], Now);
            Assert.True(check.Valid, check.Detail);
            Assert.Equal(signer.Thumbprint, check.SignerThumbprint);
        }
    }

    [Fact]
    public void A_changed_body_is_refused_as_invalid()
    {
        var signer = Rsa();
        var jws = DetachedJws.Sign(Body, signer);
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("N-1", "N-2", StringComparison.Ordinal));
        Assert.Equal(SignatureErrorCodes.Invalid, DetachedJws.Verify(forged, jws, [PublicOnly(signer)], Now).Code);
    }

    [Fact]
    public void A_signature_by_a_key_not_trusted_for_the_sender_is_refused_even_if_valid()
    {
        var other = Rsa("terminal");
        Assert.Equal(SignatureErrorCodes.UntrustedKey, DetachedJws.Verify(Body, DetachedJws.Sign(Body, other), [PublicOnly(Rsa())], Now).Code);
    }

    [Theory]
    [InlineData(null, SignatureErrorCodes.Missing)]
    [InlineData("", SignatureErrorCodes.Missing)]
    [InlineData("abc", SignatureErrorCodes.Malformed)]
    [InlineData("a.b.c", SignatureErrorCodes.Malformed)]
    [InlineData("!!..!!", SignatureErrorCodes.Malformed)]
    public void Missing_and_malformed_signatures_are_named(string? jws, string code) =>
        Assert.Equal(code, DetachedJws.Verify(Body, jws, [PublicOnly(Rsa())], Now).Code);

    [Theory]
    [InlineData("""{"alg":"none","b64":false,"crit":["b64"]}""", SignatureErrorCodes.Algorithm)]
    [InlineData("""{"alg":"HS256","b64":false,"crit":["b64"]}""", SignatureErrorCodes.Algorithm)]
    [InlineData("""{"alg":"PS256","b64":false}""", SignatureErrorCodes.Malformed)]
    [InlineData("""{"alg":"PS256","crit":["exp"]}""", SignatureErrorCodes.Malformed)]
    [InlineData("""{"alg":"PS256","b64":false,"crit":["b64"]}""", SignatureErrorCodes.UntrustedKey)]
    public void Headers_that_would_weaken_the_check_are_refused(string header, string code)
    {
        var jws = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + ".." + Base64Url.EncodeToString(new byte[32]);
        Assert.Equal(code, DetachedJws.Verify(Body, jws, [PublicOnly(Rsa())], Now).Code);
    }

    [Fact]
    public void An_expired_signing_certificate_is_refused()
    {
        var signer = Rsa();
        Assert.Equal(SignatureErrorCodes.Expired, DetachedJws.Verify(Body, DetachedJws.Sign(Body, signer), [PublicOnly(signer)], Now.AddDays(60)).Code);
    }

    private static XmlDocument Xml(string text) => XmlMessageSignature.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private const string Response = """<?xml version="1.0" encoding="UTF-8"?><Response xmlns="urn:portcustoms:wco:customs-response:1"><ID>N-1</ID><Status>RELEASED</Status><TransportEquipment><ID>MSCU1234566</ID></TransportEquipment></Response>""";

    [Fact]
    public void An_xml_signature_verifies_and_any_change_breaks_it()
    {
        foreach (var signer in new[] { Rsa(), Ec() })
        {
            var document = Xml(Response);
            XmlMessageSignature.Sign(document, signer);
            var signed = document.OuterXml;
            var check = XmlMessageSignature.Verify(Xml(signed), [PublicOnly(signer)], Now);
            Assert.True(check.Valid, check.Detail);

            var tampered = Xml(signed.Replace("RELEASED", "RELEASEX", StringComparison.Ordinal));
            Assert.Equal(SignatureErrorCodes.Invalid, XmlMessageSignature.Verify(tampered, [PublicOnly(signer)], Now).Code);
        }
    }

    [Fact]
    public void An_unsigned_document_an_untrusted_signer_and_a_wrapped_signature_are_refused()
    {
        var signer = Rsa();
        Assert.Equal(SignatureErrorCodes.Missing, XmlMessageSignature.Verify(Xml(Response), [PublicOnly(signer)], Now).Code);

        var document = Xml(Response);
        XmlMessageSignature.Sign(document, Rsa("someone else"));
        Assert.Equal(SignatureErrorCodes.UntrustedKey, XmlMessageSignature.Verify(document, [PublicOnly(signer)], Now).Code);

        // Signature wrapping: the validly signed document moved inside a new root that says something else.
        var genuine = Xml(Response);
        XmlMessageSignature.Sign(genuine, signer);
        var wrapper = Xml("""<Response xmlns="urn:portcustoms:wco:customs-response:1"><ID>N-9</ID><Status>RELEASED</Status><Wrapped/></Response>""");
        wrapper.DocumentElement!.LastChild!.AppendChild(wrapper.ImportNode(genuine.DocumentElement!, deep: true));
        Assert.False(XmlMessageSignature.Verify(wrapper, [PublicOnly(signer)], Now).Valid);
    }

    [Fact]
    public void A_document_with_a_dtd_is_not_even_read()
    {
        const string xxe = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>""";
        Assert.Throws<XmlException>(() => Xml(xxe));
    }
}
