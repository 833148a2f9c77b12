using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Core.Customs;

namespace PortCustoms.Cli.Simulator;

/// <summary>A status-event delivery the simulator received.</summary>
public sealed record ReceivedStatusEvent(long Sequence, DateTimeOffset ReceivedAt, string? ContentType, string Body);

/// <summary>
/// A customs platform stand-in on Kestrel (loopback), for integration tests and demos. It answers live status queries
/// (<c>POST /v1/status-queries</c>, in the JSON, EDIFACT or XML they arrive in) from <see cref="SimulatorRules"/>, accepts status-event deliveries
/// (<c>POST /v1/status-events</c>, listed in arrival order by <c>GET /v1/status-events</c>), and injects latency, server
/// errors and malformed answers. Start it in-process with <see cref="StartAsync"/>; <c>portcustoms simulate-customs</c> runs it.
/// </summary>
public sealed class CustomsSimulator : IAsyncDisposable
{
    public const string StatusQueriesPath = "/v1/status-queries";
    public const string StatusEventsPath = "/v1/status-events";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly CustomsSimulatorOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly List<ReceivedStatusEvent> _events = [];
    private long _queries;

    private CustomsSimulator(WebApplication app, CustomsSimulatorOptions options)
    {
        _app = app;
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:5099/</c> (trailing slash: operations are relative).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Status queries received (including those answered with injected faults).</summary>
    public long QueryCount => Interlocked.Read(ref _queries);

    /// <summary>Status-event deliveries accepted, in arrival order.</summary>
    public IReadOnlyList<ReceivedStatusEvent> ReceivedStatusEvents
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public static async Task<CustomsSimulator> StartAsync(CustomsSimulatorOptions options, ILoggerProvider? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (options.ServerCertificate is { } serverCertificate)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = serverCertificate;
                        if (options.TrustedClientRoot is { } root)
                        {
                            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                            https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, root);
                        }
                    });
                }
            });
        });
        var app = builder.Build();
        var simulator = new CustomsSimulator(app, options);
        app.MapPost(StatusQueriesPath, simulator.AnswerStatusQueryAsync);
        app.MapPost(StatusEventsPath, simulator.ReceiveStatusEventAsync);
        app.MapGet(StatusEventsPath, simulator.ListStatusEvents);
        app.MapDelete(StatusEventsPath, simulator.ClearStatusEvents);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Runs until cancelled.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken) =>
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);

    private async Task AnswerStatusQueryAsync(HttpContext context)
    {
        Interlocked.Increment(ref _queries);
        var fault = Roll();
        await DelayAsync(context.RequestAborted).ConfigureAwait(false);
        if (fault == Fault.ServerError)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var mediaType = context.Request.ContentType?.Split(';', 2)[0].Trim();
        if (string.Equals(mediaType, EdifactFormat.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            await AnswerEdifactStatusQueryAsync(context).ConfigureAwait(false);
            return;
        }
        if (string.Equals(mediaType, XmlFormat.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            await AnswerXmlStatusQueryAsync(context).ConfigureAwait(false);
            return;
        }

        StatusQuery? query;
        try
        {
            query = await JsonSerializer.DeserializeAsync<StatusQuery>(context.Request.Body, s_json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            query = null;
        }
        if (query?.ContainerNumber is not { Length: > 0 } containerNumber)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.ContentType = "application/json";
        if (_options.MalformedRate > 0 && RollMalformed())
        {
            await context.Response.WriteAsync(Malformed(containerNumber), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var answer = _options.Rules.Resolve(containerNumber);
        await context.Response.WriteAsJsonAsync(
            new StatusAnswer(containerNumber, answer.StatusCode, answer.CustomsReference ?? "SIM-" + containerNumber, DateTimeOffset.UtcNow),
            s_json,
            context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly PortCustoms.Core.CustomsPlatform.EdifactCustomsMessageFormat EdifactFormat =
        new(new PortCustoms.Core.CustomsPlatform.EdifactFormatOptions { Sender = "CUSTOMS", Recipient = "PORTCUSTOMS" });

    /// <summary>
    /// A CUSCAR query (application/EDIFACT) answered by a CUSRES, whatever <c>--format</c> says: the platform answers in
    /// the language it is asked in, so one simulator serves JSON and EDIFACT apps.
    /// </summary>
    private async Task AnswerEdifactStatusQueryAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (!EdifactFormat.TryDecode<PortCustoms.Core.CustomsPlatform.CustomsStatusQueryMessage>(body.ToArray(), out var query))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        context.Response.ContentType = EdifactFormat.MediaType;
        if (_options.MalformedRate > 0 && RollMalformed())
        {
            await context.Response.WriteAsync("UNB+UNOC:3+CUSTOMS'UNH+1+CUSRES:D:95B:UN'GIS+", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var answer = _options.Rules.Resolve(query.ContainerNumber);
        var encoded = EdifactFormat.Encode(new PortCustoms.Core.CustomsPlatform.CustomsStatusAnswerMessage(
            query.ContainerNumber, answer.StatusCode, answer.CustomsReference ?? "SIM-" + query.ContainerNumber, DateTimeOffset.UtcNow));
        await context.Response.Body.WriteAsync(encoded, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A WCO XML <c>StatusQuery</c> (application/xml) answered by a <c>StatusAnswer</c>; a query the schema refuses is 400.
    /// Malformed answers (when injected) break the XML or the schema, never only the content.
    /// </summary>
    private async Task AnswerXmlStatusQueryAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var read = PortCustoms.Core.Xml.WcoStatusQueryXml.ReadQuery(body.ToArray());
        if (!read.IsValid)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var query = read.Message!;
        context.Response.ContentType = XmlFormat.MediaType;
        if (_options.MalformedRate > 0 && RollMalformed())
        {
            await context.Response.WriteAsync(MalformedXml(query.ContainerNumber), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var answer = _options.Rules.Resolve(query.ContainerNumber);
        var encoded = PortCustoms.Core.Xml.WcoStatusQueryXml.WriteAnswer(
            new PortCustoms.Core.CustomsPlatform.CustomsStatusAnswerMessage(
                query.ContainerNumber, answer.StatusCode, answer.CustomsReference ?? "SIM-" + query.ContainerNumber, DateTimeOffset.UtcNow),
            responseToId: query.QueryId,
            metadata: new PortCustoms.Core.Xml.WcoMetadata { CustomizationCode = null, CustomizationVersion = null });
        await context.Response.Body.WriteAsync(encoded, context.RequestAborted).ConfigureAwait(false);
    }

    private string MalformedXml(string containerNumber)
    {
        int kind;
        lock (_gate)
        {
            kind = _random.Next(3);
        }
        const string Meta = "<MetaData><WCODataModelVersionCode>3.11</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName><ResponsibleCountryCode>ZZ</ResponsibleCountryCode><ResponsibleAgencyName>CUSTOMS</ResponsibleAgencyName></MetaData>";
        return kind switch
        {
            // Cut off mid-document.
            0 => "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "<Response><Status><NameCode>4",
            // Well-formed, but the schema's mandatory Status is missing.
            1 => "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "<Response><TransportEquipment><ID>" + containerNumber + "</ID></TransportEquipment></Response></StatusAnswer>",
            // A release code in a status the schema's pattern refuses.
            _ => "<StatusAnswer xmlns=\"urn:portcustoms:wco:status-query:1\">" + Meta + "<Response><Status><NameCode>released!</NameCode></Status><TransportEquipment><ID>" + containerNumber + "</ID></TransportEquipment></Response></StatusAnswer>",
        };
    }

    private async Task ReceiveStatusEventAsync(HttpContext context)
    {
        var fault = Roll();
        await DelayAsync(context.RequestAborted).ConfigureAwait(false);
        if (fault == Fault.ServerError)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (IsXml && !IsValidStatusReport(body))
        {
            // An XML platform validates what it receives against the schema and refuses the rest.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        lock (_gate)
        {
            _events.Add(new ReceivedStatusEvent(_events.Count + 1, DateTimeOffset.UtcNow, context.Request.ContentType, body));
        }
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private bool IsXml => string.Equals(_options.Format, PortCustoms.Core.CustomsPlatform.XmlCustomsMessageFormat.FormatName, StringComparison.OrdinalIgnoreCase);

    private static readonly PortCustoms.Core.CustomsPlatform.XmlCustomsMessageFormat XmlFormat = new();

    private static bool IsValidStatusReport(string body) =>
        XmlFormat.TryDecode<PortCustoms.Core.Events.ContainerStatusEvent>(System.Text.Encoding.UTF8.GetBytes(body), out _);

    /// <summary>
    /// Sends one release, hold or inspection order to the app (<c>POST api/v1/customs/notifications</c>, relative to
    /// <paramref name="client"/>'s base address) in the simulator's format: a WCO XML <c>CustomsResponse</c> for
    /// <c>xml</c>, else the contract's JSON object.
    /// </summary>
    public async Task<HttpResponseMessage> SendNotificationAsync(HttpClient client, PortCustoms.Core.Customs.CustomsNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(notification);
        HttpContent content;
        if (IsXml)
        {
            content = new ReadOnlyMemoryContent(XmlFormat.Encode(notification));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(XmlFormat.MediaType);
        }
        else
        {
            content = System.Net.Http.Json.JsonContent.Create(new
            {
                notificationId = notification.NotificationId,
                containerNumber = notification.ContainerNumber.ToString(),
                status = notification.Status.ToName(),
                customsReference = notification.CustomsReference,
                issuedAt = notification.IssuedAt,
                reason = notification.Reason,
            });
        }
        using (content)
        {
            return await client.PostAsync(new Uri("api/v1/customs/notifications", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        }
    }

    private IResult ListStatusEvents()
    {
        var list = ReceivedStatusEvents.Select(e => new
        {
            e.Sequence,
            e.ReceivedAt,
            e.ContentType,
            Body = TryParseJson(e.Body) is { } json ? (object)json : e.Body,
        });
        return Results.Json(list, s_json);
    }

    private IResult ClearStatusEvents()
    {
        lock (_gate)
        {
            _events.Clear();
        }
        return Results.NoContent();
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        if (_options.Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(_options.Latency, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up; nothing to answer.
            }
        }
    }

    private Fault Roll()
    {
        lock (_gate)
        {
            return _random.NextDouble() < _options.FailRate ? Fault.ServerError : Fault.None;
        }
    }

    private bool RollMalformed()
    {
        lock (_gate)
        {
            return _random.NextDouble() < _options.MalformedRate;
        }
    }

    private string Malformed(string containerNumber)
    {
        int kind;
        lock (_gate)
        {
            kind = _random.Next(4);
        }
        return kind switch
        {
            0 => "{\"containerNumber\":\"" + containerNumber + "\",\"statusCo",
            1 => "{\"containerNumber\":\"" + containerNumber + "\"}",
            2 => "{\"containerNumber\":\"ZZZU0000006\",\"statusCode\":\"4\"}",
            _ => "<html><body>Service temporarily unavailable</body></html>",
        };
    }

    private static JsonElement? TryParseJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private enum Fault
    {
        None,
        ServerError,
    }

    private sealed record StatusQuery(string? QueryId, string? ContainerNumber);

    private sealed record StatusAnswer(string ContainerNumber, string StatusCode, string? CustomsReference, DateTimeOffset IssuedAt);
}
