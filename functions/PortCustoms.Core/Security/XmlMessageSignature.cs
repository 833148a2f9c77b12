using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace PortCustoms.Core.Security;

/// <summary>
/// XML-DSig for whole messages: one enveloped signature, last child of the root, whose single reference is the whole
/// document (<c>URI=""</c>, enveloped-signature and exclusive C14N transforms), RSA-SHA256 or ECDSA-SHA256, the signer's
/// certificate in <c>KeyInfo</c>. Verification accepts exactly that shape, so nothing outside the signed content can be
/// slipped in (signature wrapping), and takes the key only from a trusted certificate, never from the message alone.
/// </summary>
public static class XmlMessageSignature
{
    private const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    private static readonly string[] s_methods = [SignedXml.XmlDsigRSASHA256Url, EcdsaSha256];

    static XmlMessageSignature()
    {
        // SignedXml knows RSA-SHA256 but not ECDSA-SHA256 (RFC 4051): register its description once.
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), EcdsaSha256);
    }

    /// <summary>Reads a document for signing or checking: DTDs prohibited, no resolver (no XXE, no entity expansion), whitespace kept.</summary>
    public static XmlDocument Load(Stream content)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(content, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    public static void Sign(XmlDocument document, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(certificate);
        var root = document.DocumentElement ?? throw new ArgumentException("The document has no root element.", nameof(document));
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The signing certificate has no RSA or EC private key.", nameof(certificate));
        using (key)
        {
            var signed = new SignedXml(document) { SigningKey = key };
            signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
            signed.SignedInfo.SignatureMethod = key is RSA ? SignedXml.XmlDsigRSASHA256Url : EcdsaSha256;
            var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
            reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
            reference.AddTransform(new XmlDsigExcC14NTransform());
            signed.AddReference(reference);
            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(certificate));
            signed.KeyInfo = keyInfo;
            signed.ComputeSignature();
            root.AppendChild(document.ImportNode(signed.GetXml(), deep: true));
        }
    }

    public static SignatureCheck Verify(XmlDocument document, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(trusted);
        var root = document.DocumentElement;
        var signatures = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (root is null || signatures.Count == 0)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Missing, "The document carries no XML signature.");
        }
        if (signatures.Count > 1 || signatures[0]!.ParentNode != root)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "Exactly one signature is accepted, as a child of the root element.");
        }
        var signed = new SignedXml(document);
        try
        {
            signed.LoadXml((XmlElement)signatures[0]!);
        }
        catch (CryptographicException)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The XML signature cannot be read.");
        }
        if (signed.SignedInfo is not { } info || info.References.Count != 1 || info.References[0] is not Reference { Uri: "" } reference)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The signature must have one reference to the whole document (URI=\"\").");
        }
        if (!s_methods.Contains(info.SignatureMethod, StringComparer.Ordinal) || reference.DigestMethod != SignedXml.XmlDsigSHA256Url)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Algorithm, $"Signature method '{info.SignatureMethod}' or digest '{reference.DigestMethod}' is not accepted (RSA-SHA256 or ECDSA-SHA256, SHA-256).");
        }
        List<string?> transforms = [];
        for (var i = 0; i < reference.TransformChain.Count; i++)
        {
            transforms.Add(reference.TransformChain[i].Algorithm);
        }
        if (transforms.Any(t => t is not (SignedXml.XmlDsigEnvelopedSignatureTransformUrl or SignedXml.XmlDsigExcC14NTransformUrl or SignedXml.XmlDsigC14NTransformUrl)))
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Algorithm, "Only the enveloped-signature and canonicalization transforms are accepted.");
        }
        var presented = signed.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.Cast<X509Certificate2>() ?? []).ToList() ?? [];
        var certificate = trusted.FirstOrDefault(t => presented.Any(p => p.RawData.AsSpan().SequenceEqual(t.RawData)));
        if (certificate is null)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.UntrustedKey, "The document was signed with a certificate that is not trusted for this sender.");
        }
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Expired, $"The signing certificate is not valid at {now:O}.");
        }
        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPublicKey() : null;
        AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)rsa ?? ecdsa;
        return key is not null && signed.CheckSignature(key)
            ? SignatureCheck.Ok(certificate.Thumbprint)
            : SignatureCheck.Refused(SignatureErrorCodes.Invalid, "The XML signature does not match the document: it was changed, or signed with another key.");
    }
}

/// <summary>ECDSA with SHA-256 for SignedXml: the signature value is r||s (IEEE P1363), as XML-DSig (RFC 4051) defines it.</summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    public EcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter((ECDsa)key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter((ECDsa)key);

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) => key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) => key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
