using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Globalization;
using System.Text;
using PortCustoms.Edifact;

namespace PortCustoms.Core.Security;

/// <summary>
/// EDIFACT AUTACK (ISO 9735-6, secure authentication and acknowledgement, syntax version 4 <c>AUTACK:4:1:UN</c>) in
/// one profile, the only one accepted (docs/signing.md):
/// <code>
/// UNH+ref+AUTACK:4:1:UN'
/// USH+7+secref'                      0501 7: referenced EDIFACT structure origin authentication; 0534 the security reference
/// USA+1:::16'                        hash: 0523 1 (owner hashing), 0527 16 = SHA-256
/// USC+certref+3::THUMBPRINT'         S500/0511: the signer certificate's SHA-256 thumbprint (hex); the certificate comes from configuration
/// USA+6:::10::PSS'  or  USA+6:::ECD' signature: 0523 6 (owner signing); RSA-PSS SHA-256, or ECDSA SHA-256 (r||s)
/// USB+1++sender+recipient'           S002/S003: the interchange's UNB sender and recipient
/// USX+icref++++++msgref'             0020 this interchange's reference, 0062 a message of it     } once per
/// USY+secref+1:HASH'                 S508: 0563 1, 0560 SHA-256 (hex) of the message's bytes     } secured message
/// UST+secref+n'
/// USR+1:SIGNATURE'                   the signature (hex) over the AUTACK's bytes from USH through the last USY
/// UNT+n+ref'
/// </code>
/// The hashed bytes of a message are exactly those received, its UNH through its UNT's terminator. Every other message
/// of the interchange must be secured by an AUTACK; anything outside the profile is refused with a positioned finding.
/// </summary>
public static class Autack
{
    public const string MessageType = "AUTACK";

    private const string HashAlgorithmCode = "16";
    private const string RsaCode = "10";
    private const string RsaPssPadding = "PSS";
    private const string EcdsaCode = "ECD";

    /// <summary>One message of the interchange as received: its reference, type and exact bytes.</summary>
    private sealed record Received(EdifactMessage Message, int Start, int End);

