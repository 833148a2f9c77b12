using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;
using PortCustoms.Core.Model;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Status events to a customs platform that speaks UN/EDIFACT (<c>CustomsPlatform:Format = edifact</c>): each event
/// posted as a CODECO (gate) or COARRI (vessel) interchange to the same address, with the same idempotency key and the
/// same classification of answers as <see cref="HttpCustomsEventSink"/>. The size-type goes out in its ISO 6346 (1995)
/// code, as in the JSON payload. Events no EDIFACT status message carries (STRIPPED, STUFFED, INSPECTED, ANNOUNCED)
/// are permanent failures: dead-lettered with the reason, never dropped.
/// </summary>
public sealed class EdifactCustomsEventSink : CustomsEventSink
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly CustomsEventSinkOptions _options;
    private readonly EdifactCustomsMessageFormat _format;
    private readonly ClientCertificateProvider? _certificates;
    private readonly PortCustoms.Core.CodeLists.CodeListService _codeLists;

    /// <summary>With <paramref name="certificates"/>: the customs platform adapter's mutual TLS certificate (Key Vault), when registered.</summary>
    public EdifactCustomsEventSink(IHttpClientFactory httpClientFactory, IOptions<CustomsEventSinkOptions> options, EdifactCustomsMessageFormat format, ClientCertificateProvider? certificates = null,
        PortCustoms.Core.CodeLists.CodeListService? codeLists = null)
    {
        _codeLists = codeLists ?? PortCustoms.Core.CodeLists.CodeListService.Shipped;
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory ?? throw new ArgumentNullException(nameof(httpClientFactory));
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _options = options.Value;
        _certificates = certificates;
    }

    public override string MessageTypeFor(ContainerStatusEvent statusEvent) =>
        PortCustoms.Core.Translation.StatusEventMapping.MessageFor(statusEvent?.Type ?? ContainerEventType.None)?.MessageType ?? "STATUS-EVENT";

    public override async Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
    {
        if (_options.BaseAddress is null)
        {
            return CustomsDeliveryResult.TransientFailure("CustomsPlatform:BaseAddress is not configured");
        }
        var e = notice.Event;
        ReadOnlyMemory<byte> body;
        try
        {
            body = _format.Encode(WithCanonicalSizeType(e, _codeLists));
        }
        catch (NotSupportedException ex)
        {
            return CustomsDeliveryResult.PermanentFailure(ex.Message);
        }
        catch (ArgumentException ex)
        {
            // A value outside the interchange's character set: it will never encode.
            return CustomsDeliveryResult.PermanentFailure(ex.Message);
        }
        if (await HttpCustomsEventSink.PreloadCertificateAsync(_certificates, cancellationToken).ConfigureAwait(false) is { } unavailable)
        {
            return unavailable;
        }
        var client = _httpClientFactory.CreateClient(HttpCustomsEventSink.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress, _options.StatusEventsPath));
        request.Headers.Add("Idempotency-Key", e.EventId);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_format.MediaType);
        return await HttpCustomsEventSink.SendAsync(client, request, cancellationToken).ConfigureAwait(false);
    }

    internal static ContainerStatusEvent WithCanonicalSizeType(ContainerStatusEvent e, PortCustoms.Core.CodeLists.CodeListService codeLists)
    {
        if (e.SizeType.IsEmpty)
        {
            return e;
        }
        var canonical = codeLists.Lists.SizeTypes.Canonical(e.SizeType);
        return canonical == e.SizeType
            ? e
            : new ContainerStatusEvent(e.EventId, e.ContainerNumber, e.Type, e.OccurredAt)
            {
                VesselImo = e.VesselImo,
                Voyage = e.Voyage,
                Location = e.Location,
                SealNumbers = e.SealNumbers,
                GrossMassKg = e.GrossMassKg,
                SizeType = canonical,
            };
    }
}
