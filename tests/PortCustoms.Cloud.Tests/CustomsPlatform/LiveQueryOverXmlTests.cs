using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PortCustoms.Cli.Simulator;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Gate;
using PortCustoms.TestSupport;
using static PortCustoms.Cloud.Tests.Fixtures.GatePathServices;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

/// <summary>
/// The gate's live query with <c>CustomsPlatform:Format = xml</c>: a WCO XML <c>StatusQuery</c> out, a
/// <c>StatusAnswer</c> back, over real HTTP to the simulator, decided by the same authority map as JSON and EDIFACT.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LiveQueryOverXmlTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("4", GateDecision.Clear)]
    [InlineData("5", GateDecision.Inspect)]
    [InlineData("7", GateDecision.Hold)]
    // Customs has no record of the container: a code no map names, so HOLD (never a release), answered by customs.
    [InlineData("UNKNOWN", GateDecision.Hold)]
    public async Task Live_query_in_XML_decides_from_the_StatusAnswer_status_code(string code, GateDecision decision)
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "xml",
            Rules = new SimulatorRules { Default = new SimulatorAnswer { StatusCode = code, CustomsReference = "24NL-XML" } },
        });
        await using var gate = Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = simulator.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "xml",
            ["Gate:LiveQueryBudget"] = "00:00:02",
        }, services => services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat>(new XmlCustomsMessageFormat())));

        Assert.True(gate.GetRequiredService<CustomsLiveQueryClient>().IsConfigured);
        var record = (await gate.GetRequiredService<GateDecisionService>().DecideAsync(Query(FreshContainer()))).Record;

        Assert.Equal((decision, DecisionSource.Customs, "24NL-XML"), (record.Answer.Decision, record.Answer.Source, record.Answer.CustomsReference));
        Assert.Equal(code, record.LiveQuery!.Value.StatusCode);
        Assert.Equal(1, simulator.QueryCount);
    }

    [Fact]
    public async Task An_XML_answer_the_schema_refuses_is_HOLD_by_default()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "xml",
            MalformedRate = 1,
            Seed = 15,
            Rules = new SimulatorRules { Default = new SimulatorAnswer { StatusCode = "4" } },
        });
        await using var gate = Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = simulator.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "xml",
        }, services => services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat>(new XmlCustomsMessageFormat())));

        for (var i = 0; i < 3; i++)
        {
            var record = (await gate.GetRequiredService<GateDecisionService>().DecideAsync(Query(FreshContainer()))).Record;

            Assert.Equal((GateDecision.Hold, DecisionSource.Default, CustomsLiveQueryOutcome.Malformed), (record.Answer.Decision, record.Answer.Source, record.LiveQuery!.Value.Outcome));
        }
    }
}