    /// <summary>
    /// Checks the AUTACK(s) of <paramref name="interchange"/> against the trusted certificates: each AUTACK's signature,
    /// each secured message's hash, and that every other message is secured. A body that is not a readable interchange
    /// is refused as malformed (the EDIFACT intake would refuse it anyway).
    /// </summary>
    public static async Task<SignatureCheck> VerifyAsync(ReadOnlyMemory<byte> interchange, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var messages = await ReadAsync(interchange, cancellationToken).ConfigureAwait(false);
        if (messages is null || messages.Count == 0 || messages[0].Message.Interchange is not { } header)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The body is not an EDIFACT interchange whose AUTACK could be checked.");
        }
        var autacks = messages.Where(m => m.Message.MessageType == MessageType).ToList();
        if (autacks.Count == 0)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Missing, "The interchange carries no AUTACK: its messages are not signed.");
        }
        var secured = new HashSet<string>(StringComparer.Ordinal);
        string? signer = null;
        foreach (var autack in autacks)
        {
            var check = VerifyOne(interchange.Span, autack, messages, header, trusted, now, secured);
            if (!check.Valid)
            {
                return check;
            }
            signer ??= check.SignerThumbprint;
        }
        if (messages.FirstOrDefault(m => m.Message.MessageType != MessageType && !secured.Contains(m.Message.Reference)) is { } open)
        {
            return Refused(SignatureErrorCodes.AutackUncovered, $"Message '{open.Message.Reference}' ({open.Message.MessageType}) is not secured by any AUTACK of the interchange.", open.Message.Header, 1);
        }
        return SignatureCheck.Ok(signer!);
    }

    private static SignatureCheck VerifyOne(ReadOnlySpan<byte> body, Received autack, List<Received> messages, EdifactInterchangeHeader header,
        IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now, HashSet<string> secured)
    {
        var segments = autack.Message.Segments;
        var unh = autack.Message.Header;
        if (autack.Message.MessageVersion != "4" || autack.Message.MessageRelease != "1" || autack.Message.ControllingAgency != "UN")
        {
            return Refused(SignatureErrorCodes.AutackStructure, $"Only AUTACK:4:1:UN is accepted; this is AUTACK:{autack.Message.MessageVersion}:{autack.Message.MessageRelease}:{autack.Message.ControllingAgency}.", unh, 2);
        }
        var i = 1;
        EdifactSegment? Next(string tag) => i < segments.Count && segments[i].Tag == tag ? segments[i++] : null;
        SignatureCheck Expected(string tag, string what) =>
            i < segments.Count
                ? Refused(SignatureErrorCodes.AutackStructure, $"Expected {tag} ({what}) here, found {segments[i].Tag}.", segments[i], 0)
                : Refused(SignatureErrorCodes.AutackStructure, $"The AUTACK ends before its {tag} ({what}).", segments[^1], 0);

        if (Next("USH") is not { } ush)
        {
            return Expected("USH", "security header");
        }
        var securityReference = ush.GetValue(2);
        if (ush.GetValue(1) != "7" || securityReference.Length == 0)
        {
            return Refused(SignatureErrorCodes.AutackStructure, "USH must name security function 7 (referenced structure origin authentication) and a security reference (0534).", ush, ush.GetValue(1) != "7" ? 1 : 2);
        }
        if (Next("USA") is not { } hash)
        {
            return Expected("USA", "hash algorithm");
        }
        if (hash.GetValue(1, 1) != "1" || hash.GetValue(1, 4) != HashAlgorithmCode)
        {
            return Refused(SignatureErrorCodes.Algorithm, $"The hash must be SHA-256 (USA+1:::{HashAlgorithmCode}); found use '{hash.GetValue(1, 1)}', algorithm '{hash.GetValue(1, 4)}'.", hash, 1, 4);
        }
        if (Next("USC") is not { } usc)
        {
            return Expected("USC", "certificate");
        }
        var thumbprint = usc.GetValue(2, 3);
        var certificate = trusted.FirstOrDefault(c => Convert.ToHexString(SHA256.HashData(c.RawData)).Equals(thumbprint, StringComparison.OrdinalIgnoreCase));
        if (certificate is null)
        {
            return Refused(SignatureErrorCodes.UntrustedKey, "The AUTACK names a certificate (USC S500/0511, SHA-256 thumbprint) that is not trusted for the customs authority.", usc, 2, 3);
        }
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return Refused(SignatureErrorCodes.Expired, $"The signing certificate is not valid at {now:O} (valid {certificate.NotBefore:O} to {certificate.NotAfter:O}).", usc, 2, 3);
        }
        if (Next("USA") is not { } algorithm)
        {
            return Expected("USA", "signature algorithm");
        }
        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPublicKey() : null;
        var rsaPss = algorithm.GetValue(1, 1) == "6" && algorithm.GetValue(1, 4) == RsaCode && algorithm.GetValue(1, 6) == RsaPssPadding;
        var ecdsaSha256 = algorithm.GetValue(1, 1) == "6" && algorithm.GetValue(1, 4) == EcdsaCode;
        if (!(rsaPss && rsa is not null) && !(ecdsaSha256 && ecdsa is not null))
        {
            return Refused(SignatureErrorCodes.Algorithm, $"The signature must be RSA-PSS SHA-256 (USA+6:::{RsaCode}::{RsaPssPadding}) or ECDSA SHA-256 (USA+6:::{EcdsaCode}) matching the certificate's key.", algorithm, 1, 4);
        }
        if (Next("USB") is not { } usb)
        {
            return Expected("USB", "secured data identification");
        }
        if (usb.GetValue(3) != header.SenderIdentification || usb.GetValue(4) != header.RecipientIdentification)
        {
            return Refused(SignatureErrorCodes.AutackReference, $"USB names sender '{usb.GetValue(3)}' and recipient '{usb.GetValue(4)}'; the interchange is from '{header.SenderIdentification}' to '{header.RecipientIdentification}'.", usb, usb.GetValue(3) != header.SenderIdentification ? 3 : 4);
        }
        var hashes = new List<(EdifactSegment Usy, Received Message)>();
        EdifactSegment? lastUsy = null;
        while (Next("USX") is { } usx)
        {
            if (usx.GetValue(1) != header.ControlReference)
            {
                return Refused(SignatureErrorCodes.AutackReference, $"USX refers to interchange '{usx.GetValue(1)}'; this is interchange '{header.ControlReference}'.", usx, 1);
            }
            var reference = usx.GetValue(7);
            var message = messages.FirstOrDefault(m => m.Message.MessageType != MessageType && m.Message.Reference == reference);
            if (message is null)
            {
                return Refused(SignatureErrorCodes.AutackReference, $"USX refers to message '{reference}', which is not in the interchange.", usx, 7);
            }
            if (Next("USY") is not { } usy)
            {
                return Expected("USY", "the secured message's hash");
            }
            if (usy.GetValue(1) != securityReference || usy.GetValue(2, 1) != "1" || usy.GetValue(2, 2).Length != 64)
            {
                return Refused(SignatureErrorCodes.AutackStructure, $"USY must repeat security reference '{securityReference}' and hold a SHA-256 (1:64 hex digits).", usy, usy.GetValue(1) != securityReference ? 1 : 2);
            }
            hashes.Add((usy, message));
            lastUsy = usy;
        }
        if (lastUsy is null)
        {
            return Expected("USX", "a secured message's reference");
        }
        if (Next("UST") is not { } ust)
        {
            return Expected("UST", "security trailer");
        }
        if (ust.GetValue(1) != securityReference)
        {
            return Refused(SignatureErrorCodes.AutackStructure, $"UST must repeat security reference '{securityReference}'.", ust, 1);
        }
        if (Next("USR") is not { } usr)
        {
            return Expected("USR", "the signature");
        }
        if (Next("UNT") is null)
        {
            return Expected("UNT", "message trailer");
        }
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(usr.GetValue(1, 2));
        }
        catch (FormatException)
        {
            return Refused(SignatureErrorCodes.Malformed, "The USR signature is not hex.", usr, 1, 2);
        }
        var start = (int)ush.Position.ByteOffset;
        var signed = body[start..SegmentEnd(body, (int)lastUsy.Position.ByteOffset, header.Delimiters)];
        var valid = rsa is not null
            ? rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : ecdsa!.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (!valid)
        {
            return Refused(SignatureErrorCodes.Invalid, "The AUTACK's signature does not match it: the AUTACK was changed, or signed with another key.", usr, 1, 2);
        }
        // Only a signed AUTACK's hashes mean anything: checked after its signature.
        foreach (var (usy, message) in hashes)
        {
            var actual = Convert.ToHexString(SHA256.HashData(body[message.Start..message.End]));
            if (!actual.Equals(usy.GetValue(2, 2), StringComparison.OrdinalIgnoreCase))
            {
                return Refused(SignatureErrorCodes.AutackHash, $"Message '{message.Message.Reference}' ({message.Message.MessageType}) does not match the hash its AUTACK holds: it was changed after it was signed.", usy, 2, 2);
            }
            secured.Add(message.Message.Reference);
        }
        return SignatureCheck.Ok(certificate.Thumbprint);
    }

    /// <summary>
    /// Appends an AUTACK securing every message of <paramref name="interchange"/> (one interchange, as we write them),
    /// signed with <paramref name="signer"/>'s private key, and counts it in UNZ.
    /// </summary>
    public static async Task<byte[]> SignAsync(byte[] interchange, X509Certificate2 signer, string reference = "AUTACK1", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interchange);
        ArgumentNullException.ThrowIfNull(signer);
        var messages = await ReadAsync(interchange, cancellationToken).ConfigureAwait(false);
        if (messages is null || messages.Count == 0 || messages[0].Message.Interchange is not { } header)
        {
            throw new ArgumentException("Not an EDIFACT interchange with messages.", nameof(interchange));
        }
        var d = header.Delimiters;
        var (plus, colon, end) = ((char)d.ElementSeparator, (char)d.ComponentSeparator, (char)d.SegmentTerminator);
        using var rsa = signer.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? signer.GetECDsaPrivateKey() : null;
        if (rsa is null && ecdsa is null)
        {
            throw new ArgumentException("The signing certificate has no RSA or EC private key.", nameof(signer));
        }
        var secref = "1";
        var head = new List<string>
        {
            $"USH{plus}7{plus}{secref}{end}",
            $"USA{plus}1{colon}{colon}{colon}{HashAlgorithmCode}{end}",
            $"USC{plus}1{plus}3{colon}{colon}{Convert.ToHexString(SHA256.HashData(signer.RawData))}{end}",
            rsa is not null ? $"USA{plus}6{colon}{colon}{colon}{RsaCode}{colon}{colon}{RsaPssPadding}{end}" : $"USA{plus}6{colon}{colon}{colon}{EcdsaCode}{end}",
            $"USB{plus}1{plus}{plus}{header.SenderIdentification}{plus}{header.RecipientIdentification}{end}",
        };
        foreach (var message in messages)
        {
            var digest = Convert.ToHexString(SHA256.HashData(interchange.AsSpan(message.Start, message.End - message.Start)));
            head.Add($"USX{plus}{header.ControlReference}{plus}{plus}{plus}{plus}{plus}{plus}{message.Message.Reference}{end}");
            head.Add($"USY{plus}{secref}{plus}1{colon}{digest}{end}");
        }
        var signedPart = Encoding.ASCII.GetBytes(string.Concat(head));
        var signature = rsa is not null
            ? rsa.SignData(signedPart, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : ecdsa!.SignData(signedPart, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        // UNH, USH, USA, USC, USA, USB, a USX and USY per message, UST, USR, UNT; UST counts the six security segments.
        var segmentCount = 9 + (2 * messages.Count);
        var tail = string.Create(CultureInfo.InvariantCulture, $"UST{plus}{secref}{plus}6{end}USR{plus}1{colon}{Convert.ToHexString(signature)}{end}UNT{plus}{segmentCount}{plus}{reference}{end}");
        var autack = Encoding.ASCII.GetBytes($"UNH{plus}{reference}{plus}AUTACK{colon}4{colon}1{colon}UN{end}").Concat(signedPart).Concat(Encoding.ASCII.GetBytes(tail)).ToArray();

        // Insert before UNZ and count the AUTACK there (UNZ 0036).
        var text = Encoding.Latin1.GetString(interchange);
        var unz = text.LastIndexOf("UNZ" + plus, StringComparison.Ordinal);
        if (unz < 0)
        {
            throw new ArgumentException("The interchange has no UNZ.", nameof(interchange));
        }
        var countEnd = text.IndexOf(plus, unz + 4);
        var count = int.Parse(text[(unz + 4)..countEnd], CultureInfo.InvariantCulture) + 1;
        var trailer = Encoding.Latin1.GetBytes($"UNZ{plus}{count.ToString(CultureInfo.InvariantCulture)}{text[countEnd..]}");
        return [.. interchange.AsSpan(0, unz), .. autack, .. trailer];
    }

    private static async Task<List<Received>?> ReadAsync(ReadOnlyMemory<byte> interchange, CancellationToken cancellationToken)
    {
        var list = new List<Received>();
        try
        {
            using var stream = new MemoryStream(interchange.ToArray(), writable: false);
            var reader = new EdifactStreamReader(stream, new EdifactValidationOptions { Mode = EdifactValidationMode.Lenient });
            await using (reader.ConfigureAwait(false))
            {
                await foreach (var message in reader.ReadMessagesAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!message.HasTrailer || message.Interchange is not { } header)
                    {
                        return null;
                    }
                    var start = (int)message.Header.Position.ByteOffset;
                    var end = SegmentEnd(interchange.Span, (int)message.Segments[^1].Position.ByteOffset, header.Delimiters);
                    list.Add(new Received(message, start, end));
                }
            }
        }
        catch (EdifactException)
        {
            return null;
        }
        return list;
    }

    /// <summary>The offset just past the terminator of the segment starting at <paramref name="start"/> (released terminators skipped).</summary>
    private static int SegmentEnd(ReadOnlySpan<byte> body, int start, EdifactDelimiters delimiters)
    {
        for (var i = start; i < body.Length; i++)
        {
            if (delimiters.HasReleaseCharacter && body[i] == delimiters.ReleaseCharacter)
            {
                i++;
            }
            else if (body[i] == delimiters.SegmentTerminator)
            {
                return i + 1;
            }
        }
        return body.Length;
    }

    private static SignatureCheck Refused(string code, string detail, EdifactSegment segment, int element, int component = 0) =>
        SignatureCheck.Refused(code, $"{detail} (segment {segment.Position.Segment}, {segment.Tag}{(element > 0 ? $", element {element}" : string.Empty)}{(component > 0 ? $", component {component}" : string.Empty)})")
            with { Position = new SignaturePosition(segment.Position.Segment, segment.Tag, element, component) };
}
