using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace PortCustoms.Core.Security;

/// <summary>
/// A detached JWS (RFC 7515 appendix F) over a JSON body with an unencoded payload (RFC 7797: <c>b64: false</c>, named in
/// <c>crit</c>), so the body travels as it is and the signature in a header (<c>X-JWS-Signature</c>): <c>header..signature</c>.
/// The signer is named by <c>x5t#S256</c> (the SHA-256 thumbprint of its certificate), so a verifier picks the key from
/// the certificates it trusts and never from the message. Algorithms: PS256 and RS256 for RSA keys, ES256 and ES384 for
/// EC keys; <c>none</c> and HMAC are refused.
/// </summary>
public static class DetachedJws
{
    public const string HeaderName = "X-JWS-Signature";

    private static readonly string[] s_critical = ["b64"];
    private static readonly string[] s_allowed = ["PS256", "RS256", "ES256", "ES384"];

    public static string Sign(ReadOnlySpan<byte> payload, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var rsa = certificate.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPrivateKey() : null;
        var alg = rsa is not null ? "PS256" : ecdsa is not null ? (ecdsa.KeySize > 256 ? "ES384" : "ES256") : throw new ArgumentException("The signing certificate has no RSA or EC private key.", nameof(certificate));
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = alg,
            ["b64"] = false,
            ["crit"] = s_critical,
            ["x5t#S256"] = Base64Url.EncodeToString(SHA256.HashData(certificate.RawData)),
        });
        var encodedHeader = Base64Url.EncodeToString(header);
        var input = SigningInput(encodedHeader, payload, unencoded: true);
        var signature = rsa is not null
            ? rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : ecdsa!.SignData(input, alg == "ES384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{encodedHeader}..{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Checks <paramref name="jws"/> over <paramref name="payload"/> against the trusted certificates only.</summary>
    public static SignatureCheck Verify(ReadOnlySpan<byte> payload, string? jws, IReadOnlyCollection<X509Certificate2> trusted, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (string.IsNullOrWhiteSpace(jws))
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Missing, $"The message carries no signature ({HeaderName}).");
        }
        var parts = jws.Trim().Split('.');
        if (parts.Length != 3 || parts[1].Length != 0)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The signature is not a detached JWS (header..signature).");
        }
        JsonElement header;
        byte[] signature;
        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            header = document.RootElement.Clone();
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The signature's header or value is not valid base64url JSON.");
        }
        if (header.ValueKind != JsonValueKind.Object || !header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The signature's header names no algorithm.");
        }
        var alg = algElement.GetString()!;
        if (!s_allowed.Contains(alg, StringComparer.Ordinal))
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Algorithm, $"Algorithm '{alg}' is not accepted (PS256, RS256, ES256, ES384).");
        }
        var unencoded = header.TryGetProperty("b64", out var b64) && b64.ValueKind == JsonValueKind.False;
        var critical = header.TryGetProperty("crit", out var crit) && crit.ValueKind == JsonValueKind.Array
            ? crit.EnumerateArray().Select(c => c.GetString()).ToList()
            : [];
        // RFC 7797 section 6: b64 must be understood, so it is named in crit; any other critical extension is unknown to us.
        if ((unencoded && !critical.Contains("b64")) || critical.Any(c => c != "b64"))
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Malformed, "The signature's header has b64 without crit, or a critical extension we do not implement.");
        }
        if (!header.TryGetProperty("x5t#S256", out var x5t) || x5t.ValueKind != JsonValueKind.String)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.UntrustedKey, "The signature does not name its certificate (x5t#S256).");
        }
        var certificate = trusted.FirstOrDefault(c => Base64Url.EncodeToString(SHA256.HashData(c.RawData)) == x5t.GetString());
        if (certificate is null)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.UntrustedKey, "The signature was made with a certificate that is not trusted for this sender.");
        }
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return SignatureCheck.Refused(SignatureErrorCodes.Expired, $"The signing certificate is not valid at {now:O} (valid {certificate.NotBefore:O} to {certificate.NotAfter:O}).");
        }

        var input = SigningInput(parts[0], payload, unencoded);
        bool valid;
        if (alg.StartsWith("ES", StringComparison.Ordinal))
        {
            using var ecdsa = certificate.GetECDsaPublicKey();
            valid = ecdsa is not null && ecdsa.VerifyData(input, signature, alg == "ES384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        else
        {
            using var rsa = certificate.GetRSAPublicKey();
            valid = rsa is not null && rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        }
        return valid
            ? SignatureCheck.Ok(certificate.Thumbprint)
            : SignatureCheck.Refused(SignatureErrorCodes.Invalid, "The signature does not match the message: it was changed, or signed with another key.");
    }

    private static byte[] SigningInput(string encodedHeader, ReadOnlySpan<byte> payload, bool unencoded)
    {
        var head = Encoding.ASCII.GetBytes(encodedHeader + ".");
        if (unencoded)
        {
            var input = new byte[head.Length + payload.Length];
            head.CopyTo(input, 0);
            payload.CopyTo(input.AsSpan(head.Length));
            return input;
        }
        return [.. head, .. Encoding.ASCII.GetBytes(Base64Url.EncodeToString(payload))];
    }
}
