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
using Microsoft.Extensions.Logging.Abstractions;
using PortCustoms.Cloud.Gate;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Gate;
using PortCustoms.Core.Model;

namespace PortCustoms.Benchmarks.Gate;

/// <summary>
/// The references for gate-load.sh, bare Kestrel endpoints at the gate's route that answer the gate response's shape:
/// <list type="bullet">
/// <item><c>gate-limit</c>: exactly one Table Storage point read per request (the customs state entity the gate reads).
/// No validation, no rules, no audit write: the issue's limit, what the gate path cannot beat.</item>
/// <item><c>gate-limit --audit</c>: the gate's own two storage operations and nothing else: the state read through
/// <see cref="TableCustomsStateStore"/>, the rules, and the conditional audit insert through
/// <see cref="TableGateDecisionStore"/> (same entities, same keys). The floor for any design that stores each decision
/// before answering; the gate against it shows what the Functions pipeline itself costs.</item>
/// </list>
/// </summary>
internal static class GateLimitServer
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(Arg(args, "--port") ?? "7199", CultureInfo.InvariantCulture);
        var storage = Arg(args, "--storage") ?? throw new ArgumentException("--storage CONNECTION_STRING is required.");
        var service = new TableServiceClient(storage);
        var table = service.GetTableClient(Arg(args, "--table") ?? "CustomsStatus");
        var audit = args.Contains("--audit");
        var states = new TableCustomsStateStore(service, NullLogger<TableCustomsStateStore>.Instance);
        // Its own audit table by default: Azurite's inserts slow down as a table grows, and the app's runs come first.
        var decisions = new TableGateDecisionStore(service, Arg(args, "--audit-table") ?? "GateDecisionsFloor");

        if (Arg(args, "--seed") is { } seed)
        {
            // The same RELEASED notification gate-load.sh posts to the app, stored by the app's own store.
            await states.AddNotificationAsync(Released(ContainerNumber.Parse(seed)));
        }

        var builder = WebApplication.CreateSlimBuilder([]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/v1/gate/queries", audit ? (HttpContext context) => ReadAndRecordAsync(context, states, decisions) : async (HttpContext context) =>
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
        await Console.Out.WriteLineAsync($"gate-limit{(audit ? " --audit" : "")} listening on http://127.0.0.1:{port}/");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task ReadAndRecordAsync(HttpContext context, TableCustomsStateStore states, TableGateDecisionStore decisions)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = body.RootElement;
        var container = ContainerNumber.Parse(root.GetProperty("containerNumber").GetString()!);
        var state = await states.GetStateAsync(container, context.RequestAborted);
        var verdict = state is null ? ReleaseDecision.NoCustomsRecord() : ReleaseDecision.Decide(state);
        var decidedAt = DateTimeOffset.UtcNow;
        var record = new GateDecisionRecord
        {
            Query = new GateQuery
            {
                ContainerNumber = container,
                Direction = GateDirection.Out,
                GateTransactionId = root.GetProperty("gateTransactionId").GetString()!,
                Terminal = root.GetProperty("terminal").GetString()!,
                Caller = "anonymous",
            },
            Answer = new GateAnswer
            {
                ContainerNumber = container,
                Decision = verdict.Decision,
                Reason = verdict.Reason,
                DecisionId = Guid.CreateVersion7(decidedAt).ToString(),
                CustomsReference = verdict.CustomsReference,
                Source = state is null ? DecisionSource.Default : DecisionSource.Store,
                DecidedAt = decidedAt,
            },
            Rule = verdict.Rule,
            KnownState = state,
        };
        var stored = await decisions.AddOrGetExistingAsync(record, context.RequestAborted);
        await context.Response.WriteAsJsonAsync(GateResponse.From(stored.Answer), Web, context.RequestAborted);
    }

    /// <summary>The RELEASED notification every gate load measurement starts from (gate-load.sh posts the same to the app).</summary>
    internal static CustomsNotification Released(ContainerNumber container) => new()
    {
        NotificationId = "LOAD-1",
        ContainerNumber = container,
        Status = CustomsStatus.Released,
        CustomsReference = "24NL0000000000001",
        IssuedAt = DateTimeOffset.Parse("2026-11-26T07:10:00Z", CultureInfo.InvariantCulture),
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record Response(string ContainerNumber, string Decision, string Reason, string DecisionId, string? CustomsReference, string Source, string DecidedAt);
}

/// <summary>The gate response's shape and formatting (as GateQueryResponse in PortCustoms.Functions, which this exe does not reference).</summary>
internal sealed record GateResponse(string ContainerNumber, string Decision, string Reason, string DecisionId, string? CustomsReference, string Source, string DecidedAt)
{
    public static GateResponse From(GateAnswer answer) => new(
        answer.ContainerNumber.ToString(),
        answer.Decision.ToName(),
        answer.Reason,
        answer.DecisionId,
        answer.CustomsReference,
        answer.Source.ToName(),
        answer.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
