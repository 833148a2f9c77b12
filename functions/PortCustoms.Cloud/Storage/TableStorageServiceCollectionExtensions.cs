using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PortCustoms.Cloud.Storage;

public static class TableStorageServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="TableServiceClient"/> for the app, created on first use from configuration: <c>Storage:ConnectionString</c>,
    /// else the Functions <c>AzureWebJobsStorage</c> connection string (Azurite locally), else identity-based
    /// <c>AzureWebJobsStorage__tableServiceUri</c> (+ optional <c>__clientId</c>) with DefaultAzureCredential, as in Azure.
    /// </summary>
    public static IServiceCollection AddPortCustomsTableService(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => CreateTableServiceClient(sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration["Storage:ConnectionString"] is { Length: > 0 } storage ? storage : configuration["AzureWebJobsStorage"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString);
        }
        if (configuration["AzureWebJobsStorage:tableServiceUri"] is { Length: > 0 } uri)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = configuration["AzureWebJobsStorage:clientId"],
            });
            return new TableServiceClient(new Uri(uri), credential);
        }
        throw new InvalidOperationException(
            "No table storage is configured: set Storage:ConnectionString, AzureWebJobsStorage, or AzureWebJobsStorage__tableServiceUri.");
    }
}
