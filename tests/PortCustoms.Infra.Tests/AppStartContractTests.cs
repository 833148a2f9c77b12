using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud;
using PortCustoms.Functions;
using PortCustoms.Infra.Tests.Support;

namespace PortCustoms.Infra.Tests;

/// <summary>
/// The deployed app starts: the app settings each environment's deployment writes are loaded into the app's real
/// configuration and registrations, and every start-up validation the worker runs passes on them. A setting the
/// infrastructure writes that the app never reads (a misspelt name) fails too, unless the Functions host itself reads it.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AppStartContractTests(CompiledInfra infra)
{
    /// <summary>Settings the Functions host or the platform reads, not the app's code: each with the reason.</summary>
    private static readonly Dictionary<string, string> ReadByTheHost = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage:queueServiceUri"] = "host storage: Durable Functions task hub and blob trigger queues",
        ["AzureWebJobsStorage:credential"] = "read by the app through the section as well; the host reads it for its own clients",
        ["LandingStorage:blobServiceUri"] = "the blob trigger's connection (Connection = \"LandingStorage\"), read by the host's blob extension",
        ["LandingStorage:queueServiceUri"] = "the blob trigger's poison queue, host blob extension",
        ["LandingStorage:dfsServiceUri"] = "host blob extension (hierarchical namespace for SFTP)",
        ["LandingStorage:credential"] = "host blob extension",
        ["LandingStorage:clientId"] = "host blob extension",
    };

    public static TheoryData<string, string> Profiles => new()
    {
        { "dev", "none" },
        { "dev", "json" },
        { "dev", "edifact" },
        { "prod", "none" },
        { "prod", "json" },
        { "prod", "edifact" },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_app_starts_on_the_settings_the_infrastructure_writes(string environment, string customsProfile)
    {
        var settings = Settings(environment, customsProfile);

        using var app = StartedApp(settings, out _);

        // The worker runs these at start (ValidateOnStart); an invalid or missing required setting throws here.
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());
        Assert.True(failure is null, $"{environment}/{customsProfile}: the app would refuse to start: {failure?.Message}");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Every_setting_the_infrastructure_writes_is_read_by_the_app_or_the_host(string environment, string customsProfile)
    {
        var settings = Settings(environment, customsProfile);

        // Async disposal: the Service Bus clients it builds dispose only that way.
        await using var app = StartedApp(settings, out var tracking, out var services);
        app.GetRequiredService<IStartupValidator>().Validate();
        UseEverything(app, services);

        var unread = DeployedAppSettings.AsConfiguration(settings)
            .Select(s => s.Key)
            .Where(key => !tracking.KeysRead.Contains(key) && !ReadByTheHost.ContainsKey(key))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(unread.Count == 0, $"{environment}/{customsProfile}: the infrastructure writes settings nobody reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public void A_misspelt_setting_is_caught()
    {
        // The check itself must be able to fail: the name the infrastructure once wrote by mistake.
        var settings = new Dictionary<string, string>(Settings("prod", "json"), StringComparer.OrdinalIgnoreCase);
        settings.Remove("CustomsPlatform__ClientCertificate__VaultUri");
        settings["CustomsPlatform__ClientCertificate__KeyVaultUri"] = "https://kv.example.net/";

        using var app = StartedApp(settings, out var tracking);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("VaultUri", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CustomsPlatform:ClientCertificate:KeyVaultUri", tracking.KeysRead);
    }

    [Fact]
    public void In_azure_without_approved_regions_the_app_refuses_to_start()
    {
        // Fail closed: a deployment that lost its residency settings must not process customs data anywhere.
        var settings = Settings("prod", "json")
            .Where(s => !s.Key.StartsWith("Residency__AllowedRegions", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(StringComparer.OrdinalIgnoreCase);

        using var app = StartedApp(settings, out _);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Residency:AllowedRegions", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The settings without which the worker must not start in Azure, each with the name the failure must give.</summary>
    public static TheoryData<string, string> RequiredInAzure => new()
    {
        { "ServiceBus__fullyQualifiedNamespace", "ServiceBus__fullyQualifiedNamespace" },
        { "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__blobServiceUri" },
        { "AzureWebJobsStorage__tableServiceUri", "AzureWebJobsStorage__tableServiceUri" },
        { "Residency__Region", "Residency__Region" },
        { "Residency__AllowedRegions", "Residency__AllowedRegions" },
    };

    [Theory]
    [MemberData(nameof(RequiredInAzure))]
    public void In_azure_without_a_required_setting_the_app_refuses_to_start_naming_it(string removed, string named)
    {
        // Fail closed: no embedded queue, no in-memory store, no unenforced residency in Azure. Removing the setting
        // removes every key under it too (the indexed Residency__AllowedRegions__0, ...).
        var settings = Settings("prod", "json")
            .Where(s => !string.Equals(s.Key, removed, StringComparison.OrdinalIgnoreCase) && !s.Key.StartsWith(removed + "__", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(StringComparer.OrdinalIgnoreCase);
        Assert.NotEqual(Settings("prod", "json").Count, settings.Count);

        using var app = StartedApp(settings, out _);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "UseDevelopmentStorage=true")]
    [InlineData("ServiceBus__ConnectionString", "Endpoint=sb://sb-contract.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=x")]
    [InlineData("ContainerEvents__TimelineStore__ConnectionString", "UseDevelopmentStorage=true")]
    public void In_azure_a_local_connection_string_is_refused_naming_it(string setting, string value)
    {
        var settings = new Dictionary<string, string>(Settings("prod", "json"), StringComparer.OrdinalIgnoreCase) { [setting] = value };

        using var app = StartedApp(settings, out _);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(setting.Replace("__", ":", StringComparison.Ordinal), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_localhost_run_mode_on_the_platform_without_approved_regions_refuses_to_start()
    {
        // Unenforced residency is for a developer's machine only: where the platform names a region, never.
        var settings = Settings("prod", "json")
            .Where(s => !s.Key.StartsWith("Residency__AllowedRegions", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(StringComparer.OrdinalIgnoreCase);
        using var app = StartedApp(settings, out _, out _, RunMode.LocalHost, Environments.Development);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Residency:AllowedRegions", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_localhost_run_mode_outside_development_refuses_to_start()
    {
        var settings = Settings("prod", "json");
        using var app = StartedApp(settings, out _, out _, RunMode.LocalHost, Environments.Production, onPlatform: false);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Development", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brokers_and_customs_certificate_pins_reach_the_app_and_the_app_starts_on_them()
    {
        var settings = Settings("prod", "edifact", values =>
        {
            values["brokers"] = new JsonObject
            {
                ["value"] = new JsonArray(
                    new JsonObject { ["name"] = "brokerabc", ["sshPublicKeys"] = new JsonArray("ssh-ed25519 AAAAC3Nza abc@host") },
                    new JsonObject { ["name"] = "brokerxyz", ["sshPublicKeys"] = new JsonArray("ssh-ed25519 AAAAC3Nzb xyz@host") }),
            };
            values["customsCallerCertificateThumbprints"] = new JsonObject { ["value"] = new JsonArray(new string('A', 40)) };
        });

        Assert.Equal("True", settings["CallerCertificates__Required"]);
        Assert.Equal(new string('A', 40), settings["CallerCertificates__PinnedThumbprints__0"]);
        Assert.Equal("SftpOwner", settings["Batch__UploaderIdentity"]);
        Assert.Equal("1000", settings["Batch__Brokers__brokerabc__SftpUserId"]);
        Assert.Equal("1001", settings["Batch__Brokers__brokerxyz__SftpUserId"]);

        await using var app = StartedApp(settings, out var tracking, out var services);
        app.GetRequiredService<IStartupValidator>().Validate();
        UseEverything(app, services);
        var batch = app.GetRequiredService<IOptions<PortCustoms.Core.Batch.BatchOptions>>().Value;
        Assert.Equal(PortCustoms.Core.Batch.BatchUploaderIdentity.SftpOwner, batch.UploaderIdentity);
        Assert.Equal("1001", batch.Brokers["brokerxyz"].SftpUserId);
        var unread = DeployedAppSettings.AsConfiguration(settings).Select(s => s.Key)
            .Where(key => !tracking.KeysRead.Contains(key) && !ReadByTheHost.ContainsKey(key)).ToList();
        Assert.Empty(unread);
    }

    [Fact]
    public async Task The_authoritys_signing_certificate_reaches_the_app_and_makes_signatures_required()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=customs-signing", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // A GitHub variable keeps the PEM's line breaks; the app setting must carry them as they are.
        var pem = certificate.ExportCertificatePem();
        var settings = Settings("prod", "json", values =>
        {
            values["customsSigningCertificates"] = new JsonObject { ["value"] = new JsonArray(pem) };
            values["customsSigningThumbprints"] = new JsonObject { ["value"] = new JsonArray(certificate.Thumbprint) };
        });

        Assert.Equal("Required", settings["CustomsPlatform__InboundSignatures__Mode"]);
        Assert.Equal(pem, settings["CustomsPlatform__InboundSignatures__Certificates__0"]);

        await using var app = StartedApp(settings, out var tracking, out var services);
        app.GetRequiredService<IStartupValidator>().Validate();
        UseEverything(app, services);
        var signatures = app.GetRequiredService<IOptions<PortCustoms.Core.Security.InboundSignatureOptions>>().Value;
        Assert.True(signatures.IsRequired);
        var trusted = Assert.Single(signatures.LoadCertificates());
        Assert.Equal(certificate.Thumbprint, trusted.Thumbprint);
        var unread = DeployedAppSettings.AsConfiguration(settings).Select(s => s.Key)
            .Where(key => !tracking.KeysRead.Contains(key) && !ReadByTheHost.ContainsKey(key)).ToList();
        Assert.Empty(unread);
    }

    [Fact]
    public void The_parameter_files_take_the_signing_certificate_from_the_deployment_environment()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=customs-signing", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pem = certificate.ExportCertificatePem();
        var output = Path.Combine(Directory.CreateTempSubdirectory("portcustoms-params-").FullName, "prod.parameters.json");
        try
        {
            // What deploy.yml passes from the GitHub environment's variables (a multi-line PEM included).
            var run = BicepCli.Run(RepoPaths.Bicep, new Dictionary<string, string>
            {
                ["PORTCUSTOMS_CUSTOMS_SIGNING_CERTIFICATE"] = pem,
                ["PORTCUSTOMS_CUSTOMS_SIGNING_THUMBPRINTS"] = certificate.Thumbprint,
            }, "build-params", "prod.bicepparam", "--outfile", output);
            Assert.True(run.ExitCode == 0, run.ToString());
            var parameters = JsonNode.Parse(File.ReadAllText(output))!["parameters"]!.AsObject();

            var settings = DeployedAppSettings.For(Arm.Root(infra.MainJson, parameters));

            Assert.Equal("Required", settings["CustomsPlatform__InboundSignatures__Mode"]);
            Assert.Equal(pem, settings["CustomsPlatform__InboundSignatures__Certificates__0"]);
            Assert.Equal(certificate.Thumbprint, settings["CustomsPlatform__InboundSignatures__Thumbprints__0"]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    [Fact]
    public void A_signing_pin_that_matches_no_configured_certificate_stops_the_app()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=customs-signing", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var settings = Settings("prod", "json", values =>
        {
            values["customsSigningCertificates"] = new JsonObject { ["value"] = new JsonArray(certificate.ExportCertificatePem()) };
            values["customsSigningThumbprints"] = new JsonObject { ["value"] = new JsonArray(new string('B', 40)) };
        });

        using var app = StartedApp(settings, out _);
        var failure = Record.Exception(() => app.GetRequiredService<IStartupValidator>().Validate());

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("InboundSignatures", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_signing_certificate_the_infrastructure_leaves_signatures_off()
    {
        Assert.Equal("Off", Settings("prod", "json")["CustomsPlatform__InboundSignatures__Mode"]);
        Assert.Equal("Off", Settings("dev", "none")["CustomsPlatform__InboundSignatures__Mode"]);
    }

    [Fact]
    public void Without_customs_certificate_pins_the_infrastructure_does_not_require_client_certificates()
    {
        Assert.Equal("False", Settings("prod", "json")["CallerCertificates__Required"]);
    }

    private IReadOnlyDictionary<string, string> Settings(string environment, string customsProfile, Action<JsonObject>? customize = null)
    {
        var parameters = environment == "prod" ? infra.ProdParameters : infra.DevParameters;
        var extra = customsProfile switch
        {
            "none" => [],
            "json" => new JsonObject { ["CustomsPlatform__BaseAddress"] = "https://customs.example.net/api/" },
            "edifact" => new JsonObject { ["CustomsPlatform__BaseAddress"] = "https://customs.example.net/api/", ["CustomsPlatform__Format"] = "edifact" },
            _ => throw new ArgumentOutOfRangeException(nameof(customsProfile)),
        };

        // A port's customs profile goes in through the extraAppSettings parameter, as the deploy guide says.
        var values = parameters["parameters"]!.DeepClone().AsObject();
        values["extraAppSettings"] = new JsonObject { ["value"] = extra };
        customize?.Invoke(values);
        return DeployedAppSettings.For(Arm.Root(infra.MainJson, values));
    }

    private static ServiceProvider StartedApp(IReadOnlyDictionary<string, string> settings, out ReadTrackingConfigurationSource tracking) =>
        StartedApp(settings, out tracking, out _);

    private static ServiceProvider StartedApp(
        IReadOnlyDictionary<string, string> settings,
        out ReadTrackingConfigurationSource tracking,
        out IServiceCollection services,
        RunMode runMode = RunMode.Azure,
        string environmentName = "Production",
        bool onPlatform = true)
    {
        // What the platform adds beside the app settings on Flex Consumption.
        var platform = new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environmentName,
        };
        if (onPlatform)
        {
            platform["REGION_NAME"] = settings.TryGetValue("Residency__Region", out var region) ? region : "West Europe";
        }

        tracking = new ReadTrackingConfigurationSource(DeployedAppSettings.AsConfiguration(settings).Concat(platform));
        var configuration = new ConfigurationBuilder().Add(tracking).Build();
        var environment = new HostingEnvironment { EnvironmentName = environmentName, ApplicationName = "PortCustoms.Functions", ContentRootPath = AppContext.BaseDirectory };

        services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPortCustomsApp(configuration, environment, runMode);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Binds every options type the app registers and builds every one of the app's own singletons (storage and
    /// Service Bus clients, the residency guard, ...), as first use would, so that every key the app reads is asked for.
    /// </summary>
    private static void UseEverything(ServiceProvider app, IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition))
        {
            var type = descriptor.ServiceType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            {
                var options = app.GetRequiredService(typeof(IOptionsMonitor<>).MakeGenericType(type.GetGenericArguments()[0]));
                _ = options.GetType().GetProperty(nameof(IOptionsMonitor<object>.CurrentValue))!.GetValue(options);
            }
            else if (type.Assembly.GetName().Name is { } assembly && (assembly.StartsWith("PortCustoms.", StringComparison.Ordinal) || assembly.StartsWith("Azure.", StringComparison.Ordinal)))
            {
                _ = app.GetServices(type).ToList();
            }
        }
    }
}
