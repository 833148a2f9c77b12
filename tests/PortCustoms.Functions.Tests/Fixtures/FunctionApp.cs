using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using PortCustoms.Core.Model;
using PortCustoms.LocalHost.Events;
using PortCustoms.TestSupport;

namespace PortCustoms.Functions.Tests.Fixtures;

/// <summary>
/// The app's services exactly as <see cref="PortCustomsApp.AddPortCustomsApp"/> registers them, on Azurite, with a fake
/// clock; function classes are created from it and invoked directly with a <see cref="DefaultHttpContext"/>.
/// </summary>
internal sealed class FunctionApp : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 7, 15, 0, 123, TimeSpan.Zero);

    private FunctionApp(ServiceProvider services, FakeTimeProvider time, string tableSuffix)
    {
        Services = services;
        Time = time;
        CustomsTableName = "customs" + tableSuffix;
    }

    /// <summary>The table this app's customs status store writes to.</summary>
    public string CustomsTableName { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public static FunctionApp Create(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                // Each app its own event queue table: apps of parallel tests share one Azurite.
                ["LocalHost:EventQueue:TableName"] = "queue" + Guid.NewGuid().ToString("N")[..12],
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var time = new FakeTimeProvider(Now);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        // As LocalHost composes it: LocalHost run mode, its event queue (no Service Bus here).
        services.AddPortCustomsApp(configuration, new HostingEnvironment { EnvironmentName = Environments.Development }, Cloud.RunMode.LocalHost);
        services.AddLocalEventQueue();
        // Overrides come after the app's registrations: the last registration is the one resolved.
        services.AddSingleton<TimeProvider>(time);
        // Each app gets its own tables: tests run in any order against one Azurite.
        var suffix = Guid.NewGuid().ToString("N")[..10];
        services.AddSingleton<Core.Customs.CustomsStateStore>(sp => new Cloud.Gate.TableCustomsStateStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Cloud.Gate.TableCustomsStateStore>>(), "customs" + suffix));
        services.AddSingleton<Core.Gate.GateDecisionStore>(sp => new Cloud.Gate.TableGateDecisionStore(sp.GetRequiredService<TableServiceClient>(), "gate" + suffix));
        overrides?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return new FunctionApp(provider, time, suffix);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public void Dispose() => Services.Dispose();

    public static HttpRequest Post(string json, string contentType = "application/json", Action<HttpRequest>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.Headers["x-functions-key"] = "not-logged";
        configure?.Invoke(context.Request);
        return context.Request;
    }

    public static HttpRequest Get(string routeName, string routeValue)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.RouteValues[routeName] = routeValue;
        return context.Request;
    }

    public static string GateQuery(string containerNumber = "MSCU1234566", string transaction = "G-2026-000123", string direction = "OUT") =>
        JsonSerializer.Serialize(new { containerNumber, direction, gateTransactionId = transaction, terminal = "NLRTM-ECT", requestedAt = "2026-11-26T08:15:00+01:00" });

    public static string Notification(string id, string status, string issuedAt, string containerNumber = "MSCU1234566", object? extra = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["notificationId"] = id,
            ["containerNumber"] = containerNumber,
            ["status"] = status,
            ["customsReference"] = "24NL0000000000001",
            ["issuedAt"] = issuedAt,
            ["reason"] = "customs free text",
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                fields[property.Name] = property.Value;
            }
        }
        return JsonSerializer.Serialize(fields);
    }

    /// <summary>
    /// What the Functions host writes for an <see cref="IActionResult"/>: status, Content-Type and body (MVC's executors,
    /// the app's projecting JSON formatter), for a caller holding every role unless <paramref name="audience"/> says otherwise.
    /// </summary>
    public static async Task<HttpResult> ExecuteAsync(IActionResult result, PortCustoms.Functions.Http.ResponseAudience audience = PortCustoms.Functions.Http.ResponseAudience.Terminal | PortCustoms.Functions.Http.ResponseAudience.Customs | PortCustoms.Functions.Http.ResponseAudience.Operator)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMvcCore();
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<MvcOptions>, PortCustoms.Functions.Http.ProjectingJsonFormatterSetup>();
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Items[PortCustoms.Functions.Http.ResponseProjection.ItemKey] = audience;
        context.Response.Body = new MemoryStream();
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new HttpResult(context.Response.StatusCode, context.Response.ContentType, body);
    }

    public static ContainerNumber Container(string text) => ContainerNumber.Parse(text);
}

internal sealed record HttpResult(int Status, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
