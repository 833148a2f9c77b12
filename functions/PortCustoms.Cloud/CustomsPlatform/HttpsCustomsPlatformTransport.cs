using System.Net.Http.Headers;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PortCustoms.Core.CustomsPlatform;

namespace PortCustoms.Cloud.CustomsPlatform;

/// <summary>
/// HTTPS to the customs platform: POST of the encoded message to <c>{BaseAddress}/{operation}</c>, with the mutual TLS
/// client certificate when configured. The HTTP client (named per flow) carries that flow's resilience pipeline, so the
/// same transport serves the gate's live query (budgeted) and later deliveries (their own pipeline).
/// </summary>
public class HttpsCustomsPlatformTransport : CustomsPlatformTransport
{
    // A customs answer is small; a larger body is not an answer.
    private const int MaxResponseBytes = 1024 * 1024;

    private readonly IHttpClientFactory _clients;
    private readonly string _clientName;
    private readonly ClientCertificateProvider _certificates;
    private readonly ILogger<HttpsCustomsPlatformTransport> _logger;

    protected HttpsCustomsPlatformTransport()
    {
        _clients = null!;
        _clientName = null!;
        _certificates = null!;
        _logger = null!;
    }

    public HttpsCustomsPlatformTransport(IHttpClientFactory clients, string clientName, ClientCertificateProvider certificates, ILogger<HttpsCustomsPlatformTransport> logger)
    {
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _clientName = clientName ?? throw new ArgumentNullException(nameof(clientName));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public override async Task<CustomsTransportResponse> SendAsync(CustomsTransportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_certificates.IsConfigured)
        {
            try
            {
                // Loads on first use and refreshes when due; the handshake's selection callback then finds it in Current.
                await _certificates.GetCertificateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Fail(ex, request, CustomsPlatformFailureReason.ClientCertificateUnavailable);
            }
        }

        using var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(request.MediaType);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Operation) { Content = content };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.MediaType));
        try
        {
            var client = _clients.CreateClient(_clientName);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return new CustomsTransportResponse((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Fail(ex, request, CustomsPlatformFailureReason.Timeout);
        }
        catch (BrokenCircuitException ex)
        {
            throw Fail(ex, request, CustomsPlatformFailureReason.Unreachable);
        }
        catch (Exception ex) when (ex is HttpRequestException or AuthenticationException or IOException)
        {
            throw Fail(ex, request, CustomsPlatformFailureReason.Unreachable);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the caller's budget.
            throw Fail(ex, request, CustomsPlatformFailureReason.Timeout);
        }
    }

    private CustomsPlatformException Fail(Exception ex, CustomsTransportRequest request, CustomsPlatformFailureReason reason)
    {
        _logger.CustomsPlatformNoAnswer(ex, request.Operation, reason);
        return new CustomsPlatformException(reason, $"The customs platform gave no answer to {request.Operation}.", ex);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    return ReadOnlyMemory<byte>.Empty;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
