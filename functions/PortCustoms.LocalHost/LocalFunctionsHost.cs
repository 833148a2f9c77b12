using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortCustoms.Cloud;
using PortCustoms.Functions;
using PortCustoms.LocalHost.Events;
using PortCustoms.LocalHost.Blobs;
using PortCustoms.LocalHost.Durable;
using PortCustoms.LocalHost.Functions;
using PortCustoms.LocalHost.Timers;
using PortCustoms.Shared;

namespace PortCustoms.LocalHost;

/// <summary>
/// Runs the Functions app's own function classes on this machine without the Azure Functions runtime: HTTP triggers on
/// Kestrel, orchestrations and activities on the in-process Durable Task host, blob triggers fed from storage, and the
/// app's hosted services. It is a local host for development and tests, not the Functions runtime.
/// </summary>
public sealed partial class LocalFunctionsHost : IAsyncDisposable
{
    public const int DefaultPort = 7071;
    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private readonly WebApplication _app;
    private readonly AzuriteProcess? _azurite;

    private LocalFunctionsHost(WebApplication app, AzuriteProcess? azurite, IReadOnlyList<FunctionDescriptor> functions)
    {
        _app = app;
        _azurite = azurite;
        Functions = functions;
    }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The base address Kestrel listens on, e.g. <c>http://127.0.0.1:7071/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The storage connection in use (the started Azurite's when none was configured).</summary>
    public string StorageConnectionString => _app.Configuration["AzureWebJobsStorage"]!;

