using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using PortCustoms.Cloud.Batch;
using PortCustoms.Core.Batch;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Model;
using PortCustoms.EndToEnd.Tests.Fixtures;
using PortCustoms.Functions;
using PortCustoms.Functions.Containers;
using PortCustoms.Functions.Http;
using PortCustoms.Functions.Operations;
using PortCustoms.TestSupport;

namespace PortCustoms.EndToEnd.Tests.Security;

/// <summary>The app on LocalHost with roles on, no rates: every route called as every set of roles.</summary>
public sealed class ResponseProjectionFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public AppHost App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        App = await AppHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?> { ["LocalHost:Roles"] = "on" });
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// Least privilege per role (issue 17, point 3), over real HTTP: every stored field is filled with a sentinel, every
/// route (as its [CallerRoles]/[AnyCaller] declares it) is called as every set of roles, and each answer carries exactly
/// the fields its policy (<see cref="VisibleToAttribute"/>) gives that audience: a sentinel of a field hidden from the
/// audience is nowhere in the body, one shown to it is there.
/// </summary>
public sealed class ResponseProjectionEndToEndTests(ResponseProjectionFixture fixture) : IClassFixture<ResponseProjectionFixture>
{
    private static readonly string[] s_roles = [CallerRole.Terminal, CallerRole.Customs, CallerRole.Operator];

    private static readonly JsonSerializerOptions s_unprojected = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>
    /// What the app stores, by where it is read back over HTTP: a planted type is filled field by field here and must show
    /// through its view type only as that type's policy says; the others with the reason they are not planted.
    /// </summary>
    private static readonly Dictionary<Type, (string Route, Type? View, string Why)> s_stored = new()
    {
        [typeof(CustomsNotification)] = ("ContainerView", typeof(CustomsHistoryEntryView), "planted: customs intelligence lives here"),
        [typeof(BatchDropRecord)] = ("Kpis", typeof(KpiFunction.QuarantinedFile), "planted: brokers' file names and outcomes"),
        [typeof(Core.Gate.GateDecisionRecord)] = ("GateQuery", null, "the audit: only its GateAnswer is answered (GateQueryResponse, terminal), a repeat of the same transaction"),
        [typeof(Core.Events.ContainerTimeline)] = ("ContainerView", null, "the terminal's own events, shown to every role of the view (TimelineEventView)"),
        [typeof(Core.Events.ContainerStatusEvent)] = ("ContainerView", null, "the terminal's own events (timeline, waiting deliveries)"),
        [typeof(Core.Events.CustomsDeliveryResult)] = ("ContainerView", null, "delivery attempts: WaitingEventView.lastError for every role of the view"),
        [typeof(Core.Operations.Kpis.MetricMinute)] = ("Kpis", null, "counters only, operator route"),
        [typeof(BatchReplayRecord)] = ("", null, "read by the CLI only"),
        [typeof(Core.Events.DeadLetterReplayRecord)] = ("", null, "dead-letter replays: read by the CLI only (replay history --dead-letters)"),
        [typeof(Core.Customs.RefusedNotification)] = ("", null, "refused notifications kept for audit in blob storage: no route reads them back"),
        [typeof(Core.Manifests.VesselCall)] = ("", null, "reconciliation input, no route reads it (reports are blob links)"),
        [typeof(Core.Manifests.CargoManifest)] = ("", null, "reconciliation input, no route reads it"),
        [typeof(Core.Manifests.DischargeList)] = ("", null, "reconciliation input, no route reads it"),
    };

    private static int s_serial;

    private HttpClient Client => fixture.App.Client;

    private IServiceProvider Services => fixture.App.Host.Services;

    [Fact]
    public void Every_type_a_store_writes_is_planted_or_says_why_not()
    {
        var written = typeof(BatchLedger).Assembly.GetTypes().Concat(typeof(CustomsStateStore).Assembly.GetTypes())
            .Where(t => t.IsClass && (t.Name.EndsWith("Store", StringComparison.Ordinal) || t.Name.EndsWith("Ledger", StringComparison.Ordinal)))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => !m.Name.StartsWith("Get", StringComparison.Ordinal) && !m.Name.StartsWith("Read", StringComparison.Ordinal)
                && !m.Name.StartsWith("List", StringComparison.Ordinal) && !m.Name.StartsWith("Find", StringComparison.Ordinal)
                && !m.Name.StartsWith("Load", StringComparison.Ordinal))
            .SelectMany(m => m.GetParameters().Select(p => Unwrap(p.ParameterType)))
            .Where(t => t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("PortCustoms.", StringComparison.Ordinal) == true && !typeof(Exception).IsAssignableFrom(t))
            .Distinct()
            .ToList();

