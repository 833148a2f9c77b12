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

    /// <summary>An AUTACK that breaks the profile's segment order or values (positioned).</summary>
    public const string AutackStructure = "SIG-AUTACK-STRUCTURE";

    /// <summary>An AUTACK whose USB or USX names another interchange, sender, recipient or a message that is not in the interchange.</summary>
    public const string AutackReference = "SIG-AUTACK-REFERENCE";

    /// <summary>A message's SHA-256 differs from the hash its AUTACK's USY holds: the message was changed.</summary>
    public const string AutackHash = "SIG-AUTACK-HASH";

    /// <summary>A message of the interchange that no AUTACK secures.</summary>
    public const string AutackUncovered = "SIG-AUTACK-UNCOVERED";

    /// <summary>
    /// Whether a refusal means the request is malformed (400: fix and resend) rather than unproven (403: the message
    /// does not prove it comes from the authority).
    /// </summary>
    public static bool IsMalformed(string code) => code is Malformed or Algorithm or AutackStructure or AutackReference;
}

/// <summary>The outcome of checking a message's signature: valid with the signer, or refused with a code and a plain reason.</summary>
public sealed record SignatureCheck(bool Valid, string? Code, string Detail, string? SignerThumbprint)
{
    /// <summary>For EDIFACT (AUTACK): where the finding is, 1-based as CONTRL counts (segment in the interchange, element, component); null elsewhere.</summary>
    public SignaturePosition? Position { get; init; }

    public static SignatureCheck Ok(string thumbprint) => new(true, null, "The signature is valid.", thumbprint);

    public static SignatureCheck Refused(string code, string detail) => new(false, code, detail, null);
}

/// <summary>Where in an EDIFACT interchange a signature finding is: the segment (1-based, UNB being 1), its tag, element and component (0: the whole).</summary>
public sealed record SignaturePosition(int Segment, string Tag, int Element, int Component);
