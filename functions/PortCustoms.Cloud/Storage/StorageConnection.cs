using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace PortCustoms.Cloud.Storage;

/// <summary>
/// A storage account named the way Azure Functions names connections: either a connection string under the name
/// (<c>AzureWebJobsStorage</c>: Azurite locally), or identity-based settings beneath it
/// (<c>AzureWebJobsStorage__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c>, <c>__clientId</c>) in Azure,
/// where no key or connection string is ever configured.
/// </summary>
public sealed class StorageConnection
{
    private readonly string? _connectionString;
    private readonly Uri? _blobServiceUri;
    private readonly Uri? _tableServiceUri;
    private readonly TokenCredential? _credential;

    private StorageConnection(string name, string? connectionString, Uri? blobServiceUri, Uri? tableServiceUri, TokenCredential? credential)
    {
        Name = name;
        _connectionString = connectionString;
        _blobServiceUri = blobServiceUri;
        _tableServiceUri = tableServiceUri;
        _credential = credential;
    }

    public string Name { get; }

    /// <summary>True when identity-based (managed identity in Azure).</summary>
    public bool UsesIdentity => _credential is not null;

    public static StorageConnection FromConfiguration(IConfiguration configuration, string name = "AzureWebJobsStorage")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(name, connectionString, null, null, null);
        }
        var section = configuration.GetSection(name);
        var blob = section["blobServiceUri"];
        var table = section["tableServiceUri"];
        var account = section["accountName"];
        if (blob is null && table is null && account is null)
        {
            throw new InvalidOperationException(
                $"Storage '{name}' is not configured: set '{name}' (a connection string, Azurite locally) or '{name}__blobServiceUri' and '{name}__tableServiceUri' (managed identity in Azure).");
        }
        return new StorageConnection(
            name,
            null,
            blob is not null ? new Uri(blob) : new Uri($"https://{account}.blob.core.windows.net"),
            table is not null ? new Uri(table) : new Uri($"https://{account ?? new Uri(blob!).Host.Split('.')[0]}.table.core.windows.net"),
            CreateCredential(section));
    }

    /// <summary>
    /// What an operator gives the CLI: a connection string (Azurite locally), or an account's service endpoint
    /// (<c>https://ACCOUNT.table.core.windows.net</c> or <c>.blob.</c>; the other service is derived) used with their
    /// Azure sign-in (DefaultAzureCredential).
    /// </summary>
    public static StorageConnection FromConnectionStringOrEndpoint(string value, string name = "--storage")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (Uri.TryCreate(value, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps)
        {
            var text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new StorageConnection(
                name,
                null,
                new Uri(text.Replace(".table.", ".blob.", StringComparison.Ordinal)),
                new Uri(text.Replace(".blob.", ".table.", StringComparison.Ordinal)),
                AppCredential.Create(null, null));
        }
        return new StorageConnection(name, value, null, null, null);
    }

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        _connectionString is not null ? new BlobServiceClient(_connectionString, options) : new BlobServiceClient(_blobServiceUri, _credential, options);

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        _connectionString is not null ? new TableServiceClient(_connectionString, options) : new TableServiceClient(_tableServiceUri, _credential, options);

    /// <summary><c>credential = managedidentity</c> with <c>clientId</c> is the user-assigned identity the infrastructure gives the app.</summary>
    internal static TokenCredential CreateCredential(IConfiguration section) =>
        AppCredential.Create(section["credential"], section["clientId"]);
}
