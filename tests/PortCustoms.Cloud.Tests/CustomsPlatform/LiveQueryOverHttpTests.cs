using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Security.KeyVault.Certificates;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using PortCustoms.Cli.Simulator;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.Gate;
using PortCustoms.TestSupport;
using static PortCustoms.Cloud.Tests.Fixtures.GatePathServices;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

/// <summary>The gate's live query through the customs platform adapter, against the simulator over real HTTP(S).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LiveQueryOverHttpTests(AzuriteFixture azurite)
{
    private ServiceProvider Gate(Uri customs, string budget = "00:00:02", Dictionary<string, string?>? more = null, Action<IServiceCollection>? before = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = customs.ToString(),
            ["Gate:LiveQueryBudget"] = budget,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return Build(azurite, settings, before);
    }

    private static async Task<GateDecisionRecord> DecideAsync(ServiceProvider gate, Core.Model.ContainerNumber? container = null) =>
        (await gate.GetRequiredService<GateDecisionService>().DecideAsync(Query(container ?? FreshContainer()))).Record;

    [Theory]
    [InlineData("4", GateDecision.Clear)]
    [InlineData("5", GateDecision.Inspect)]
    [InlineData("7", GateDecision.Hold)]
    public async Task Live_query_answered_by_customs_decides_from_the_status_code(string code, GateDecision decision)
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Rules = new SimulatorRules { Default = new SimulatorAnswer { StatusCode = code, CustomsReference = "24NL-SIM" } },
        });
        await using var gate = Gate(simulator.BaseAddress);

        var record = await DecideAsync(gate);

        Assert.Equal((decision, DecisionSource.Customs, "24NL-SIM"), (record.Answer.Decision, record.Answer.Source, record.Answer.CustomsReference));
        Assert.Equal(code, record.LiveQuery!.Value.StatusCode);
    }

    [Fact]
    public async Task Live_query_uses_the_rule_for_the_container_number_or_its_prefix()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Rules = SimulatorRules.Parse("""{ "default": { "statusCode": "7" }, "rules": [ { "match": "TSTU*", "statusCode": "4" } ] }"""),
        });
        await using var gate = Gate(simulator.BaseAddress);
        Assert.Equal(GateDecision.Clear, (await DecideAsync(gate)).Answer.Decision);
    }

    [Fact]
    public async Task Customs_slower_than_the_budget_answers_HOLD_from_DEFAULT()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { Latency = TimeSpan.FromSeconds(3) });
        await using var gate = Gate(simulator.BaseAddress, budget: "00:00:00.300");

        var record = await DecideAsync(gate);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryTimeout), (record.Answer.Decision, record.Answer.Source, record.Rule));
        Assert.Equal("Customs did not answer in time; no release known", record.Answer.Reason);
    }

    [Fact]
    public async Task Customs_platform_down_answers_HOLD_from_DEFAULT()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}/");
        await using var gate = Gate(closed);

        var record = await DecideAsync(gate);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryUnreachable), (record.Answer.Decision, record.Answer.Source, record.Rule));
    }

    [Fact]
    public async Task Customs_server_error_answers_HOLD_after_retries_within_the_budget()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { FailRate = 1 });
        await using var gate = Gate(simulator.BaseAddress);

        var record = await DecideAsync(gate);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryServerError), (record.Answer.Decision, record.Answer.Source, record.Rule));
        Assert.Equal(3, simulator.QueryCount); // the first try and two retries
    }

    [Fact]
    public async Task Malformed_customs_answers_always_answer_HOLD()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { MalformedRate = 1, Seed = 7 });
        await using var gate = Gate(simulator.BaseAddress);

        // Several queries: the simulator rotates through truncated JSON, a missing status code, another container, HTML.
        for (var i = 0; i < 8; i++)
        {
            var record = await DecideAsync(gate);
            Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryMalformed), (record.Answer.Decision, record.Answer.Source, record.Rule));
        }
    }

    [Fact]
    public async Task Stored_status_is_used_without_asking_customs()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions());
        await using var gate = Gate(simulator.BaseAddress);
        var container = FreshContainer();
        await gate.GetRequiredService<Core.Customs.CustomsNotificationService>().ReceiveAsync(new Core.Customs.CustomsNotification
        {
            NotificationId = "CN-" + container,
            ContainerNumber = container,
            Status = Core.Customs.CustomsStatus.Hold,
            IssuedAt = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow,
        });

        var record = await DecideAsync(gate, container);

        Assert.Equal((GateDecision.Hold, DecisionSource.Store), (record.Answer.Decision, record.Answer.Source));
        Assert.Equal(0, simulator.QueryCount);
    }

    [Fact]
    public async Task Mutual_TLS_with_a_Key_Vault_client_certificate_is_accepted_and_the_certificate_loaded_once_lazily()
    {
        using var pki = new TestCertificates();
        using var server = pki.IssueServer();
        using var clientCertificate = pki.IssueClient("portcustoms-client");
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { ServerCertificate = server, TrustedClientRoot = pki.Authority });
        var keyVault = KeyVaultHolding(clientCertificate);
        await using var gate = Gate(simulator.BaseAddress, more: MutualTls(pki), before: s => s.AddSingleton(keyVault));

        _ = gate.GetRequiredService<GateDecisionService>();
        await keyVault.DidNotReceiveWithAnyArgs().DownloadCertificateAsync(default!, default, default);

        for (var i = 0; i < 3; i++)
        {
            var record = await DecideAsync(gate);
            Assert.Equal((GateDecision.Clear, DecisionSource.Customs), (record.Answer.Decision, record.Answer.Source));
        }
        Assert.StartsWith("https://", simulator.BaseAddress.ToString(), StringComparison.Ordinal);
        await keyVault.Received(1).DownloadCertificateAsync("customs-client", null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Mutual_TLS_without_a_client_certificate_is_refused_and_answers_HOLD()
    {
        using var pki = new TestCertificates();
        using var server = pki.IssueServer();
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { ServerCertificate = server, TrustedClientRoot = pki.Authority });
        await using var gate = Gate(simulator.BaseAddress, more: new() { ["CustomsPlatform:TrustedServerCertificateAuthority"] = pki.AuthorityPem });

        var record = await DecideAsync(gate);

        Assert.Equal((GateDecision.Hold, DecisionSource.Default, DecisionRule.LiveQueryUnreachable), (record.Answer.Decision, record.Answer.Source, record.Rule));
    }

    [Fact]
    public async Task Mutual_TLS_with_a_certificate_from_another_CA_is_refused()
    {
        using var pki = new TestCertificates();
        using var server = pki.IssueServer();
        using var stranger = new TestCertificates("Stranger CA");
        using var strangerClient = stranger.IssueClient("portcustoms-client");
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { ServerCertificate = server, TrustedClientRoot = pki.Authority });
        var keyVault = KeyVaultHolding(strangerClient);
        await using var gate = Gate(simulator.BaseAddress, more: MutualTls(pki), before: s => s.AddSingleton(keyVault));

        Assert.Equal(DecisionRule.LiveQueryUnreachable, (await DecideAsync(gate)).Rule);
    }

    [Fact]
    public async Task A_server_certificate_from_an_untrusted_CA_is_refused()
    {
        using var pki = new TestCertificates();
        using var server = pki.IssueServer();
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions { ServerCertificate = server });
        await using var gate = Gate(simulator.BaseAddress);

        Assert.Equal(DecisionRule.LiveQueryUnreachable, (await DecideAsync(gate)).Rule);
        Assert.Equal(0, simulator.QueryCount);
    }

    private static Dictionary<string, string?> MutualTls(TestCertificates pki) => new()
    {
        ["CustomsPlatform:TrustedServerCertificateAuthority"] = pki.AuthorityPem,
        ["CustomsPlatform:ClientCertificate:VaultUri"] = "https://portcustoms-test.vault.azure.net/",
        ["CustomsPlatform:ClientCertificate:CertificateName"] = "customs-client",
    };

    internal static CertificateClient KeyVaultHolding(X509Certificate2 certificate)
    {
        var client = Substitute.For<CertificateClient>();
        client.DownloadCertificateAsync(Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(Response.FromValue(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null), Substitute.For<Response>())));
        return client;
    }
}
