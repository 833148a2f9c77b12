using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Messaging;
using PortCustoms.Core.Residency;

namespace PortCustoms.Cloud;

/// <summary>
/// How the app runs, chosen in code by its composition root (the worker's Program.cs says <see cref="Azure"/>,
/// PortCustoms.LocalHost says <see cref="LocalHost"/>), never by a setting that a deployment could lose or get wrong.
/// </summary>
public enum RunMode
{
    /// <summary>
    /// The Functions worker. Fails closed: Service Bus, identity-based storage and the residency settings are required,
    /// and the worker refuses to start naming each one that is missing. No stand-in is registered.
    /// </summary>
    Azure = 0,

    /// <summary>
    /// PortCustoms.LocalHost (and tests) in the Development environment: the status-event queue may be LocalHost's own
    /// (on Azurite) and residency may be unenforced off the platform. Refused outside Development, and on the platform
    /// (<c>REGION_NAME</c> set) without approved regions.
    /// </summary>
    LocalHost = 1,
}

/// <summary>The app's run mode as an options type, so that its requirements are checked with every other option at start.</summary>
public sealed class RunModeOptions
{
    [EnumDataType(typeof(RunMode))]
    public RunMode Mode { get; set; }
}

/// <summary>Validates <see cref="RunModeOptions"/> at start (source-generated); <see cref="RunModeRequirements"/> checks what the mode needs.</summary>
[OptionsValidator]
public sealed partial class RunModeOptionsValidator : IValidateOptions<RunModeOptions>
{
}

/// <summary>
/// What each <see cref="RunMode"/> requires of the configuration, checked at start (<c>ValidateOnStart</c>). Each failure
/// names the setting both as configuration reads it (<c>ServiceBus:FullyQualifiedNamespace</c>) and as an app setting
/// (<c>ServiceBus__fullyQualifiedNamespace</c>).
/// </summary>
public sealed class RunModeRequirements(
    IConfiguration configuration,
    IHostEnvironment environment,
    IOptions<ServiceBusEventQueueOptions> serviceBus,
    IOptions<ResidencyOptions> residency) : IValidateOptions<RunModeOptions>
{
    public const string StorageConnectionName = "AzureWebJobsStorage";

    public ValidateOptionsResult Validate(string? name, RunModeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Mode switch
        {
            RunMode.Azure => AzureFailures(),
            RunMode.LocalHost => LocalHostFailures(),
            _ => [$"Run mode {options.Mode} is not known."],
        };
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private List<string> AzureFailures()
    {
        var failures = new List<string>();
        const string InAzure = "the app runs in Azure mode and refuses to start";
        var bus = serviceBus.Value;
        if (string.IsNullOrWhiteSpace(bus.FullyQualifiedNamespace))
        {
            failures.Add($"ServiceBus:FullyQualifiedNamespace (app setting ServiceBus__fullyQualifiedNamespace) is not set: {InAzure}; status events go to Service Bus, the local queue is LocalHost's only.");
        }
        if (!string.IsNullOrWhiteSpace(bus.ConnectionString))
        {
            failures.Add($"ServiceBus:ConnectionString (app setting ServiceBus__ConnectionString) is set: {InAzure}; shared keys are not allowed in Azure, use ServiceBus__fullyQualifiedNamespace with the managed identity.");
        }

        if (!string.IsNullOrWhiteSpace(configuration[StorageConnectionName]))
        {
            failures.Add($"{StorageConnectionName} is a connection string: {InAzure}; storage is identity-based in Azure ({StorageConnectionName}__blobServiceUri, {StorageConnectionName}__tableServiceUri).");
        }
        else
        {
            var storage = configuration.GetSection(StorageConnectionName);
            foreach (var service in new[] { "blobServiceUri", "tableServiceUri" })
            {
                if (string.IsNullOrWhiteSpace(storage[service]) && string.IsNullOrWhiteSpace(storage["accountName"]))
                {
                    failures.Add($"{StorageConnectionName}:{service} (app setting {StorageConnectionName}__{service}) is not set: {InAzure} without durable storage.");
                }
            }
        }
        if (!string.IsNullOrWhiteSpace(configuration["ContainerEvents:TimelineStore:ConnectionString"]))
        {
            failures.Add($"ContainerEvents:TimelineStore:ConnectionString is set: {InAzure}; it is for local use only (in Azure the timelines use {StorageConnectionName} or ContainerEvents__TimelineStore__TableServiceUri).");
        }

        var regions = residency.Value;
        if (string.IsNullOrWhiteSpace(regions.Region))
        {
            failures.Add($"Residency:Region (app setting Residency__Region) is not set: {InAzure} rather than process customs data without knowing where.");
        }
        if (!regions.AllowedRegions.Any(r => !string.IsNullOrWhiteSpace(r)))
        {
            failures.Add($"Residency:AllowedRegions (app setting Residency__AllowedRegions) is not set: {InAzure} rather than process customs data in any region.");
        }
        return failures;
    }

    private List<string> LocalHostFailures()
    {
        var failures = new List<string>();
        if (!environment.IsDevelopment())
        {
            failures.Add($"Run mode LocalHost needs the Development environment (this is '{environment.EnvironmentName}'): its stand-ins are for a developer's machine and tests only.");
        }
        // On the platform (it names the region) residency is never left unenforced, whatever the mode.
        failures.AddRange(ResidencyGuard.ValidateAtStart(residency.Value, configuration[ResidencyGuard.PlatformRegionVariable]));
        return failures;
    }
}
