using PortCustoms.Cli.Simulator;
using PortCustoms.LocalHost;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Gate;

/// <summary>
/// The whole gate path over real HTTP: Azurite, the customs platform simulator (containers <c>TSTU…</c> released,
/// <c>EXMU…</c> under examination, the rest detained) and the app on LocalHost configured to ask it live.
/// </summary>
public sealed class GateEndToEndFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public CustomsSimulator Customs { get; private set; } = null!;

    public LocalFunctionsHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Customs = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Rules = SimulatorRules.Parse("""
                { "default": { "statusCode": "7" },
                  "rules": [ { "match": "TSTU*", "statusCode": "4", "customsReference": "24NL-LIVE-1" },
                             { "match": "EXMU*", "statusCode": "5" } ] }
                """),
        });
        var options = new LocalFunctionsHostOptions { Port = 0 };
        options.Settings["AzureWebJobsStorage"] = Azurite.ConnectionString;
        options.Settings["CustomsPlatform:BaseAddress"] = Customs.BaseAddress.ToString();
        options.Settings["Gate:LiveQueryBudget"] = "00:00:02";
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        Host = await LocalFunctionsHost.StartAsync(options);
        Client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (Customs is not null)
        {
            await Customs.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GateEndToEndCollection : ICollectionFixture<GateEndToEndFixture>
{
    public const string Name = "Gate end to end";
}
