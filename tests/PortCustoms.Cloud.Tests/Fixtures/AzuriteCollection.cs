using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests.Fixtures;

/// <summary>One Azurite for every storage test in this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
