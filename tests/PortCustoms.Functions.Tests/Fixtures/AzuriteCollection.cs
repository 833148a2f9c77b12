using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Fixtures;

/// <summary>One Azurite for every storage-backed test in this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
