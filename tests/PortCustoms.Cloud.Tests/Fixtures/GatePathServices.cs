using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Fixtures;

/// <summary>The gate path as the app registers it (<see cref="GatePathServiceCollectionExtensions.AddGatePath"/>), on Azurite, with test configuration.</summary>
internal static class GatePathServices
{
    public static ServiceProvider Build(AzuriteFixture azurite, IDictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
            })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        before?.Invoke(services);
        services.AddGatePath();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // What the host does at start: ValidateOnStart.
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private static int s_serial;

    /// <summary>A valid container number never used before in this test run (so the store has nothing for it).</summary>
    public static ContainerNumber FreshContainer()
    {
        var serial = (Interlocked.Increment(ref s_serial) + (Environment.ProcessId % 1000) * 1000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var firstTen = "TSTU" + serial;
        return ContainerNumber.Parse(firstTen + ContainerNumber.ComputeCheckDigit(firstTen));
    }

    public static GateQuery Query(ContainerNumber container) => new()
    {
        ContainerNumber = container,
        Direction = GateDirection.Out,
        GateTransactionId = "G-" + Guid.NewGuid().ToString("N"),
        Terminal = "NLRTM-ECT",
        Caller = "test",
    };
}
