using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PortCustoms.Cli.Simulator;
using PortCustoms.Cloud.Tests.Fixtures;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Gate;
using PortCustoms.TestSupport;
using static PortCustoms.Cloud.Tests.Fixtures.GatePathServices;

namespace PortCustoms.Cloud.Tests.CustomsPlatform;

/// <summary>The gate's live query with <c>CustomsPlatform:Format = edifact</c>: a CUSCAR query out, a CUSRES answer back, over real HTTP to the simulator.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LiveQueryOverEdifactTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("4", GateDecision.Clear)]
    [InlineData("5", GateDecision.Inspect)]
    [InlineData("7", GateDecision.Hold)]
    public async Task Live_query_in_EDIFACT_decides_from_the_CUSRES_status_code(string code, GateDecision decision)
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "edifact",
            Rules = new SimulatorRules { Default = new SimulatorAnswer { StatusCode = code, CustomsReference = "24NL-EDI" } },
        });
        await using var gate = Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = simulator.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "edifact",
            ["Gate:LiveQueryBudget"] = "00:00:02",
        }, services => services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat>(new EdifactCustomsMessageFormat())));

        var record = (await gate.GetRequiredService<GateDecisionService>().DecideAsync(Query(FreshContainer()))).Record;

        Assert.Equal((decision, DecisionSource.Customs, "24NL-EDI"), (record.Answer.Decision, record.Answer.Source, record.Answer.CustomsReference));
        Assert.Equal(code, record.LiveQuery!.Value.StatusCode);
        Assert.Equal(1, simulator.QueryCount);
    }

    [Fact]
    public async Task A_malformed_EDIFACT_answer_is_HOLD()
    {
        await using var simulator = await CustomsSimulator.StartAsync(new CustomsSimulatorOptions
        {
            Format = "edifact",
            MalformedRate = 1,
            Rules = new SimulatorRules { Default = new SimulatorAnswer { StatusCode = "4" } },
        });
        await using var gate = Build(azurite, new Dictionary<string, string?>
        {
            ["CustomsPlatform:BaseAddress"] = simulator.BaseAddress.ToString(),
            ["CustomsPlatform:Format"] = "edifact",
        }, services => services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat>(new EdifactCustomsMessageFormat())));

        var record = (await gate.GetRequiredService<GateDecisionService>().DecideAsync(Query(FreshContainer()))).Record;

        Assert.Equal((GateDecision.Hold, DecisionSource.Default), (record.Answer.Decision, record.Answer.Source));
    }
}
