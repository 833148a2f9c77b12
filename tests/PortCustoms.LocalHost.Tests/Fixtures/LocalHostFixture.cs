using Microsoft.Extensions.DependencyInjection;
using PortCustoms.LocalHost.Tests.TestFunctions;
using PortCustoms.TestSupport;

namespace PortCustoms.LocalHost.Tests.Fixtures;

/// <summary>Azurite plus a LocalHost on a free port hosting the app and the test-only function classes.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public Recorder Recorder { get; } = new();

    public LocalFunctionsHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var options = new LocalFunctionsHostOptions
        {
            Port = 0,
            ConfigureServices = services =>
            {
                services.AddSingleton(Recorder);
                services.AddHostedService<ProbeHostedService>();
            },
        };
        foreach (var type in new[] { typeof(EchoFunctions), typeof(BlobDropFunctions), typeof(GreetingFunctions), typeof(TickFunctions) })
        {
            options.FunctionTypes.Add(type);
        }
        options.Settings["AzureWebJobsStorage"] = Azurite.ConnectionString;
        options.Settings["TestLanding"] = Azurite.ConnectionString;
        options.Settings["LocalHost:BlobPollInterval"] = "00:00:00.200";
        options.Settings["LocalHost:TimerInterval"] = "00:00:00.500";
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
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
