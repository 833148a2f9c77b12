using Azure.Core;
using Azure.Identity;

namespace PortCustoms.Cloud.Storage;

/// <summary>
/// The credential a connection uses, named the Functions way: <c>credential = managedidentity</c> (what the
/// infrastructure writes) means that managed identity only, the user-assigned one when <c>clientId</c> is given; never
/// DefaultAzureCredential's chain in Azure, which would try other sources first and could pick up a wrong one. Without
/// it (a developer's machine) DefaultAzureCredential, e.g. an <c>az login</c>.
/// </summary>
public static class AppCredential
{
    public const string ManagedIdentity = "managedidentity";

    public static TokenCredential Create(string? credential, string? clientId) =>
        string.Equals(credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
}
