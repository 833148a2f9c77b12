using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Storage.Blobs;
using PortCustoms.Core.Model;
using PortCustoms.Core.Security;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Security;

/// <summary>The app on LocalHost with <c>CustomsPlatform:InboundSignatures:Mode = Required</c>: the authority's certificate trusted, one expired one configured beside it.</summary>
public sealed class InboundSignatureFixture : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public AzuriteFixture Azurite { get; } = new();

    public AppHost App { get; private set; } = null!;

    public HttpClient Client => App.Client;

    /// <summary>The authority's signing certificate (with its key: the tests sign as the authority).</summary>
    public X509Certificate2 Authority { get; } = Create("NL Customs signing", Now.AddDays(90));

    /// <summary>A certificate the configuration trusts but that has expired.</summary>
    public X509Certificate2 Expired { get; } = Create("NL Customs signing 2025", Now.AddDays(-2));

    /// <summary>Valid, with a key, but nobody configured it.</summary>
    public X509Certificate2 Stranger { get; } = Create("Somebody else", Now.AddDays(90));

    private static X509Certificate2 Create(string name, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(notAfter.AddDays(-365), notAfter);
    }

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        App = await AppHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:InboundSignatures:Mode"] = "Required",
            ["CustomsPlatform:InboundSignatures:Certificates:0"] = Authority.ExportCertificatePem(),
            ["CustomsPlatform:InboundSignatures:Certificates:1"] = Expired.ExportCertificatePem(),
            // The authority also drops CUSRES files over SFTP, as broker "customs".
            ["Batch:Brokers:customs:CustomsChannel"] = "true",
            ["LocalHost:BlobPollInterval"] = "00:00:00.200",
        });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// Signed customs notifications over real HTTP: each format's happy path turns the gate CLEAR; every refusal is a
/// problem with its SIG-* code, leaves the gate's answer as it was, and keeps the original bytes in
/// <c>refused-notifications</c> with the reason, caller and time.
/// </summary>
public sealed class InboundSignatureEndToEndTests(InboundSignatureFixture fixture) : IClassFixture<InboundSignatureFixture>
{
    private static int s_serial;

