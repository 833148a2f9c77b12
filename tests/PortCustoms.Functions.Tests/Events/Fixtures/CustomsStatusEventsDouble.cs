using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Events.Fixtures;

public enum CustomsDoubleMode
{
    Accept,
    Fail500,

    /// <summary>422: customs refuses the event for good (the app dead-letters it CustomsRejected).</summary>
    Reject422,
}

/// <summary>
/// A small customs platform on Kestrel: <c>POST /v1/status-events</c> records each arrival (2xx = accepted). It can be
/// down (not listening: connection refused), up and failing with 500, or up and accepting.
/// </summary>
public sealed class CustomsStatusEventsDouble : IAsyncDisposable
{
    private WebApplication? _app;

    public CustomsStatusEventsDouble() => Port = FreePorts.Take(1)[0];

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public CustomsDoubleMode Mode { get; set; }

    /// <summary>Every accepted arrival in arrival order: (eventId, containerNumber, idempotency key).</summary>
    public ConcurrentQueue<(string EventId, string ContainerNumber, string? IdempotencyKey, bool OutOfOrder)> Arrivals { get; } = new();

    public int Refused => _refused;

    private int _refused;

    public async Task StartAsync(CustomsDoubleMode mode = CustomsDoubleMode.Accept)
    {
        Mode = mode;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapPost("/v1/status-events", async (HttpContext context) =>
        {
            if (Mode is CustomsDoubleMode.Fail500 or CustomsDoubleMode.Reject422)
            {
                Interlocked.Increment(ref _refused);
                return Results.StatusCode(Mode == CustomsDoubleMode.Fail500 ? 500 : 422);
            }
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var root = body.RootElement;
            Arrivals.Enqueue((root.GetProperty("eventId").GetString()!, root.GetProperty("containerNumber").GetString()!,
                context.Request.Headers["Idempotency-Key"].ToString(), root.GetProperty("outOfOrder").GetBoolean()));
            return Results.Accepted();
        });
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
