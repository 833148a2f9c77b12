using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;

namespace PortCustoms.LocalHost.Tests.TestFunctions;

/// <summary>Collects what test-only functions were handed, so tests can assert on it.</summary>
public sealed class Recorder
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public async Task<bool> WaitForAsync(Func<IReadOnlyCollection<string>, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition(Calls))
        {
            try
            {
                await Task.Delay(50, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return condition(Calls);
            }
        }
        return true;
    }
}

public sealed class EchoFunctions(Recorder recorder)
{
    [Function("TestEcho")]
    public IActionResult Echo(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "test/echo/{word}")] HttpRequest request,
        string word,
        FunctionContext context)
    {
        recorder.Calls.Enqueue($"echo:{word}");
        return new OkObjectResult(new Echoed(word, request.Method, context.InvocationId));
    }

    /// <summary>The app's JSON formatter writes only decided fields (ResponseProjection): these are for anyone.</summary>
    [PortCustoms.Functions.Http.VisibleTo(PortCustoms.Functions.Http.VisibleToAttribute.Anyone)]
    public sealed record Echoed(string Word, string Method, string InvocationId);

    [PortCustoms.Functions.Http.VisibleTo(PortCustoms.Functions.Http.VisibleToAttribute.Anyone)]
    public sealed record Started(string Id);

    [Function("TestFails")]
    public static IActionResult Fails([HttpTrigger(AuthorizationLevel.Function, "get", Route = "test/fails")] HttpRequest request) =>
        throw new InvalidOperationException("boom");
}

public sealed class BlobDropFunctions(Recorder recorder)
{
    [Function("TestBlobDrop")]
    public async Task RunAsync(
        [BlobTrigger("test-drops/{broker}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "TestLanding")] Stream content,
        string broker,
        string name,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(cancellationToken);
        recorder.Calls.Enqueue($"blob:{broker}:{name}:{text}");
    }
}

public sealed record GreetingInput(string City, int Times);

public static class GreetingFunctions
{
    [Function("TestGreetingStart")]
    public static async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "test/greetings/{city}")] HttpRequest request,
        string city,
        [DurableClient] DurableTaskClient client)
    {
        var id = await client.ScheduleNewOrchestrationInstanceAsync("TestGreeting", new GreetingInput(city, 2));
        return new AcceptedResult((string?)null, new EchoFunctions.Started(id));
    }

    [Function("TestGreeting")]
    public static async Task<string> RunOrchestratorAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<GreetingInput>()!;
        var parts = new List<string>();
        for (var i = 0; i < input.Times; i++)
        {
            parts.Add(await context.CallActivityAsync<string>("TestSayHello", input.City));
        }
        return string.Join(" ", parts);
    }

    [Function("TestSayHello")]
    public static string SayHello([ActivityTrigger] string city, FunctionContext context) => $"Hello {city} ({context.FunctionId})";
}

public sealed class TickFunctions(Recorder recorder)
{
    [Function("TestTick")]
    public void Run([TimerTrigger("0 0 2 * * *")] TimerInfo timer) => recorder.Calls.Enqueue($"timer:{timer is not null}");
}

/// <summary>A hosted service, as the app registers its session processor: started with the host, stopped with it.</summary>
public sealed class ProbeHostedService(Recorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recorder.Calls.Enqueue("hosted:started");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        recorder.Calls.Enqueue("hosted:stopped");
        return Task.CompletedTask;
    }
}
