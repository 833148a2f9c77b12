using System.Security.Cryptography.X509Certificates;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.CodeLists;
using Polly;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Cloud.Storage;
using PortCustoms.Core.Customs;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Gate;

namespace PortCustoms.Cloud.Gate;

/// <summary>Service registrations of the real-time gate path (issue 3): options, rules, Table stores, the customs platform adapter.</summary>
public static class GatePathServiceCollectionExtensions
{
    /// <summary>The named HTTP client of the gate's live query; its resilience pipeline never runs past <see cref="GateOptions.LiveQueryBudget"/>.</summary>
    public const string LiveQueryHttpClientName = "CustomsPlatform.LiveQuery";

    public static IServiceCollection AddGatePath(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGateRules();
        services.AddGateTableStores();
        services.AddCustomsPlatform();
        return services;
    }

    /// <summary>
    /// The code lists (<c>CodeLists</c>): shipped files with the deployment's overrides, loaded and checked at start (a
    /// bad override stops the app). The authority's status map comes from them, under <c>CustomsAuthority:StatusCodes</c>.
    /// </summary>
    public static IServiceCollection AddCodeLists(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(CodeListService)))
        {
            return services;
        }
        services.AddOptions<CodeListOptions>().BindConfiguration(CodeListOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeListOptions>, CodeListOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<CodeListService>();
        // Configuration wins over an override file, which wins over the shipped map: a code still holding the shipped
        // rule takes the deployment's, and codes only the deployment's list names are added.
        services.AddOptions<CustomsAuthorityOptions>().PostConfigure<CodeListService>((authority, lists) =>
        {
            if (!lists.Lists.StatusMaps.TryGetValue(authority.Name, out var map))
            {
                return;
            }
            var shipped = CustomsAuthorityOptions.ShippedCodes(authority.Name);
            foreach (var (code, rule) in map.Codes)
            {
                if (!authority.StatusCodes.TryGetValue(code, out var current)
                    || (shipped.TryGetValue(code, out var original) && current.Decision == original.Decision && current.Reason == original.Reason))
                {
                    authority.StatusCodes[code] = new CustomsStatusCodeRule { Decision = rule.Decision, Reason = rule.Reason };
                }
            }
        });
        return services;
    }

    /// <summary>Options (bound and validated at start), rules and services without I/O of their own.</summary>
    public static IServiceCollection AddGateRules(this IServiceCollection services)
    {
        services.AddOptions<GateOptions>().BindConfiguration(GateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GateOptions>, GateOptionsValidator>());
        services.AddOptions<CustomsAuthorityOptions>().BindConfiguration(CustomsAuthorityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomsAuthorityOptions>, CustomsAuthorityOptionsValidator>());
        services.AddCodeLists();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GateMetrics>();
        services.TryAddSingleton<GateDecisionService>();
        services.TryAddSingleton<GateQueryIntake>();
        services.TryAddSingleton<CustomsNotificationService>();
        return services;
    }

    public static IServiceCollection AddGateTableStores(this IServiceCollection services)
    {
        // The app's one storage account (AzureWebJobsStorage: Azurite locally, managed identity in Azure); the app
        // registration normally did this already.
        services.TryAddSingleton(sp => StorageConnection.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageConnection>().CreateTableServiceClient());
        services.TryAddSingleton<CustomsStateStore>(sp => new TableCustomsStateStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<ILogger<TableCustomsStateStore>>()));
        services.TryAddSingleton<GateDecisionStore>(sp => new TableGateDecisionStore(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GateStoreWarmup>());
        return services;
    }

    /// <summary>
    /// The customs platform adapter: its connection (<see cref="AddCustomsPlatformConnection"/>), the gate's live query
    /// client and its HTTP client. Other flows reuse the connection through <see cref="AddCustomsPlatformHttpClient"/>
    /// with their own pipeline.
    /// </summary>
    public static IServiceCollection AddCustomsPlatform(this IServiceCollection services)
    {
        services.AddCustomsPlatformConnection();

        services.AddCustomsPlatformHttpClient(LiveQueryHttpClientName, static (builder, context) =>
        {
            context.EnableReloads<GateOptions>();
            var budget = context.GetOptions<GateOptions>().LiveQueryBudget;
            // Outermost: the whole query, retries included, within the budget. Retries only for fast failures
            // (connection refused, 5xx); the circuit breaker stops asking a platform that is down.
            builder.AddTimeout(budget);
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
            });
            builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            });
        });

        services.TryAddSingleton<CustomsLiveQueryClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value;
            var format = ResolveFormat(sp, options.Format);
            // A format with no query document: the gate decides from stored notifications, never asking live.
            if (!options.IsConfigured || !format.CarriesStatusQuery)
            {
                return CustomsLiveQueryClient.NotConfigured;
            }
            var transport = new HttpsCustomsPlatformTransport(
                sp.GetRequiredService<IHttpClientFactory>(),
                LiveQueryHttpClientName,
                sp.GetRequiredService<ClientCertificateProvider>(),
                sp.GetRequiredService<ILogger<HttpsCustomsPlatformTransport>>());
            return new CustomsPlatformLiveQueryClient(transport, format, sp.GetRequiredService<TimeProvider>(), options.StatusQueryOperation);
        });
        return services;
    }

    /// <summary>
    /// What every flow that talks to the customs platform needs, idempotent (any flow may call it, in any order):
    /// options (bound and validated at start), the message formats (JSON; others add a <see cref="CustomsMessageFormat"/>
    /// singleton), and the Key Vault client certificate (built on first download only: no Key Vault call at start).
    /// </summary>
    public static IServiceCollection AddCustomsPlatformConnection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<CustomsPlatformOptions>().BindConfiguration(CustomsPlatformOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomsPlatformOptions>, CustomsPlatformOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomsPlatformOptions>, CustomsFormatValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, JsonCustomsMessageFormat>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var certificate = sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value.ClientCertificate;
            return new CertificateClient(
                certificate.VaultUri ?? throw new InvalidOperationException("CustomsPlatform:ClientCertificate:VaultUri is not set."),
                AppCredential.Create(certificate.Credential, certificate.ClientId));
        });
        services.TryAddSingleton(sp => new ClientCertificateProvider(
            () => sp.GetRequiredService<CertificateClient>(),
            sp.GetRequiredService<IOptions<CustomsPlatformOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ClientCertificateProvider>>()));
        // The signing certificate: its own vault and name, loaded on the first signed send like the client certificate.
        services.TryAddKeyedSingleton(SigningCertificateKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value;
            return new ClientCertificateProvider(
                () => new CertificateClient(
                    options.Signing.VaultUri ?? throw new InvalidOperationException("CustomsPlatform:Signing:VaultUri is not set."),
                    AppCredential.Create(options.Signing.Credential, options.Signing.ClientId)),
                options.Signing,
                TimeSpan.FromMinutes(10),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ClientCertificateProvider>>());
        });
        return services;
    }

    /// <summary>The key of the signing certificate's <see cref="ClientCertificateProvider"/>.</summary>
    public const string SigningCertificateKey = "signing";

    /// <summary>
    /// A named HTTP client to the customs platform: base address, mutual TLS (client certificate from Key Vault, optional
    /// private server root) and the caller's resilience pipeline. Use with <see cref="HttpsCustomsPlatformTransport"/>.
    /// </summary>
    public static IHttpResiliencePipelineBuilder AddCustomsPlatformHttpClient(
        this IServiceCollection services,
        string name,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> configurePipeline)
    {
        return services
            .AddHttpClient(name, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value;
                client.BaseAddress = options.BaseAddress is { } address ? WithTrailingSlash(address) : null;
                // The resilience pipeline owns time.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(
                sp.GetRequiredService<IOptions<CustomsPlatformOptions>>().Value,
                sp.GetRequiredService<ClientCertificateProvider>()))
            // Signed once per message, outside the retries: a retry resends the same signed body.
            .AddHttpMessageHandler(sp =>
            {
                var signing = sp.GetRequiredKeyedService<ClientCertificateProvider>(SigningCertificateKey);
                return new MessageSigningHandler(async ct => signing.IsConfigured ? await signing.GetCertificateAsync(ct).ConfigureAwait(false) : null);
            })
            .AddResilienceHandler(name, configurePipeline);
    }

    internal static CustomsMessageFormat ResolveFormat(IServiceProvider services, string name) =>
        services.GetServices<CustomsMessageFormat>().FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"No customs message format named '{name}' is registered.");

    private static SocketsHttpHandler CreatePrimaryHandler(CustomsPlatformOptions options, ClientCertificateProvider certificates)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = options.PooledConnectionLifetime };
        if (certificates.IsConfigured)
        {
            // Synchronous at handshake time: the transport has already loaded (or refreshed) the certificate before sending.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificates.Current!;
        }
        if (options.TrustedServerCertificateAuthority is { Length: > 0 } pem)
        {
            var root = X509Certificate2.CreateFromPem(pem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ServerCertificateValidation.IsTrusted(certificate, errors, root);
        }
        return handler;
    }

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    private sealed class CustomsFormatValidation(IEnumerable<CustomsMessageFormat> formats) : IValidateOptions<CustomsPlatformOptions>
    {
        public ValidateOptionsResult Validate(string? name, CustomsPlatformOptions options) =>
            formats.Any(f => string.Equals(f.Name, options.Format, StringComparison.OrdinalIgnoreCase))
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"CustomsPlatform:Format '{options.Format}' is not a registered format ({string.Join(", ", formats.Select(f => f.Name))}).");
    }
}
