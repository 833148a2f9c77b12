using PortCustoms.LocalHost.Functions;
using PortCustoms.LocalHost.Tests.TestFunctions;

namespace PortCustoms.LocalHost.Tests;

public sealed class StartupFailureTests
{
    [Fact]
    public void Discover_UnsupportedTrigger_FailsNamingTheFunction()
    {
        var error = Assert.Throws<LocalHostBindingException>(() => FunctionCatalog.Discover([typeof(UnknownTriggerFunction)]));
        Assert.Contains("TestNightly", error.Message, StringComparison.Ordinal);
        Assert.Contains("TestOnlyTriggerAttribute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_TheFunctionsApp_FindsEveryFunctionWithoutGaps()
    {
        var functions = FunctionCatalog.Discover([typeof(PortCustoms.Functions.PortCustomsApp).Assembly]);
        Assert.Contains(functions, f => f.Name == "Health" && f.Trigger == TriggerKind.Http);
    }

    [Theory]
    [InlineData(typeof(UnbindableParameterFunction), "TestUnbindable")]
    [InlineData(typeof(BlobAsIntFunction), "TestBlobAsInt")]
    public async Task StartAsync_UnbindableFunction_FailsBeforeServingNamingTheFunction(Type functionType, string name)
    {
        var options = new LocalFunctionsHostOptions { Port = 0 };
        options.FunctionTypes.Add(functionType);
        // A storage connection that is never contacted: start must fail on binding first.
        options.Settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=false;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1";
        var error = await Assert.ThrowsAsync<LocalHostBindingException>(() => LocalFunctionsHost.StartAsync(options));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inbound/{name}", "inbound", "a/b/c.edi", true, "name=a/b/c.edi")]
    [InlineData("inbound/{broker}/{name}", "inbound", "broker-1/x.edi", true, "broker=broker-1;name=x.edi")]
    [InlineData("inbound/{broker}/{name}", "inbound", "x.edi", false, "")]
    [InlineData("drops/edi/{name}", "drops", "edi/x.edi", true, "name=x.edi")]
    [InlineData("drops/edi/{name}", "drops", "csv/x.csv", false, "")]
    public void ParsePath_MatchesBlobNamesAsTheTriggerDoes(string path, string container, string blobName, bool matches, string values)
    {
        var parsed = PortCustoms.LocalHost.Blobs.BlobTriggerPump.ParsePath(path);
        Assert.Equal(container, parsed.Container);
        var match = parsed.Pattern.Match(blobName);
        Assert.Equal(matches, match.Success);
        if (matches)
        {
            var actual = string.Join(";", parsed.Names.OrderBy(n => n, StringComparer.Ordinal).Select(n => $"{n}={match.Groups[n].Value}"));
            Assert.Equal(values, actual);
        }
    }

    [Fact]
    public async Task StartAsync_RolesNeitherOnNorOff_FailsBeforeServingNamingTheSetting()
    {
        var options = new LocalFunctionsHostOptions { Port = 0 };
        options.Settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=false;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1";
        options.Settings["LocalHost:Roles"] = "maybe";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LocalFunctionsHost.StartAsync(options));
        Assert.Contains("LocalHost:Roles", error.Message, StringComparison.Ordinal);
    }
}
