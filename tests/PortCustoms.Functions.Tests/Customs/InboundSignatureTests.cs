using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Security;
using PortCustoms.Functions.Customs;
using PortCustoms.Functions.Tests.Fixtures;
using PortCustoms.Functions.Tests.Reconciliation;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Customs;

/// <summary>CustomsPlatform:InboundSignatures in the app's registrations: validated at start, wired into every intake, logged without content.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundSignatureTests(AzuriteFixture azurite)
{
    private static X509Certificate2 Authority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=customs", key, HashAlgorithmName.SHA256).CreateSelfSigned(FunctionApp.Now.AddDays(-30), FunctionApp.Now.AddDays(300));
    }

    [Fact]
    public void Required_without_a_certificate_stops_the_start_naming_the_setting()
    {
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => FunctionApp.Create(azurite, new Dictionary<string, string?> { ["CustomsPlatform:InboundSignatures:Mode"] = "Required" }));
        Assert.Contains("CustomsPlatform:InboundSignatures", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_notification_is_refused_and_logged_without_its_content_and_the_batch_pipeline_checks_the_customs_channel()
    {
        var logs = new LogRecorder();
        using var app = FunctionApp.Create(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:InboundSignatures:Mode"] = "Required",
            ["CustomsPlatform:InboundSignatures:Certificates:0"] = Authority().ExportCertificatePem(),
        }, services => services.AddSingleton<ILoggerProvider>(logs));
        var body = FunctionApp.Notification("N-SIG-LOG", "RELEASED", "2026-11-26T07:00:00Z", extra: new { consigneeName = "Jansen Import BV" });

        var response = await FunctionApp.ExecuteAsync(await app.Function<CustomsNotificationFunction>().RunAsync(FunctionApp.Post(body), CancellationToken.None));

        Assert.Equal(403, response.Status);
        Assert.Equal(SignatureErrorCodes.Missing, response.Json.GetProperty("code").GetString());
        Assert.Null(await app.Services.GetRequiredService<CustomsStateStore>().GetStateAsync(FunctionApp.Container("MSCU1234566")));
        var line = Assert.Single(logs.Records, r => r.EventId == 3410);
        Assert.Contains(SignatureErrorCodes.Missing, line.Message, StringComparison.Ordinal);
        Assert.Contains(response.Json.GetProperty("auditId").GetString()!, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("Jansen", StringComparison.Ordinal) || r.Message.Contains("MSCU1234566", StringComparison.Ordinal));

        Assert.True(app.Services.GetRequiredService<BatchFilePipeline>().Signatures?.Required);
    }
}
