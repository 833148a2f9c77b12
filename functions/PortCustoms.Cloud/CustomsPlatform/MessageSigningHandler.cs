using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using PortCustoms.Core.Security;

namespace PortCustoms.Cloud.CustomsPlatform;

/// <summary>
/// Signs what goes to customs when a signing certificate is configured (<c>CustomsPlatform:Signing</c>, Key Vault):
/// a JSON body gets a detached JWS in <c>X-JWS-Signature</c> (the body travels unchanged), an XML body an enveloped
/// XML-DSig signature, an EDIFACT interchange an AUTACK securing each of its messages (<see cref="Autack"/>, the profile
/// customs' AUTACK is checked with, appended before UNZ). Other bodies pass unsigned. Without a configured
/// certificate nothing is changed; with one that cannot be loaded the request fails, so an unsigned message never goes
/// out where signing is required (the sender holds it and retries).
/// </summary>
public sealed class MessageSigningHandler(Func<CancellationToken, ValueTask<X509Certificate2?>> certificate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is { } content && await certificate(cancellationToken).ConfigureAwait(false) is { } signer)
        {
            var mediaType = content.Headers.ContentType?.MediaType ?? string.Empty;
            var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (IsJson(mediaType))
            {
                request.Headers.Remove(DetachedJws.HeaderName);
                request.Headers.TryAddWithoutValidation(DetachedJws.HeaderName, DetachedJws.Sign(body, signer));
            }
            else if (IsXml(mediaType))
            {
                var document = XmlMessageSignature.Load(new MemoryStream(body));
                XmlMessageSignature.Sign(document, signer);
                using var signed = new MemoryStream();
                document.Save(signed);
                var replaced = new ByteArrayContent(signed.ToArray());
                foreach (var header in content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                request.Content = replaced;
                content.Dispose();
            }
            else if (IsEdifact(mediaType))
            {
                var replaced = new ByteArrayContent(await Autack.SignAsync(body, signer, cancellationToken: cancellationToken).ConfigureAwait(false));
                foreach (var header in content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                request.Content = replaced;
                content.Dispose();
            }
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    internal static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    internal static bool IsEdifact(string mediaType) => mediaType.Equals("application/EDIFACT", StringComparison.OrdinalIgnoreCase);

    internal static bool IsXml(string mediaType) =>
        mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
}
