using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PortCustoms.Cloud.CustomsPlatform;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Events;

/// <summary>Where status events go at customs (section <c>CustomsPlatform</c>, shared with the gate path's adapter).</summary>
public sealed class CustomsEventSinkOptions
{
    public const string SectionName = "CustomsPlatform";

    /// <summary>The customs platform's base address (HTTPS in Azure).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Relative to <see cref="BaseAddress"/>.</summary>
    [Required]
    public string StatusEventsPath { get; set; } = "v1/status-events";

    /// <summary>One attempt's limit; retries are the message handler's (held session, back-off), not the HTTP pipeline's.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan StatusEventAttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Validates <see cref="CustomsEventSinkOptions"/> at start (source-generated from its data annotations).</summary>
[OptionsValidator]
public sealed partial class CustomsEventSinkOptionsValidator : IValidateOptions<CustomsEventSinkOptions>
{
}

/// <summary>
/// Posts each event as JSON to <c>{CustomsPlatform:BaseAddress}/v1/status-events</c> through a named HttpClient,
/// with the event id as <c>Idempotency-Key</c> (customs drops a repeat: delivery is at least once, the effect once).
/// 2xx and 409 are delivered; 408, 429, 5xx, timeouts and connection failures are transient; other 4xx permanent.
/// </summary>
public sealed class HttpCustomsEventSink : CustomsEventSink
{
    public const string HttpClientName = "PortCustoms.CustomsStatusEvents";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly CustomsEventSinkOptions _options;
    private readonly ClientCertificateProvider? _certificates;
    private readonly PortCustoms.Core.CodeLists.CodeListService _codeLists;

    /// <summary>With <paramref name="certificates"/>: the customs platform adapter's mutual TLS certificate (Key Vault), when registered.</summary>
    public HttpCustomsEventSink(IHttpClientFactory httpClientFactory, IOptions<CustomsEventSinkOptions> options, ClientCertificateProvider? certificates = null,
        PortCustoms.Core.CodeLists.CodeListService? codeLists = null)
    {
        _codeLists = codeLists ?? PortCustoms.Core.CodeLists.CodeListService.Shipped;
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _certificates = certificates;
    }

    public override async Task<CustomsDeliveryResult> DeliverAsync(CustomsStatusNotice notice, CancellationToken cancellationToken = default)
    {
        if (_options.BaseAddress is null)
        {
            // Held, never dropped: the queue keeps the events until customs is configured.
            return CustomsDeliveryResult.TransientFailure("CustomsPlatform:BaseAddress is not configured");
        }
        if (await PreloadCertificateAsync(_certificates, cancellationToken).ConfigureAwait(false) is { } unavailable)
        {
            return unavailable;
        }
        var client = _httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress, _options.StatusEventsPath));
        request.Headers.Add("Idempotency-Key", notice.Event.EventId);
        request.Content = new ByteArrayContent(CustomsStatusEventWriter.ToUtf8Bytes(notice, _codeLists.Lists.SizeTypes));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(client, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads (or refreshes) the client certificate before the handshake, whose selection callback then finds it.
    /// Null when ready or not configured; Key Vault unreachable is "not now": held and retried, never dropped.
    /// </summary>
    internal static async Task<CustomsDeliveryResult?> PreloadCertificateAsync(ClientCertificateProvider? certificates, CancellationToken cancellationToken)
    {
        if (certificates is { IsConfigured: true })
        {
            try
            {
                // Loaded (or refreshed) before the handshake, whose selection callback then finds it.
                await certificates.GetCertificateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Key Vault unreachable is "not now": held and retried, never dropped.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return CustomsDeliveryResult.TransientFailure($"client certificate unavailable: {ex.GetType().Name}");
            }
        }
        return null;
    }

    /// <summary>Sends one delivery and classifies the outcome; every failure but the caller's cancellation is an answer.</summary>
    internal static async Task<CustomsDeliveryResult> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            return CustomsDeliveryResult.TransientFailure($"connection failed: {ex.HttpRequestError}");
        }
        catch (OperationCanceledException)
        {
            return CustomsDeliveryResult.TransientFailure("timed out");
        }
#pragma warning disable CA1031 // Resilience handler rejections (timeout, circuit open) are all "not now".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return CustomsDeliveryResult.TransientFailure(ex.GetType().Name);
        }
    }

    public static CustomsDeliveryResult Classify(HttpStatusCode status)
    {
        var code = (int)status;
        return code switch
        {
            >= 200 and < 300 => CustomsDeliveryResult.Delivered,
            // Customs already has this event id: the effect happened once.
            409 => CustomsDeliveryResult.Delivered,
            408 or 429 or >= 500 => CustomsDeliveryResult.TransientFailure($"HTTP {code}"),
            _ => CustomsDeliveryResult.PermanentFailure($"HTTP {code}"),
        };
    }
}
