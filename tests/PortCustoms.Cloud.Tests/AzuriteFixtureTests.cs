using Azure;
using Azure.Data.Tables;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.TestSupport;

namespace PortCustoms.Cloud.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Azurite_serves_blobs_and_honours_conditional_table_writes()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient("fixture-check");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("a.txt").UploadAsync(BinaryData.FromString("x"), overwrite: true);
        Assert.True((await container.GetBlobClient("a.txt").ExistsAsync()).Value);

        var table = azurite.CreateTableServiceClient().GetTableClient("fixturecheck");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, conflict.Status);
    }
}
