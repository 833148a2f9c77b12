using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.Core.Security;
using PortCustoms.Core.Tests.Batch.Fixtures;
using PortCustoms.Core.Tests.Fixtures;
using PortCustoms.Core.Tests.Security;
using PortCustoms.Core.Translation;

namespace PortCustoms.Core.Tests.Batch;

/// <summary>CUSRES dropped by the broker that is the customs authority's channel: with signatures required, only a file with the authority's AUTACK is applied.</summary>
public sealed class BatchCustomsChannelSignatureTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Authority = AutackTests.Rsa("authority");

    private sealed class Refused : IRefusedNotificationStore
    {
        public Task<string> KeepAsync(RefusedNotification refused, CancellationToken cancellationToken = default) => Task.FromResult("unused");
    }

    private static (BatchFilePipeline Pipeline, InMemoryCustomsStateStore Store) Create()
    {
        var options = new InboundSignatureOptions { Mode = InboundSignatureMode.Required };
        options.Certificates.Add(Authority.ExportCertificatePem());
        var store = new InMemoryCustomsStateStore();
        var batch = new BatchOptions();
        batch.Brokers["customs"] = new BatchBrokerOptions { CustomsChannel = true };
        var pipeline = new BatchFilePipeline(
            Options.Create(batch),
            new EdifactTranslator(),
            new RecordingEventPublisher(),
            new CustomsNotificationService(store, new GateMetrics(new TestMeterFactory()), NullLogger<CustomsNotificationService>.Instance),
            new RecordingDocumentStore(),
            new RecordingCompletion())
        {
            Signatures = new InboundSignatureVerifier(Options.Create(options), new Refused(), TimeProvider.System, NullLogger<InboundSignatureVerifier>.Instance),
        };
        return (pipeline, store);
    }

    private static async Task<(BatchAnalysis Analysis, BatchRouting? Routing)> DropAsync(BatchFilePipeline pipeline, byte[] content, string broker = "customs")
    {
        using var file = new MemoryStream(content);
        var analysis = await pipeline.AnalyzeAsync(new BatchFile(broker, "cusres.edi", content.Length), file);
        if (analysis.Quarantine)
        {
            return (analysis, null);
        }
        using var again = new MemoryStream(content);
        return (analysis, await pipeline.ApplyAsync(analysis, again));
    }

    [Fact]
    public async Task A_CUSRES_file_with_the_authority_s_AUTACK_is_applied()
    {
        var (pipeline, store) = Create();
        var signed = await Autack.SignAsync(Encoding.Latin1.GetBytes(AutackTests.Cusres("MSCU1234566", "1")), Authority);

        var (analysis, routing) = await DropAsync(pipeline, signed);

        Assert.False(analysis.Quarantine, string.Join("; ", analysis.Findings.Kept.Select(f => f.Code + " " + f.Message)));
        Assert.Equal(2, routing!.Notifications);
        Assert.Equal(CustomsStatus.Released, (await store.GetStateAsync(ContainerNumber.Parse("MSCU1234566")))!.Current.Status);
    }

    [Fact]
    public async Task A_CUSRES_file_changed_after_signing_is_quarantined_with_the_hash_finding_and_nothing_applied()
    {
        var (pipeline, store) = Create();
        var signed = Encoding.Latin1.GetString(await Autack.SignAsync(Encoding.Latin1.GetBytes(AutackTests.Cusres("MSCU1234566", "1")), Authority));
        var tampered = Encoding.Latin1.GetBytes(signed.Replace("RFF+ABT:24NL0000000000009", "RFF+ABT:24NL0000000000008", StringComparison.Ordinal));

        var (analysis, _) = await DropAsync(pipeline, tampered);

        Assert.True(analysis.Quarantine);
        var finding = Assert.Single(analysis.Findings.Kept, f => f.Code == SignatureErrorCodes.AutackHash);
        Assert.True(finding.Position.Segment > 1);
        Assert.Null(await store.GetStateAsync(ContainerNumber.Parse("MSCU1234566")));
    }

    [Fact]
    public async Task An_unsigned_CUSRES_file_from_the_customs_channel_is_quarantined_but_another_broker_s_is_not_checked()
    {
        var (pipeline, store) = Create();
        var unsigned = Encoding.Latin1.GetBytes(AutackTests.Cusres("MSCU1234566", "1"));

        var (refused, _) = await DropAsync(pipeline, unsigned);
        Assert.True(refused.Quarantine);
        Assert.Contains(refused.Findings.Kept, f => f.Code == SignatureErrorCodes.Missing);
        Assert.Null(await store.GetStateAsync(ContainerNumber.Parse("MSCU1234566")));

        var (other, _) = await DropAsync(pipeline, unsigned, broker: "broker-a");
        Assert.False(other.Quarantine);
    }
}
