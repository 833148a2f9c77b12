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
        services.TryAddSingleton(sp => new EdifactCustomsMessageFormat(sp.GetRequiredService<IOptions<EdifactFormatOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, EdifactCustomsMessageFormat>(sp => sp.GetRequiredService<EdifactCustomsMessageFormat>()));
        // Status events follow the platform's format: EDIFACT platforms get CODECO/COARRI instead of JSON (the flow
        // resolves the sink keyed by CustomsPlatform:Format).
        services.TryAddKeyedSingleton<CustomsEventSink, EdifactCustomsEventSink>(EdifactCustomsMessageFormat.FormatName);
        // WCO XML (issue 15): CustomsPlatform:Format = xml sends status events as ContainerStatusReport documents; the
        // gate's live query has no XML document (the gate then decides from notifications, which arrive as application/xml).
        services.TryAddSingleton(sp => new XmlCustomsMessageFormat());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<CustomsMessageFormat, XmlCustomsMessageFormat>(sp => sp.GetRequiredService<XmlCustomsMessageFormat>()));
        services.TryAddKeyedSingleton<CustomsEventSink, XmlCustomsEventSink>(XmlCustomsMessageFormat.FormatName);
        return services;
    }
}
