using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using PortCustoms.LocalHost.Functions;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Contract;

/// <summary>
/// The Worker SDK generates functions.metadata at build; the Functions host in Azure reads nothing else to wire triggers.
/// A wiring mistake (wrong route, method, auth level, blob source) fails here instead of in a deployment.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly JsonElement[] s_functions = LoadMetadata();

    private static JsonElement[] LoadMetadata()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contract", "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement Function(string name) => s_functions.Single(f => f.GetProperty("name").GetString() == name);

    [Fact]
    public void Every_function_is_a_dotnet_isolated_function_with_exactly_one_trigger()
    {
        Assert.NotEmpty(s_functions);
        foreach (var function in s_functions)
        {
            Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
            Assert.Equal("PortCustoms.Functions.dll", function.GetProperty("scriptFile").GetString());
            Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Health_is_an_anonymous_GET_on_v1_health()
    {
        var trigger = Trigger(Function("Health"));
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("v1/health", trigger.GetProperty("route").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void Only_health_and_the_API_document_are_anonymous_and_every_route_is_versioned()
    {
        foreach (var function in s_functions.Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger"))
        {
            var trigger = Trigger(function);
            var name = function.GetProperty("name").GetString();
            Assert.StartsWith("v1/", trigger.GetProperty("route").GetString(), StringComparison.Ordinal);
            if (name is not ("Health" or "OpenApi"))
            {
                Assert.NotEqual("Anonymous", trigger.GetProperty("authLevel").GetString());
            }
        }
    }

    [Fact]
    public void Blob_triggers_use_the_Event_Grid_source_as_Flex_Consumption_requires()
    {
        // Not vacuous: the app has its batch-drop blob trigger, and every blob trigger it has is checked.
        var blobTriggers = s_functions.Select(Trigger).Where(t => t.GetProperty("type").GetString() == "blobTrigger").ToList();
        Assert.NotEmpty(blobTriggers);
        Assert.All(blobTriggers, trigger => Assert.Equal("EventGrid", trigger.GetProperty("source").GetString()));
    }

    [Fact]
    public void LocalHost_discovers_the_same_functions_routes_methods_and_auth_levels_as_the_SDK()
    {
        var discovered = FunctionCatalog.Discover([typeof(PortCustomsApp).Assembly]).ToDictionary(f => f.Name);
        Assert.Equal(
            s_functions.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal),
            discovered.Keys.Order(StringComparer.Ordinal));

        foreach (var function in s_functions)
        {
            var local = discovered[function.GetProperty("name").GetString()!];
            var trigger = Trigger(function);
            if (local.TriggerAttribute is HttpTriggerAttribute http)
            {
                Assert.Equal(trigger.GetProperty("route").GetString(), http.Route);
                Assert.Equal(
                    trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal),
                    (http.Methods ?? []).Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal));
                Assert.Equal(trigger.GetProperty("authLevel").GetString(), http.AuthLevel.ToString());
            }
        }
    }

    [Fact]
    public void The_app_output_carries_the_one_host_json_of_the_repository()
    {
        var output = Path.Combine(RepositoryPaths.Root, "functions", "PortCustoms.Functions", "bin");
        var copies = Directory.GetFiles(output, "host.json", SearchOption.AllDirectories);
        Assert.NotEmpty(copies);
        var root = File.ReadAllText(RepositoryPaths.Combine("host.json"));
        Assert.All(copies, copy => Assert.Equal(root, File.ReadAllText(copy)));
        using var host = JsonDocument.Parse(root);
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void The_OpenAPI_document_describes_exactly_the_HTTP_functions_the_app_has()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("docs", "openapi.json")));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name} {op.Value.GetProperty("operationId").GetString()}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var functions = s_functions
            .Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(f => Trigger(f).GetProperty("methods").EnumerateArray().Select(m =>
                $"{m.GetString()!.ToUpperInvariant()} /api/{Trigger(f).GetProperty("route").GetString()} {f.GetProperty("name").GetString()}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(functions, documented);
    }
}
