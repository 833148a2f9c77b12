using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Core.Events;
using PortCustoms.Core.Tests.Events.Fixtures;
using PortCustoms.Functions.Events;

namespace PortCustoms.Functions.Tests.Events;

public sealed class PostEventsFunctionTests
{
    private readonly RecordingPublisher _publisher = new();

    private async Task<(int Status, string ContentType, JsonElement Body)> PostAsync(string json)
    {
        var function = new PostEventsFunction(new ContainerEventIntake(_publisher, new ContainerEventMetrics()));
        var services = new ServiceCollection().AddLogging().AddControllers().Services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        context.Response.Body = new MemoryStream();

        var result = await function.RunAsync(context.Request, CancellationToken.None);
        // Execute the result as the Functions ASP.NET Core integration does, to test the bytes on the wire.
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType ?? string.Empty, document.RootElement.Clone());
    }

    [Fact]
    public async Task A_durable_queue_says_so_in_the_202()
    {
        var (status, _, body) = await PostAsync(TestEvents.ValidJson);
        Assert.Equal(202, status);
        Assert.True(body.GetProperty("durable").GetBoolean());
        Assert.Equal(ContainerEventResults.DurableQueue, body.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Valid_events_are_queued_and_answered_202_with_their_ids()
    {
        var (status, _, body) = await PostAsync($"[{TestEvents.ValidJson}, {TestEvents.ValidJson.Replace("E-778899", "E-2", StringComparison.Ordinal)}]");
        Assert.Equal(202, status);
        Assert.Equal(["E-778899", "E-2"], body.GetProperty("acceptedEventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["E-778899", "E-2"], _publisher.Published.Select(e => e.EventId));
    }

    [Fact]
    public async Task One_invalid_event_rejects_the_whole_request_with_problem_details_naming_it()
    {
        var bad = TestEvents.ValidJson.Replace("E-778899", "E-BAD", StringComparison.Ordinal).Replace("MSCU1234566", "MSCU1234567", StringComparison.Ordinal);
        var (status, contentType, body) = await PostAsync($"[{TestEvents.ValidJson}, {bad}]");

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        var errors = body.GetProperty("errors");
        Assert.Contains("E-BAD", errors.GetProperty("[1].containerNumber")[0].GetString(), StringComparison.Ordinal);
        var invalid = Assert.Single(body.GetProperty("invalidEvents").EnumerateArray());
        Assert.Equal(1, invalid.GetProperty("index").GetInt32());
        Assert.Equal("E-BAD", invalid.GetProperty("eventId").GetString());
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400_and_nothing_is_queued()
    {
        var (status, _, body) = await PostAsync("not json");
        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("$", out _));
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task Unknown_size_type_is_accepted_and_reported()
    {
        var (status, _, body) = await PostAsync(TestEvents.ValidJson.Replace("45G1", "9ZX9", StringComparison.Ordinal));
        Assert.Equal(202, status);
        Assert.Equal("sizeType", Assert.Single(body.GetProperty("warnings").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Queue_unavailable_is_503_problem()
    {
        _publisher.Fail = true;
        var (status, contentType, _) = await PostAsync(TestEvents.ValidJson);
        Assert.Equal(503, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
    }

    private sealed class RecordingPublisher : ContainerEventPublisher
    {
        public List<ContainerStatusEvent> Published { get; } = [];

        public bool Fail { get; set; }

        public override Task PublishAsync(IReadOnlyList<ContainerStatusEvent> events, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new InvalidOperationException("Service Bus unreachable");
            }
            Published.AddRange(events);
            return Task.CompletedTask;
        }
    }
}
