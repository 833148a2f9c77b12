using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Core.CustomsPlatform;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>
/// Status events to a customs platform that speaks WCO XML (<c>CustomsPlatform:Format = xml</c>): each event posted as a
/// <c>ContainerStatusReport</c> (<c>application/xml</c>, validated against our XSD as it is written) to the same address,
/// with the same idempotency key and the same classification of answers as <see cref="HttpCustomsEventSink"/>. The
/// size-type goes out in its ISO 6346 (1995) code, as in the JSON and EDIFACT payloads. An event the schema refuses is
/// a permanent failure: dead-lettered with the first finding, never dropped.
/// </summary>
public sealed class XmlCustomsEventSink : CustomsEventSink
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly CustomsEventSinkOptions _options;
    private readonly XmlCustomsMessageFormat _format;
    private readonly ClientCertificateProvider? _certificates;
    private readonly PortCustoms.Core.CodeLists.CodeListService _codeLists;

    /// <summary>With <paramref name="certificates"/>: the customs platform adapter's mutual TLS certificate (Key Vault), when registered.</summary>
    public XmlCustomsEventSink(IHttpClientFactory httpClientFactory, IOptions<CustomsEventSinkOptions> options, XmlCustomsMessageFormat format, ClientCertificateProvider? certificates = null,
        PortCustoms.Core.CodeLists.CodeListService? codeLists = null)
    {
        _codeLists = codeLists ?? PortCustoms.Core.CodeLists.CodeListService.Shipped;
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory ?? throw new ArgumentNullException(nameof(httpClientFactory));
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _options = options.Value;
        _certificates = certificates;
    }

    public override async Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
    {
        if (_options.BaseAddress is null)
        {
            return CustomsDeliveryResult.TransientFailure("CustomsPlatform:BaseAddress is not configured");
        }
        ReadOnlyMemory<byte> body;
        try
        {
            body = _format.Encode(EdifactCustomsEventSink.WithCanonicalSizeType(notice.Event, _codeLists));
        }
        catch (MessageHeldException ex)
        {
            // The platform's version needs a field only configuration can supply: held and retried, not dead-lettered.
            return CustomsDeliveryResult.TransientFailure(ex.Message);
        }
        catch (NotSupportedException ex)
        {
            // The schema refuses it: it will never encode.
            return CustomsDeliveryResult.PermanentFailure(ex.Message);
        }
        if (await HttpCustomsEventSink.PreloadCertificateAsync(_certificates, cancellationToken).ConfigureAwait(false) is { } unavailable)
        {
            return unavailable;
        }
        var client = _httpClientFactory.CreateClient(HttpCustomsEventSink.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress, _options.StatusEventsPath));
        request.Headers.Add("Idempotency-Key", notice.Event.EventId);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_format.MediaType);
        return await HttpCustomsEventSink.SendAsync(client, request, cancellationToken).ConfigureAwait(false);
    }
}