    public static async Task<LocalFunctionsHost> StartAsync(LocalFunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Development unless the environment says otherwise: the app's LocalHost run mode refuses any other environment.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. options.Args],
            ApplicationName = typeof(LocalFunctionsHost).Assembly.GetName().Name,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Development,
        });
        var repositoryRoot = options.RepositoryRoot ?? FindRepositoryRoot();
        AddFunctionsSettings(builder.Configuration, repositoryRoot);
        builder.Configuration.AddInMemoryCollection(options.Settings);

        using var bootLoggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true));
        var bootLogger = bootLoggerFactory.CreateLogger<LocalFunctionsHost>();
        LogNotTheRuntime(bootLogger);

        var azurite = await EnsureStorageAsync(builder.Configuration, repositoryRoot, bootLogger, cancellationToken).ConfigureAwait(false);
        try
        {
            var assemblies = new[] { typeof(PortCustomsApp).Assembly }.Concat(options.FunctionAssemblies).Distinct().ToList();
            var functions = FunctionCatalog.Discover(assemblies.SelectMany(a => a.GetTypes()).Concat(options.FunctionTypes));
            foreach (var blob in functions.Where(f => f.Trigger == TriggerKind.Blob))
            {
                BlobTriggerPump.EnsureBindable(blob);
            }

            var port = options.Port ?? builder.Configuration.GetValue("LocalHost:Port", DefaultPort);
            builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
            // LocalHost mode: its own event queue when no Service Bus is configured, residency unenforced without a list.
            builder.Services.AddPortCustomsApp(builder.Configuration, builder.Environment, RunMode.LocalHost);
            builder.Services.AddLocalEventQueue();
            // IActionResult executors, as the Functions ASP.NET Core integration provides them.
            builder.Services.AddMvcCore();

            var localServices = new LocalServices();
            if (functions.Any(f => f.Trigger is TriggerKind.Orchestration or TriggerKind.Activity) || functions.Any(UsesDurableClient))
            {
                // A port the OS reports free now: left to itself the sidecar picks one at random in 30000-40000, which
                // collides now and then with ports other processes (Azurite, outgoing connections) hold.
                builder.Services.AddInMemoryDurableTask(
                    registry => DurableFunctionRegistration.Register(registry, functions, localServices),
                    new Microsoft.DurableTask.Testing.InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
            }
            builder.Services.AddHostedService<LandingContainers>();
            builder.Services.AddHostedService(sp => new BlobTriggerPump(functions, sp.GetRequiredService<IConfiguration>(), sp, sp.GetRequiredService<ILogger<BlobTriggerPump>>()));
            builder.Services.AddHostedService(sp => new TimerTriggerPump(functions, sp.GetRequiredService<IConfiguration>(), sp, sp.GetRequiredService<ILogger<TimerTriggerPump>>()));
            options.ConfigureServices?.Invoke(builder.Services);

            var app = builder.Build();
            localServices.Provider = app.Services;
            var routePrefix = ReadRoutePrefix(repositoryRoot);
            var mapped = HttpTriggerEndpoints.Map(app, functions, routePrefix, PortCustoms.Functions.PortCustomsApp.WorkerMiddleware);

            // Resolved before start, so that a LocalHost:Roles value that is neither on nor off refuses to start.
            var access = app.Services.GetRequiredService<PortCustoms.Functions.Http.CallerAccessPolicy>();
            var host = new LocalFunctionsHost(app, azurite, functions);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");

            var logger = app.Services.GetRequiredService<ILogger<LocalFunctionsHost>>();
            foreach (var line in mapped)
            {
                LogHttpFunction(logger, line);
            }
            foreach (var function in functions.Where(f => f.Trigger != TriggerKind.Http))
            {
                LogOtherFunction(logger, function.Name, function.Trigger);
            }
            var roles = access.Describe();
            if (access.Enforced)
            {
                LogCallerRoles(logger, roles);
            }
            else
            {
                LogCallerRolesOff(logger, roles);
            }
            LogListening(logger, host.BaseAddress);
            return host;
        }
        catch
        {
            azurite?.Dispose();
            throw;
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Runs until Ctrl-C (or SIGTERM), then stops the app and the Azurite it started.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _azurite?.Dispose();
        }
    }

    private static bool UsesDurableClient(FunctionDescriptor function) =>
        function.Method.GetParameters().Any(p => p.GetCustomAttributes(false).Any(a => a.GetType().Name == "DurableClientAttribute"));

    /// <summary>
    /// With no storage configured (or UseDevelopmentStorage=true), use an Azurite on its default ports: the developer's
    /// own if one listens there, else one started from the repository's pinned npm package and stopped on exit.
    /// </summary>
    private static async Task<AzuriteProcess?> EnsureStorageAsync(ConfigurationManager configuration, string repositoryRoot, ILogger logger, CancellationToken cancellationToken)
    {
        var configured = configuration["AzureWebJobsStorage"];
        if (!string.IsNullOrWhiteSpace(configured) && !string.Equals(configured, DevelopmentStorage, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var (blob, queue, table) = (configuration.GetValue("LocalHost:Azurite:BlobPort", 10000), configuration.GetValue("LocalHost:Azurite:QueuePort", 10001), configuration.GetValue("LocalHost:Azurite:TablePort", 10002));
        AzuriteProcess azurite;
        if (await AzuriteProcess.IsListeningAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            LogUsingRunningAzurite(logger, blob);
            azurite = AzuriteProcess.Existing(blob, queue, table);
        }
        else
        {
            await AzuriteProcess.EnsureInstalledAsync(repositoryRoot, message => LogAzurite(logger, message), cancellationToken).ConfigureAwait(false);
            var location = configuration["LocalHost:Azurite:Location"] ?? Path.Combine(repositoryRoot, ".azurite");
            azurite = await AzuriteProcess.StartAsync(repositoryRoot, blob, queue, table, location, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            LogStartedAzurite(logger, blob, queue, table, location);
        }
        configuration["AzureWebJobsStorage"] = azurite.ConnectionString;
        return azurite.Owned ? azurite : null;
    }

    /// <summary>Reads the Functions app's local.settings.json "Values", as Core Tools would, when present.</summary>
    private static void AddFunctionsSettings(ConfigurationManager configuration, string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "functions", "PortCustoms.Functions", "local.settings.json");
        if (!File.Exists(path))
        {
            return;
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.TryGetProperty("Values", out var values))
        {
            configuration.AddInMemoryCollection(values.EnumerateObject().Select(p => KeyValuePair.Create(p.Name.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value.ToString())));
        }
    }

    /// <summary>The route prefix from the one host.json at the repository root (the Functions default is "api").</summary>
    private static string ReadRoutePrefix(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? "api"
            : "api";
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PortCustoms.Functions.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Run LocalHost from the PortCustoms repository (PortCustoms.Functions.sln not found).");
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "PortCustoms.LocalHost: a local host for development and tests, NOT the Azure Functions runtime. Function keys are not enforced, and a batch file is attributed to its folder without an uploader check (there is no SFTP here).")]
    private static partial void LogNotTheRuntime(ILogger logger);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Information, Message = "PortCustoms.LocalHost: {Roles}")]
    private static partial void LogCallerRoles(ILogger logger, string roles);

    [LoggerMessage(EventId = 9009, Level = LogLevel.Warning, Message = "PortCustoms.LocalHost: {Roles}")]
    private static partial void LogCallerRolesOff(ILogger logger, string roles);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "HTTP function {Function}")]
    private static partial void LogHttpFunction(ILogger logger, string function);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "{Trigger} function {Function}")]
    private static partial void LogOtherFunction(ILogger logger, string function, TriggerKind trigger);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "PortCustoms.LocalHost listening on {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Using the Azurite already listening on port {BlobPort}.")]
    private static partial void LogUsingRunningAzurite(ILogger logger, int blobPort);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Started Azurite on ports {BlobPort}/{QueuePort}/{TablePort}, data in {Location}; it stops with LocalHost.")]
    private static partial void LogStartedAzurite(ILogger logger, int blobPort, int queuePort, int tablePort, string location);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogAzurite(ILogger logger, string message);
}
