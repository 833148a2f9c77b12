using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace PortCustoms.LocalHost.Tests.TestFunctions;

// Functions LocalHost must refuse at start, naming them. Never hosted as a whole assembly for that reason.

public static class TimerFunction
{
    [Function("TestNightly")]
    public static void Run([TimerTrigger("0 0 2 * * *")] TimerInfo timer) => _ = timer;
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
