using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortCustoms.Core.Security;

namespace PortCustoms.Core.Customs;

/// <summary>The three formats a customs notification arrives in, each signed its own way.</summary>
public enum SignedNotificationFormat
{
    /// <summary>Detached JWS in <see cref="DetachedJws.HeaderName"/>.</summary>
    Json,

    /// <summary>Enveloped XML-DSig (<see cref="XmlMessageSignature"/>).</summary>
    Xml,

    /// <summary>AUTACK in the same interchange (<see cref="Autack"/>).</summary>
    Edifact,
}

/// <summary>What checking a notification's signature came to: refused (kept for audit under <see cref="AuditId"/>), or the content to process.</summary>
public sealed record SignatureVerdict(SignatureCheck? Refusal, string? AuditId, ReadOnlyMemory<byte> Content)
{
    public bool Refused => Refusal is not null;
}

/// <summary>
/// Checks the customs authority's signature on a notification before anything of it is processed
/// (<c>CustomsPlatform:InboundSignatures</c>). A refused notification is kept for audit, bytes untouched, with the
/// reason, caller and time (<see cref="IRefusedNotificationStore"/>), and logged without its content. An XML document's
/// signature is removed once checked: the XSD describes the response, not its signature.
/// </summary>
public sealed class InboundSignatureVerifier
{
    private readonly InboundSignatureOptions _options;
    private readonly IReadOnlyList<X509Certificate2> _trusted;
    private readonly IRefusedNotificationStore _refused;
    private readonly TimeProvider _time;
    private readonly ILogger<InboundSignatureVerifier> _logger;

    public InboundSignatureVerifier(IOptions<InboundSignatureOptions> options, IRefusedNotificationStore refused, TimeProvider time, ILogger<InboundSignatureVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _trusted = _options.LoadCertificates();
        _refused = refused ?? throw new ArgumentNullException(nameof(refused));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public bool Required => _options.IsRequired;

    /// <summary>The AUTACK check alone, for a batch file from the authority's channel (its quarantine keeps the original).</summary>
    public Task<SignatureCheck> VerifyAutackAsync(ReadOnlyMemory<byte> interchange, CancellationToken cancellationToken = default) =>
        Autack.VerifyAsync(interchange, _trusted, _time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// The verdict on <paramref name="body"/>. Refused: kept for audit first (a failure to keep it throws, so the caller
    /// answers 503 and customs sends it again: nothing received is lost).
    /// </summary>
    public async Task<SignatureVerdict> CheckAsync(SignedNotificationFormat format, ReadOnlyMemory<byte> body, NotificationOrigin origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!Required)
        {
            return new SignatureVerdict(null, null, body);
        }
        var now = _time.GetUtcNow();
        var content = body;
        SignatureCheck check;
        switch (format)
        {
            case SignedNotificationFormat.Json:
                check = DetachedJws.Verify(body.Span, origin.Signature, _trusted, now);
                break;
            case SignedNotificationFormat.Xml:
                (check, content) = VerifyXml(body, now);
                break;
            default:
                check = await Autack.VerifyAsync(body, _trusted, now, cancellationToken).ConfigureAwait(false);
                break;
        }
        if (check.Valid)
        {
            return new SignatureVerdict(null, null, content);
        }
        var mediaType = format switch { SignedNotificationFormat.Json => "application/json", SignedNotificationFormat.Xml => "application/xml", _ => "application/EDIFACT" };
        var id = await _refused.KeepAsync(new RefusedNotification(body, mediaType, check.Code!, check.Detail, origin.Caller, now, origin.Signature), cancellationToken).ConfigureAwait(false);
        _logger.NotificationSignatureRefused(format, check.Code!, origin.Caller, id, body.Length);
        return new SignatureVerdict(check, id, body);
    }

    private (SignatureCheck Check, ReadOnlyMemory<byte> Content) VerifyXml(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        XmlDocument document;
        try
        {
            document = XmlMessageSignature.Load(new MemoryStream(body.ToArray(), writable: false));
        }
        catch (XmlException)
        {
            return (SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The document is not well-formed XML (or has a DOCTYPE): its signature cannot be checked."), body);
        }
        var check = XmlMessageSignature.Verify(document, [.. _trusted, .. PresentedAndPinned(document)], now);
        if (!check.Valid)
        {
            return (check, body);
        }
        var signature = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        using var stripped = new MemoryStream();
        document.Save(stripped);
        return (check, stripped.ToArray());
    }

    /// <summary>With thumbprint pins, a certificate the document presents in its KeyInfo is trusted when pinned.</summary>
    private IEnumerable<X509Certificate2> PresentedAndPinned(XmlDocument document)
    {
        if (_options.Thumbprints.Count == 0)
        {
            yield break;
        }
        foreach (XmlNode node in document.GetElementsByTagName("X509Certificate", SignedXml.XmlDsigNamespaceUrl))
        {
            X509Certificate2? certificate = null;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(node.InnerText.Trim()));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                // Not a certificate: nothing to trust.
            }
            if (certificate is not null && _options.IsPinned(certificate))
            {
                yield return certificate;
            }
        }
    }
}
