using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.Events;
using PortCustoms.Cloud.Security;
using PortCustoms.Core.Security;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Customs;
using PortCustoms.Core.Time;
using PortCustoms.Core.Versions;

namespace PortCustoms.Functions;

/// <summary>
/// EDIFACT (issue 4) and WCO XML (issue 15) in the app: the notification intake (CUSRES and CustomsResponse) and the
/// customs adapter's <c>edifact</c> and <c>xml</c> formats.
/// </summary>
public static class EdifactRegistration
{
    public static IServiceCollection AddEdifact(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPartnerTimeZones();
        services.TryAddSingleton<CustomsNotificationIntake>();
        // The authority's signatures on notifications (CustomsPlatform:InboundSignatures): checked before any intake,
        // refused ones kept for audit in the refused-notifications container.
        services.AddOptions<InboundSignatureOptions>().BindConfiguration(InboundSignatureOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboundSignatureOptions>, InboundSignatureOptionsValidator>());
        services.TryAddSingleton(sp => new BlobRefusedNotificationStore(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobRefusedNotificationStore.DefaultContainerName)));
        services.TryAddSingleton<IRefusedNotificationStore>(sp => sp.GetRequiredService<BlobRefusedNotificationStore>());
        services.TryAddSingleton<InboundSignatureVerifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RefusedNotificationsWarmup>());
        services.AddOptions<EdifactFormatOptions>().BindConfiguration(EdifactFormatOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdifactFormatOptions>, EdifactFormatOptionsValidator>());
        // Selected with CustomsPlatform:Format = edifact, next to the gate path's json.
        // Customs' answer to the live query reads a zoneless time in the authority's zone, as the notification intake does.
        services.TryAddSingleton(sp => new EdifactCustomsMessageFormat(
            sp.GetRequiredService<IOptions<EdifactFormatOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PartnerClocks>(),
            sp.GetService<IOptions<PortCustoms.Core.Gate.CustomsAuthorityOptions>>()?.Value,
            sp.GetService<PortCustoms.Core.CodeLists.CodeListService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, EdifactCustomsMessageFormat>(sp => sp.GetRequiredService<EdifactCustomsMessageFormat>()));
        // Status events follow the platform's format: EDIFACT platforms get CODECO/COARRI instead of JSON (the flow
        // resolves the sink keyed by CustomsPlatform:Format).
        services.TryAddKeyedSingleton<CustomsEventSink, EdifactCustomsEventSink>(EdifactCustomsMessageFormat.FormatName);
        // WCO XML (issue 15): CustomsPlatform:Format = xml sends status events as ContainerStatusReport documents; the
        // gate's live query asks with a StatusQuery document and reads a StatusAnswer; notifications arrive as application/xml.
        services.AddMessageVersions();
        services.TryAddSingleton(sp => new XmlCustomsMessageFormat(versions: sp.GetRequiredService<MessageVersionPolicy>(), codeLists: sp.GetService<PortCustoms.Core.CodeLists.CodeListService>(), time: sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, XmlCustomsMessageFormat>(sp => sp.GetRequiredService<XmlCustomsMessageFormat>()));
        services.TryAddKeyedSingleton<CustomsEventSink, XmlCustomsEventSink>(XmlCustomsMessageFormat.FormatName);
        return services;
    }

    /// <summary>Schema versions side by side (<c>MessageVersions</c>), validated at start; registered once.</summary>
    public static IServiceCollection AddMessageVersions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(MessageVersionPolicy)))
        {
            return services;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MessageVersionOptions>().BindConfiguration(MessageVersionOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessageVersionOptions>, MessageVersionOptionsValidator>());
        services.TryAddSingleton(sp => new MessageVersionPolicy(sp.GetRequiredService<IOptions<MessageVersionOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The senders' time zones (<c>PartnerTimeZones</c>), validated at start; registered once.</summary>
    public static IServiceCollection AddPartnerTimeZones(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(PartnerClocks)))
        {
            return services;
        }
        services.AddOptions<PartnerTimeZoneOptions>().BindConfiguration(PartnerTimeZoneOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PartnerTimeZoneOptions>, PartnerTimeZoneOptionsValidator>());
        services.TryAddSingleton<PartnerClocks>();
        return services;
    }
}
