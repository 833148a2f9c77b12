using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PortCustoms.Benchmarks.Gate;

/// <summary>
/// The limit for gate-load.sh: a bare Kestrel endpoint at the gate's route that does exactly one Table Storage point read
/// per request (the customs state entity the gate reads) and answers the gate response's shape. No validation, no
/// rules, no audit write: what the gate path cannot beat on the same machine and the same Azurite.
/// </summary>
internal static class GateLimitServer
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(Arg(args, "--port") ?? "7199", CultureInfo.InvariantCulture);
        var storage = Arg(args, "--storage") ?? throw new ArgumentException("--storage CONNECTION_STRING is required.");
        var table = new TableServiceClient(storage).GetTableClient(Arg(args, "--table") ?? "CustomsStatus");

        var builder = WebApplication.CreateSlimBuilder([]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/v1/gate/queries", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var container = body.RootElement.GetProperty("containerNumber").GetString()!;
            NullableResponse<TableEntity> state;
            try
            {
                state = await table.GetEntityIfExistsAsync<TableEntity>(container, "state", cancellationToken: context.RequestAborted);
            }
            catch (RequestFailedException)
            {
                state = null!;
            }
            var found = state is { HasValue: true };
            await context.Response.WriteAsJsonAsync(new Response(
                container,
                found ? "CLEAR" : "HOLD",
                found ? "Released by customs" : "No customs release received for this container",
                Guid.CreateVersion7().ToString(),
                found ? state!.Value!.GetString("ReleaseCustomsReference") : null,
                found ? "STORE" : "DEFAULT",
                DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)), Web, context.RequestAborted);
        });
        await app.StartAsync();
        await Console.Out.WriteLineAsync($"gate-limit listening on http://127.0.0.1:{port}/");
        await app.WaitForShutdownAsync();
        return 0;
    }

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record Response(string ContainerNumber, string Decision, string Reason, string DecisionId, string? CustomsReference, string Source, string DecidedAt);
}
