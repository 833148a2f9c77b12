using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Security;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Tests.Security;

namespace PortCustoms.Core.Tests.Customs;

/// <summary>The inbound check in front of every intake: pins for XML, the audit record, and a store that cannot keep it.</summary>
public sealed class InboundSignatureVerifierTests
{
    private sealed class Kept : IRefusedNotificationStore
    {
        public List<RefusedNotification> All { get; } = [];

        public bool Down { get; init; }

        public Task<string> KeepAsync(RefusedNotification refused, CancellationToken cancellationToken = default)
        {
            if (Down)
            {
                throw new IOException("storage unreachable");
            }
            All.Add(refused);
            return Task.FromResult("2026/12/04/refused-" + All.Count);
        }
    }

    private static readonly byte[] Response = Encoding.UTF8.GetBytes("""
        <?xml version="1.0" encoding="UTF-8"?>
        <CustomsResponse xmlns="urn:portcustoms:wco:customs-response:1">
          <MetaData><WCODataModelVersionCode>3.11</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName><ResponsibleCountryCode>NL</ResponsibleCountryCode><ResponsibleAgencyName>Douane</ResponsibleAgencyName></MetaData>
          <Response><ID>CN-X1</ID><IssueDateTime>2026-11-26T07:10:00Z</IssueDateTime><Status><NameCode>RELEASED</NameCode></Status><TransportEquipment><ID>MSCU1234566</ID></TransportEquipment></Response>
        </CustomsResponse>
        """);

    private static byte[] Signed(X509Certificate2 signer)
    {
        var document = XmlMessageSignature.Load(new MemoryStream(Response));
        XmlMessageSignature.Sign(document, signer);
        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    private static InboundSignatureVerifier Verifier(InboundSignatureOptions options, IRefusedNotificationStore store) =>
        new(Options.Create(options), store, TimeProvider.System, NullLogger<InboundSignatureVerifier>.Instance);

    [Fact]
    public async Task With_a_pin_alone_an_XML_document_signed_by_the_pinned_certificate_it_presents_is_accepted_and_its_signature_removed()
    {
        var authority = AutackTests.Rsa("authority");
        var options = new InboundSignatureOptions { Mode = InboundSignatureMode.Required };
        options.Thumbprints.Add(authority.Thumbprint);
        var kept = new Kept();

        var verdict = await Verifier(options, kept).CheckAsync(SignedNotificationFormat.Xml, Signed(authority), new NotificationOrigin("customs", null));

        Assert.False(verdict.Refused, verdict.Refusal?.Detail);
        Assert.DoesNotContain("Signature", Encoding.UTF8.GetString(verdict.Content.Span), StringComparison.Ordinal);
        Assert.Contains("<ID>CN-X1</ID>", Encoding.UTF8.GetString(verdict.Content.Span), StringComparison.Ordinal);

        var other = await Verifier(options, kept).CheckAsync(SignedNotificationFormat.Xml, Signed(AutackTests.Rsa("other")), new NotificationOrigin("customs from 10.0.0.4", null));
        Assert.Equal(SignatureErrorCodes.UntrustedKey, other.Refusal?.Code);
        var record = Assert.Single(kept.All);
        Assert.Equal((SignatureErrorCodes.UntrustedKey, "customs from 10.0.0.4", "application/xml"), (record.Code, record.Caller, record.MediaType));
    }

    [Fact]
    public async Task A_refusal_that_cannot_be_kept_for_audit_is_answered_not_stored_so_customs_sends_it_again()
    {
        var options = new InboundSignatureOptions { Mode = InboundSignatureMode.Required };
        options.Certificates.Add(AutackTests.Rsa().ExportCertificatePem());
        var store = new InMemoryCustomsStateStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var gate = new StaticOptionsMonitor<GateOptions>(new GateOptions());
        var metrics = new GateMetrics(new TestMeterFactory());
        var intake = new CustomsNotificationIntake(
            new CustomsNotificationService(store, metrics, NullLogger<CustomsNotificationService>.Instance, time, gate),
            store, Options.Create(new CustomsAuthorityOptions()), gate, time, metrics, NullLogger<CustomsNotificationIntake>.Instance,
            signatures: Verifier(options, new Kept { Down = true }));
        var body = Encoding.UTF8.GetBytes("""{"notificationId":"CN-1","containerNumber":"MSCU1234566","status":"RELEASED","issuedAt":"2026-11-26T07:10:00Z"}""");

        var result = await intake.ReceiveJsonAsync(body, new NotificationOrigin("customs", null));

        Assert.IsType<NotificationIntakeResult.NotStored>(result);
        Assert.Null(await store.GetStateAsync(PortCustoms.Core.Model.ContainerNumber.Parse("MSCU1234566")));
    }
}
