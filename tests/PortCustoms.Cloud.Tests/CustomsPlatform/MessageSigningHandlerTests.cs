using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Core.Security;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

public sealed class MessageSigningHandlerTests
{
    private static X509Certificate2 Signer()
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest("CN=port", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public byte[] Body { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }

    private static async Task<Capture> SendAsync(X509Certificate2? signer, string body, string mediaType)
    {
        var capture = new Capture();
        using var client = new HttpClient(new MessageSigningHandler(_ => ValueTask.FromResult(signer)) { InnerHandler = capture });
        using var content = new StringContent(body, Encoding.UTF8, mediaType);
        using var response = await client.PostAsync(new Uri("https://customs.example/v1/status-events"), content);
        return capture;
    }

    [Fact]
    public async Task A_json_body_goes_unchanged_with_a_detached_jws_customs_can_verify()
    {
        var signer = Signer();
        const string body = """{"eventId":"E-1"}""";
        var sent = await SendAsync(signer, body, "application/json");
        Assert.Equal(body, Encoding.UTF8.GetString(sent.Body));
        var jws = sent.Request!.Headers.GetValues(DetachedJws.HeaderName).Single();
        Assert.True(DetachedJws.Verify(sent.Body, jws, [X509CertificateLoader.LoadCertificate(signer.RawData)], DateTimeOffset.UtcNow).Valid);
    }

    [Fact]
    public async Task An_xml_body_gets_an_enveloped_signature_customs_can_verify()
    {
        var signer = Signer();
        var sent = await SendAsync(signer, "<StatusEvent xmlns=\"urn:x\"><ID>E-1</ID></StatusEvent>", "application/xml");
        Assert.Equal("application/xml", sent.Request!.Content!.Headers.ContentType!.MediaType);
        var document = XmlMessageSignature.Load(new MemoryStream(sent.Body));
        Assert.True(XmlMessageSignature.Verify(document, [X509CertificateLoader.LoadCertificate(signer.RawData)], DateTimeOffset.UtcNow).Valid);
    }

    [Fact]
    public async Task Without_a_signing_certificate_nothing_changes()
    {
        var unsigned = await SendAsync(null, """{"eventId":"E-1"}""", "application/json");
        Assert.False(unsigned.Request!.Headers.Contains(DetachedJws.HeaderName));
        var edifact = await SendAsync(null, Codeco, "application/EDIFACT");
        Assert.Equal(Codeco, Encoding.UTF8.GetString(edifact.Body));
    }

    private const string Codeco = "UNA:+.? '\nUNB+UNOC:3+NLRTMECT+NLCUSTOMS+261126:0710+PC0001'\nUNH+1+CODECO:D:95B:UN'\nBGM+34+E-1+9'\nUNT+3+1'\nUNZ+1+PC0001'\n";

    [Fact]
    public async Task An_edifact_interchange_gets_an_AUTACK_our_verifier_accepts_and_one_changed_byte_fails_it()
    {
        var signer = Signer();
        var sent = await SendAsync(signer, Codeco, "application/EDIFACT");
        var text = Encoding.Latin1.GetString(sent.Body);
        Assert.StartsWith(Codeco[..^"UNZ+1+PC0001'\n".Length], text, StringComparison.Ordinal);
        Assert.Contains("AUTACK:4:1:UN", text, StringComparison.Ordinal);
        Assert.EndsWith("UNZ+2+PC0001'\n", text, StringComparison.Ordinal);
        Assert.Equal("application/EDIFACT", sent.Request!.Content!.Headers.ContentType!.MediaType);
        var trusted = new[] { X509CertificateLoader.LoadCertificate(signer.RawData) };
        Assert.True((await Autack.VerifyAsync(sent.Body, trusted, DateTimeOffset.UtcNow)).Valid);

        var tampered = Encoding.Latin1.GetBytes(text.Replace("BGM+34+E-1", "BGM+34+E-2", StringComparison.Ordinal));
        Assert.Equal(SignatureErrorCodes.AutackHash, (await Autack.VerifyAsync(tampered, trusted, DateTimeOffset.UtcNow)).Code);
    }

    [Fact]
    public async Task A_signing_certificate_that_cannot_be_loaded_fails_the_send_rather_than_sending_unsigned()
    {
        var capture = new Capture();
        using var client = new HttpClient(new MessageSigningHandler(_ => throw new InvalidOperationException("Key Vault unreachable")) { InnerHandler = capture });
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync(new Uri("https://customs.example/x"), content));
        Assert.Null(capture.Request);
    }
}
