using Azure.Identity;
using PortCustoms.Cloud.Storage;

namespace PortCustoms.Cloud.Tests.Storage;

public sealed class AppCredentialTests
{
    [Fact]
    public void Managedidentity_means_that_managed_identity_only()
    {
        Assert.IsType<ManagedIdentityCredential>(AppCredential.Create("managedidentity", "00000000-0000-4000-8000-000000000001"));
        Assert.IsType<ManagedIdentityCredential>(AppCredential.Create("ManagedIdentity", null));
    }

    [Fact]
    public void Without_it_a_developer_machine_uses_the_default_chain() =>
        Assert.IsType<DefaultAzureCredential>(AppCredential.Create(null, null));
}