    private static string NewContainer()
    {
        var firstTen = "SIGU" + (Interlocked.Increment(ref s_serial) + 300_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static byte[] Json(string container, string id) => Encoding.UTF8.GetBytes(
        $$"""{"notificationId":"{{id}}","containerNumber":"{{container}}","status":"RELEASED","customsReference":"24NL-SIG","issuedAt":"2026-11-26T07:10:00Z"}""");

    private static byte[] Cusres(string container, string interchange) => Encoding.Latin1.GetBytes(
        "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+" + interchange + "'\n"
        + "UNH+1+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000009+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\n"
        + "EQD+CN+" + container + "'\nRFF+ABT:24NL0000000000009'\nUNT+7+1'\nUNZ+1+" + interchange + "'\n");

    private static byte[] Xml(string container, string id) => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CustomsResponse xmlns="urn:portcustoms:wco:customs-response:1">
          <MetaData><WCODataModelVersionCode>3.11</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName><ResponsibleCountryCode>NL</ResponsibleCountryCode><ResponsibleAgencyName>Douane</ResponsibleAgencyName></MetaData>
          <Response><ID>{id}</ID><IssueDateTime>2026-11-26T07:10:00Z</IssueDateTime><Status><NameCode>RELEASED</NameCode></Status><TransportEquipment><ID>{container}</ID></TransportEquipment></Response>
        </CustomsResponse>
        """);

    private static byte[] SignXml(byte[] document, X509Certificate2 signer)
    {
        var xml = XmlMessageSignature.Load(new MemoryStream(document));
        XmlMessageSignature.Sign(xml, signer);
        using var signed = new MemoryStream();
        xml.Save(signed);
        return signed.ToArray();
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, string? jws = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/customs/notifications") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (jws is not null)
        {
            request.Headers.TryAddWithoutValidation(DetachedJws.HeaderName, jws);
        }
        return await fixture.Client.SendAsync(request);
    }

    private async Task<string> GateAsync(string container)
    {
        using var gate = await fixture.Client.PostAsJsonAsync("api/v1/gate/queries", new
        {
            containerNumber = container, direction = "OUT", gateTransactionId = "G-" + Guid.NewGuid().ToString("N"), terminal = "NLRTM-ECT", requestedAt = "2026-11-26T08:15:00+01:00",
        });
        Assert.Equal(HttpStatusCode.OK, gate.StatusCode);
        return (await gate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetString()!;
    }

    /// <summary>The refusal as the caller receives it, the gate unchanged, and the original in the audit store with its reason.</summary>
    private async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code, string container, byte[] original)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(code, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("HOLD", await GateAsync(container));

        var auditId = problem.GetProperty("auditId").GetString()!;
        var blob = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("refused-notifications").GetBlobClient(auditId);
        var kept = await blob.DownloadContentAsync();
        Assert.Equal(original, kept.Value.Content.ToArray());
        var metadata = kept.Value.Details.Metadata;
        Assert.Equal(code, metadata["code"]);
        Assert.False(string.IsNullOrEmpty(Uri.UnescapeDataString(metadata["reason"])));
        Assert.False(string.IsNullOrEmpty(metadata["caller"]));
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(metadata["receivedAt"], System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromHours(1));
        return problem;
    }

    [Fact]
    public async Task A_JSON_notification_with_the_authority_s_detached_JWS_clears_the_gate()
    {
        var container = NewContainer();
        Assert.Equal("HOLD", await GateAsync(container));
        var body = Json(container, "SIG-OK-" + container);

        using var response = await PostAsync(body, "application/json", DetachedJws.Sign(body, fixture.Authority));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("CLEAR", await GateAsync(container));
    }

    [Fact]
    public async Task A_JSON_notification_without_a_signature_is_403_SIG_MISSING_and_kept()
    {
        var container = NewContainer();
        var body = Json(container, "SIG-NONE-" + container);
        using var response = await PostAsync(body, "application/json");
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Missing, container, body);
    }

    [Fact]
    public async Task A_JSON_notification_changed_after_signing_is_403_SIG_INVALID_and_kept()
    {
        var container = NewContainer();
        var signed = Json(container, "SIG-TAMPER-" + container);
        var jws = DetachedJws.Sign(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("RELEASED", "HELD", StringComparison.Ordinal)), fixture.Authority);
        using var response = await PostAsync(signed, "application/json", jws);
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Invalid, container, signed);
    }

    [Fact]
    public async Task A_JSON_notification_signed_by_an_untrusted_certificate_is_403_SIG_UNTRUSTED_KEY()
    {
        var container = NewContainer();
        var body = Json(container, "SIG-STRANGER-" + container);
        using var response = await PostAsync(body, "application/json", DetachedJws.Sign(body, fixture.Stranger));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.UntrustedKey, container, body);
    }

    [Fact]
    public async Task A_JSON_notification_signed_with_an_expired_certificate_is_403_SIG_CERTIFICATE_EXPIRED()
    {
        var container = NewContainer();
        var body = Json(container, "SIG-EXPIRED-" + container);
        using var response = await PostAsync(body, "application/json", DetachedJws.Sign(body, fixture.Expired));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Expired, container, body);
    }

    [Fact]
    public async Task A_malformed_JWS_is_400_SIG_MALFORMED()
    {
        var container = NewContainer();
        var body = Json(container, "SIG-MALFORMED-" + container);
        using var response = await PostAsync(body, "application/json", "not-a-jws");
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, SignatureErrorCodes.Malformed, container, body);
    }

    [Fact]
    public async Task A_CUSRES_with_the_authority_s_AUTACK_clears_the_gate()
    {
        var container = NewContainer();
        Assert.Equal("HOLD", await GateAsync(container));
        var signed = await Autack.SignAsync(Cusres(container, "SA" + container[4..10]), fixture.Authority);

        using var response = await PostAsync(signed, "application/EDIFACT");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("CLEAR", await GateAsync(container));
    }

    [Fact]
    public async Task A_CUSRES_without_AUTACK_is_403_SIG_MISSING_and_kept()
    {
        var container = NewContainer();
        var body = Cusres(container, "SN" + container[4..10]);
        using var response = await PostAsync(body, "application/EDIFACT");
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Missing, container, body);
    }

    [Fact]
    public async Task A_CUSRES_changed_after_its_AUTACK_was_made_is_403_SIG_AUTACK_HASH_positioned_at_the_USY()
    {
        var container = NewContainer();
        var signed = Encoding.Latin1.GetString(await Autack.SignAsync(Cusres(container, "ST" + container[4..10]), fixture.Authority));
        var tampered = Encoding.Latin1.GetBytes(signed.Replace("GIS+4'", "GIS+5'", StringComparison.Ordinal));

        using var response = await PostAsync(tampered, "application/EDIFACT");

        var problem = await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.AutackHash, container, tampered);
        Assert.Equal(("USY", 2, 2), (problem.GetProperty("segmentTag").GetString(), problem.GetProperty("element").GetInt32(), problem.GetProperty("component").GetInt32()));
    }

    [Fact]
    public async Task An_AUTACK_referencing_a_message_not_in_the_interchange_is_400_SIG_AUTACK_REFERENCE()
    {
        var container = NewContainer();
        var signed = Encoding.Latin1.GetString(await Autack.SignAsync(Cusres(container, "SR" + container[4..10]), fixture.Authority));
        var wrong = Encoding.Latin1.GetBytes(signed.Replace("++++++1'", "++++++77'", StringComparison.Ordinal));

        using var response = await PostAsync(wrong, "application/EDIFACT");

        var problem = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, SignatureErrorCodes.AutackReference, container, wrong);
        Assert.Equal(("USX", 7), (problem.GetProperty("segmentTag").GetString(), problem.GetProperty("element").GetInt32()));
    }

    [Fact]
    public async Task A_CUSRES_whose_AUTACK_is_signed_by_an_untrusted_certificate_is_403()
    {
        var container = NewContainer();
        var signed = await Autack.SignAsync(Cusres(container, "SU" + container[4..10]), fixture.Stranger);
        using var response = await PostAsync(signed, "application/EDIFACT");
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.UntrustedKey, container, signed);
    }

    [Fact]
    public async Task An_XML_response_with_the_authority_s_XML_DSig_clears_the_gate()
    {
        var container = NewContainer();
        Assert.Equal("HOLD", await GateAsync(container));

        using var response = await PostAsync(SignXml(Xml(container, "SIG-XML-" + container), fixture.Authority), "application/xml");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("CLEAR", await GateAsync(container));
    }

    [Fact]
    public async Task An_unsigned_XML_response_is_403_SIG_MISSING_and_a_changed_one_403_SIG_INVALID()
    {
        var container = NewContainer();
        var unsigned = Xml(container, "SIG-XML-NONE-" + container);
        using (var response = await PostAsync(unsigned, "application/xml"))
        {
            await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Missing, container, unsigned);
        }
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SignXml(Xml(container, "SIG-XML-CHANGED-" + container), fixture.Authority))
            .Replace("<ResponsibleCountryCode>NL<", "<ResponsibleCountryCode>BE<", StringComparison.Ordinal));
        using (var response = await PostAsync(changed, "application/xml"))
        {
            await AssertRefusedAsync(response, HttpStatusCode.Forbidden, SignatureErrorCodes.Invalid, container, changed);
        }
    }

    private async Task<byte[]> WaitForBlobAsync(string container, string path)
    {
        var blob = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient(container).GetBlobClient(path);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            try
            {
                return (await blob.DownloadContentAsync()).Value.Content.ToArray();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"{container}/{path} did not appear.");
    }

    [Fact]
    public async Task A_CUSRES_file_from_the_customs_channel_applies_with_its_AUTACK_and_is_quarantined_once_changed()
    {
        var (changed, signed) = (NewContainer(), NewContainer());
        var inbound = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("inbound");
        var original = Encoding.Latin1.GetString(await Autack.SignAsync(Cusres(changed, "BT" + changed[4..10]), fixture.Authority));
        var tampered = Encoding.Latin1.GetBytes(original.Replace("GIS+4'", "GIS+5'", StringComparison.Ordinal));

        await inbound.GetBlobClient($"customs/changed-{changed}.edi").UploadAsync(BinaryData.FromBytes(tampered));
        var report = Encoding.UTF8.GetString(await WaitForBlobAsync("quarantine", $"customs/changed-{changed}.edi.error.json"));
        Assert.Contains(SignatureErrorCodes.AutackHash, report, StringComparison.Ordinal);
        Assert.Equal(tampered, await WaitForBlobAsync("quarantine", $"customs/changed-{changed}.edi"));
        Assert.Equal("HOLD", await GateAsync(changed));

        await inbound.GetBlobClient($"customs/signed-{signed}.edi").UploadAsync(BinaryData.FromBytes(await Autack.SignAsync(Cusres(signed, "BS" + signed[4..10]), fixture.Authority)));
        Assert.Contains("\"customsNotifications\": 1", Encoding.UTF8.GetString(await WaitForBlobAsync("processed", $"customs/signed-{signed}.edi.result.json")), StringComparison.Ordinal);
        Assert.Equal("CLEAR", await GateAsync(signed));
    }
}
