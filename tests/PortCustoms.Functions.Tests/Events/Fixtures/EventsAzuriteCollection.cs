using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Events.Fixtures;

/// <summary>One Azurite for the status-event end-to-end tests.</summary>
[CollectionDefinition(Name)]
public sealed class EventsAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Events Azurite";
}
