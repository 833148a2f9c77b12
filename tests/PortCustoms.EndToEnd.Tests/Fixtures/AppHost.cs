using PortCustoms.LocalHost;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Fixtures;

/// <summary>
/// The real app on LocalHost (a free port, real Kestrel) over a real Azurite, called over real HTTP.
/// Start one per test class through <see cref="AppHostFixture"/>, or one per test with <see cref="StartAsync"/> when a
/// test needs its own settings (a customs simulator address, a dependency that is down).
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private AppHost(LocalFunctionsHost host)
    {
        Host = host;
        Client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LocalFunctionsHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<AppHost> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var options = new LocalFunctionsHostOptions { Port = 0, ConfigureServices = configureServices };
        options.Settings["AzureWebJobsStorage"] = storageConnectionString;
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        // Each app its own event queue: apps of parallel tests share one Azurite, and must not take each other's events.
        options.Settings["LocalHost:EventQueue:TableName"] = "queue" + Guid.NewGuid().ToString("N")[..12];
        options.Settings["LocalHost:EventQueue:PollInterval"] = "00:00:00.050";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            options.Settings[key] = value;
        }
        return new AppHost(await LocalFunctionsHost.StartAsync(options));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Azurite and the app, shared by the tests of one collection.</summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public AppHost App { get; private set; } = null!;

    public HttpClient Client => App.Client;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        App = await AppHost.StartAsync(Azurite.ConnectionString);
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

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "App on LocalHost";
}
