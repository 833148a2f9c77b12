using PortCustoms.Cli.Simulator;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Gate;

/// <summary>
/// The whole gate path over real HTTP: Azurite, the customs platform simulator (containers <c>TSTU…</c> released,
/// <c>EXMU…</c> under examination, the rest detained) and the app on LocalHost (<see cref="AppHost"/>) configured to ask
/// it live.
/// </summary>
public sealed class GateEndToEndFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public CustomsSimulator Customs { get; private set; } = null!;

    public AppHost App { get; private set; } = null!;

    public HttpClient Client => App.Client;

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
        App = await AppHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = Customs.BaseAddress.ToString(),
            ["Gate:LiveQueryBudget"] = "00:00:02",
        });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
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