        Assert.NotEmpty(written);
        var unknown = written.Where(t => !s_stored.ContainsKey(t)).Select(t => t.FullName).ToList();
        Assert.True(unknown.Count == 0, "A store writes these and the projection test does not know them: plant them or say why not: " + string.Join(", ", unknown));
    }

    [Fact]
    public async Task Every_route_as_every_role_shows_exactly_the_fields_its_policy_gives_that_role()
    {
        var routes = Routes();
        Assert.Equal(RouteAccess.Declared.Keys.Order(StringComparer.Ordinal), routes.Select(r => r.Name).Order(StringComparer.Ordinal));

        await Gen.Int[100_000, 999_999].SampleAsync(async seed =>
        {
            var container = NewContainer();
            var planted = await PlantAsync(seed, container);
            var requests = Requests(container, seed);
            var missing = routes.Where(r => !requests.ContainsKey(r.Name)).Select(r => r.Name).ToList();
            Assert.True(missing.Count == 0, "Routes this test cannot call yet (add a request): " + string.Join(", ", missing));
            // The run exists before its status and resolution are asked for (a second start answers 200 with it).
            using (var start = As(HttpMethod.Post, requests["ReconciliationStart"].Path, CallerRole.Operator, requests["ReconciliationStart"].Body))
            {
                Assert.Equal(HttpStatusCode.Accepted, (await Client.SendAsync(start)).StatusCode);
            }

            foreach (var route in routes)
            {
                for (var bits = 0; bits < 8; bits++)
                {
                    var roles = s_roles.Where((_, i) => (bits & (1 << i)) != 0).ToArray();
                    await CheckAsync(route, requests[route.Name], roles, container, planted);
                }
            }
        }, iter: 2, threads: 1);
    }

    [Fact]
    public async Task The_terminal_never_sees_risk_targeting_or_officer_data_even_when_stored_and_customs_and_operators_do()
    {
        var container = NewContainer();
        using (var notify = As(HttpMethod.Post, "api/v1/customs/notifications", "customs", new
        {
            notificationId = "CN-" + container,
            containerNumber = container,
            status = "HOLD",
            customsReference = "24NL0000000000009",
            issuedAt = "2026-11-26T07:10:00Z",
            reason = "SECRET-free-text",
            riskScore = 0.9731246813,
            targetingReason = "SECRET-targeting",
            officerNotes = "SECRET-officer-4711",
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Client.SendAsync(notify)).StatusCode);
        }

        var gate = await BodyAsync(As(HttpMethod.Post, "api/v1/gate/queries", "terminal", GateQuery(container)));
        var terminalView = await BodyAsync(As(HttpMethod.Get, "api/v1/containers/" + container, "terminal"));
        var operatorView = await BodyAsync(As(HttpMethod.Get, "api/v1/containers/" + container, "operator"));
        var customsView = await BodyAsync(As(HttpMethod.Get, "api/v1/containers/" + container, "customs"));

        Assert.Contains("\"decision\":\"HOLD\"", gate, StringComparison.Ordinal);
        Assert.Contains("CN-" + container, terminalView, StringComparison.Ordinal);
        foreach (var secret in new[] { "SECRET", "9731246813", "riskScore", "targetingReason", "officerNotes" })
        {
            Assert.DoesNotContain(secret, gate, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, terminalView, StringComparison.Ordinal);
        }
        foreach (var view in new[] { operatorView, customsView })
        {
            var entry = Assert.Single(JsonDocument.Parse(view).RootElement.GetProperty("history").EnumerateArray());
            Assert.Equal(("SECRET-free-text", 0.9731246813, "SECRET-targeting", "SECRET-officer-4711"),
                (entry.GetProperty("reason").GetString(), entry.GetProperty("riskScore").GetDouble(), entry.GetProperty("targetingReason").GetString(), entry.GetProperty("officerNotes").GetString()));
        }
    }

    private sealed record Route(string Name, RouteAccess Access, MethodInfo Method)
    {
        public IReadOnlyList<ProducesResponseTypeAttribute> Answers => Method.GetCustomAttributes<ProducesResponseTypeAttribute>().ToList();
    }

    private sealed record Call(HttpMethod Method, string Path, object? Body);

    /// <summary>A planted field: its sentinel text and the roles that may see it through the stored type's view (none: nobody).</summary>
    private sealed record Planted(Type Stored, string Field, string Sentinel, string Route, ResponseField? Shown);

    private static IReadOnlyList<Route> Routes() =>
        typeof(PortCustomsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is { } f && RouteAccess.For(f.Name) is not null)
            .Select(m => new Route(m.GetCustomAttribute<FunctionAttribute>()!.Name, RouteAccess.For(m.GetCustomAttribute<FunctionAttribute>()!.Name)!, m))
            .ToList();

    private static Dictionary<string, Call> Requests(string container, int seed) => new(StringComparer.Ordinal)
    {
        ["GateQuery"] = new(HttpMethod.Post, "api/v1/gate/queries", null), // a new transaction per call, see CheckAsync
        ["ContainerView"] = new(HttpMethod.Get, "api/v1/containers/" + container, null),
        ["CustomsNotification"] = new(HttpMethod.Post, "api/v1/customs/notifications", null),
        ["PostEvents"] = new(HttpMethod.Post, "api/v1/events", null),
        ["Kpis"] = new(HttpMethod.Get, "api/v1/kpis?window=P31D", null),
        ["OpsDashboard"] = new(HttpMethod.Get, "api/v1/ops", null),
        ["Health"] = new(HttpMethod.Get, "api/v1/health", null),
        ["OpenApi"] = new(HttpMethod.Get, "api/v1/openapi.json", null),
        ["ReconciliationStart"] = new(HttpMethod.Post, "api/v1/reconciliations", new { vesselImo = "9811000", voyage = "P" + seed }),
        ["ReconciliationStatus"] = new(HttpMethod.Get, "api/v1/reconciliations/recon-9811000-P" + seed, null),
        ["ReconciliationResolve"] = new(HttpMethod.Post, $"api/v1/reconciliations/recon-9811000-P{seed}/discrepancies/1/resolution", new { resolvedBy = "ops", note = "checked" }),
    };

    /// <summary>Bodies that are new on every call, so each role's call is a first one (no duplicate answers).</summary>
    private static object? BodyFor(string route, Call call, string container)
    {
        var serial = Interlocked.Increment(ref s_serial);
        return route switch
        {
            "GateQuery" => GateQuery(container),
            "CustomsNotification" => new { notificationId = $"CN-P-{serial}", containerNumber = NewContainer(), status = "HOLD", issuedAt = "2026-11-26T07:10:00Z" },
            "PostEvents" => new { eventId = $"EV-P-{serial}", containerNumber = container, type = "GATED_IN", occurredAt = "2026-11-26T03:10:00+00:00", vesselImo = "9811000", sizeType = "2210" },
            _ => call.Body,
        };
    }

    private async Task CheckAsync(Route route, Call call, string[] roles, string container, IReadOnlyList<Planted> planted)
    {
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (roles.Length > 0)
        {
            request.Headers.Add(CallerAccessPolicy.DevelopmentRolesHeader, string.Join(',', roles));
        }
        if (call.Method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(BodyFor(route.Name, call, container));
        }
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var audience = ResponseProjection.AudienceOf(roles);
        var label = $"{route.Name} as [{string.Join(',', roles)}] ({status})";

        var admitted = route.Access.Anonymous || roles.Any(r => route.Access.Roles!.Contains(r));
        if (!admitted)
        {
            Assert.True(status == (roles.Length == 0 ? 401 : 403), label);
        }
        else if (route.Name != "ReconciliationResolve")
        {
            Assert.True(route.Answers.Any(a => a.StatusCode == status), $"{label}: not a status the route declares. {body}");
        }

        // Sentinels: a field hidden from this audience is nowhere; one shown to it is on its view's route.
        foreach (var field in planted)
        {
            var visible = field.Shown?.IsVisibleTo(audience) == true;
            if (!visible || !admitted)
            {
                Assert.False(body.Contains(field.Sentinel, StringComparison.Ordinal), $"{label}: {field.Stored.Name}.{field.Field} ({field.Sentinel}) is not for this caller.");
            }
            else if (route.Name == field.Route)
            {
                Assert.True(body.Contains(field.Sentinel, StringComparison.Ordinal), $"{label}: {field.Stored.Name}.{field.Field} ({field.Sentinel}) is for this caller and missing.");
            }
        }

        // The policy: an answer of a declared type has exactly the fields visible to this audience, at every level.
        var declared = route.Answers.FirstOrDefault(a => a.StatusCode == status)?.Type;
        if (admitted && declared is not null && declared != typeof(void) && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            AssertShape(declared, JsonDocument.Parse(body).RootElement, audience, label, "$");
        }
    }

    private static void AssertShape(Type type, JsonElement element, ResponseAudience audience, string label, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Null || type == typeof(object))
        {
            return;
        }
        var info = s_unprojected.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                var expected = info.Properties.Where(p => ResponseProjection.Admits(ResponseProjection.Decision(type, p.AttributeProvider as PropertyInfo), audience)).ToList();
                Assert.True(expected.Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)),
                    $"{label} at {path}: fields [{string.Join(',', element.EnumerateObject().Select(p => p.Name))}], the policy gives [{string.Join(',', expected.Select(p => p.Name))}].");
                foreach (var property in expected)
                {
                    AssertShape(property.PropertyType, element.GetProperty(property.Name), audience, label, path + "." + property.Name);
                }
                break;
            case JsonTypeInfoKind.Enumerable when info.ElementType is { } item:
                foreach (var value in element.EnumerateArray())
                {
                    AssertShape(item, value, audience, label, path + "[]");
                }
                break;
            case JsonTypeInfoKind.Dictionary when info.ElementType is { } item:
                foreach (var value in element.EnumerateObject())
                {
                    AssertShape(item, value.Value, audience, label, path + "." + value.Name);
                }
                break;
        }
    }

    /// <summary>Fills every stored field of the planted types with a sentinel and stores them through the app's own stores.</summary>
    private async Task<IReadOnlyList<Planted>> PlantAsync(int seed, string container)
    {
        var planted = new List<Planted>();
        var notification = Fill<CustomsNotification>(seed, container, planted) with { Status = CustomsStatus.Hold, IssuedAtZoned = true };
        await Services.GetRequiredService<CustomsStateStore>().AddNotificationAsync(notification);
        var drop = Fill<BatchDropRecord>(seed, container, planted) with { Disposition = BatchDisposition.Quarantined, State = BatchDropState.Done };
        await Services.GetRequiredService<BatchLedger>().SaveDropAsync(drop);
        return planted;
    }

    private static T Fill<T>(int seed, string container, List<Planted> planted)
        where T : class
    {
        var (route, view, _) = s_stored[typeof(T)];
        var shown = ResponseProjection.Fields(view!).Where(f => f.DeclaringType == view).ToDictionary(f => f.Property!.Name, StringComparer.Ordinal);
        var value = (T)RuntimeHelpers.GetUninitializedObject(typeof(T));
        var serial = 0;
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            serial++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            (object filled, string? sentinel) = type switch
            {
                _ when type == typeof(string) => ((object)$"S{seed}x{property.Name}", $"S{seed}x{property.Name}"),
                _ when type == typeof(double) => (seed + (serial / 1000.0) + 0.0001234, (seed + (serial / 1000.0) + 0.0001234).ToString("R", CultureInfo.InvariantCulture)),
                _ when type == typeof(long) => ((long)seed * 1000 + serial, ((long)seed * 1000 + serial).ToString(CultureInfo.InvariantCulture)),
                _ when type == typeof(DateTimeOffset) => (Instant(seed, serial), Instant(seed, serial).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
                _ when type == typeof(ContainerNumber) => (ContainerNumber.Parse(container), null),
                _ when type == typeof(bool) => (true, null),
                _ when type.IsEnum => (Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!, null),
                _ => throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} has type {type}: give it a sentinel here."),
            };
            property.SetValue(value, filled);
            if (sentinel is not null)
            {
                planted.Add(new Planted(typeof(T), property.Name, sentinel, route, shown.GetValueOrDefault(property.Name)));
            }
        }
        return value;
    }

    // A time no other answer has: 2031, minute and second from the seed and the field.
    private static DateTimeOffset Instant(int seed, int serial) => new(2031, 7, 1 + (seed % 27), 4, seed % 60, serial % 60, TimeSpan.Zero);

    private static Type Unwrap(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? item
        : type.IsArray ? type.GetElementType()!
        : type;

    private static string NewContainer()
    {
        var firstTen = "MSCU" + (900_000 + (Interlocked.Increment(ref s_serial) % 99_999)).ToString("D6", CultureInfo.InvariantCulture);
        return firstTen + ContainerNumber.ComputeCheckDigit(firstTen);
    }

    private static object GateQuery(string container) => new
    {
        containerNumber = container,
        direction = "OUT",
        gateTransactionId = "G-" + Guid.NewGuid().ToString("N"),
        terminal = "NLRTM-ECT",
        requestedAt = "2026-11-26T08:15:00+01:00",
    };

    private static HttpRequestMessage As(HttpMethod method, string path, string roles, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(CallerAccessPolicy.DevelopmentRolesHeader, roles);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    private async Task<string> BodyAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.RequestUri}: {(int)response.StatusCode} {body}");
            return body;
        }
    }
}
