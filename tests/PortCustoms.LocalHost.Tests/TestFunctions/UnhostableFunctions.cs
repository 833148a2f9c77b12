using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.LocalHost.Tests.TestFunctions;

// Functions LocalHost must refuse at start, naming them. Never hosted as a whole assembly for that reason.

/// <summary>A trigger no extension LocalHost knows defines (timer triggers are hosted now).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class TestOnlyTriggerAttribute : Microsoft.Azure.Functions.Worker.Extensions.Abstractions.TriggerBindingAttribute;

public static class UnknownTriggerFunction
{
    [Function("TestNightly")]
    public static void Run([TestOnlyTrigger] string value) => _ = value;
}

public static class UnbindableParameterFunction
{
    [Function("TestUnbindable")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "test/unbindable")] HttpRequest request,
        Uri notBindable) => new OkObjectResult(notBindable);
}

public static class BlobAsIntFunction
{
    [Function("TestBlobAsInt")]
    public static void Run([BlobTrigger("drops/{name}", Source = BlobTriggerSource.EventGrid)] int notBindable) => _ = notBindable;
}
