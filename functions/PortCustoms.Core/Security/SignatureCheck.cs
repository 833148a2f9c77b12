namespace PortCustoms.Core.Security;

/// <summary>Stable codes of a refused message signature (problem bodies, logs and reports name them).</summary>
public static class SignatureErrorCodes
{
    public const string Missing = "SIG-MISSING";
    public const string Malformed = "SIG-MALFORMED";
    public const string Algorithm = "SIG-ALGORITHM";
    public const string UntrustedKey = "SIG-UNTRUSTED-KEY";
    public const string Invalid = "SIG-INVALID";
    public const string Expired = "SIG-CERTIFICATE-EXPIRED";
}

/// <summary>The outcome of checking a message's signature: valid with the signer, or refused with a code and a plain reason.</summary>
public sealed record SignatureCheck(bool Valid, string? Code, string Detail, string? SignerThumbprint)
{
    public static SignatureCheck Ok(string thumbprint) => new(true, null, "The signature is valid.", thumbprint);

    public static SignatureCheck Refused(string code, string detail) => new(false, code, detail, null);
}
