using System.Text.Json;
using PortCustoms.Functions.Batch;

namespace PortCustoms.Functions.Tests.Contract;

/// <summary>The batch trigger as the Functions host in Azure will read it from the generated functions.metadata.</summary>
public sealed class BatchDropTriggerMetadataTests
{
    [Fact]
    public void BatchDropTrigger_is_an_Event_Grid_blob_trigger_on_inbound_broker_name_through_LandingStorage()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Contract", "functions.metadata")));
        var function = document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == BatchDropTrigger.FunctionName);
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "blobTrigger");

        Assert.Equal("inbound/{broker}/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal(BatchDropTrigger.ConnectionName, trigger.GetProperty("connection").GetString());
        Assert.Equal("BatchDropTrigger", BatchDropTrigger.FunctionName);
    }
}
