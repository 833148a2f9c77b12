using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PortCustoms.Core.Security;

namespace PortCustoms.Core.Tests.Security;

/// <summary>The AUTACK profile: our AUTACK verifies with our verifier, and every way of breaking it is refused with a positioned, stable code.</summary>
public sealed class AutackTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    internal static X509Certificate2 Rsa(string name = "customs", DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(Now.AddDays(-10), notAfter ?? Now.AddDays(30));
    }

    private static X509Certificate2 Ec()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=customs-ec", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    internal static string Cusres(string container, string reference, string interchange = "AUT000001") =>
        "UNA:+.? '\nUNB+UNOC:3+NLCUSTOMS+NLRTMECT+261126:0710+" + interchange + "'\n"
        + "UNH+" + reference + "+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000009+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\n"
        + "EQD+CN+" + container + "'\nRFF+ABT:24NL0000000000009'\nUNT+7+" + reference + "'\n"
        + "UNH+" + reference + "B+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000010+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\n"
        + "EQD+CN+" + container + "'\nRFF+ABT:24NL0000000000010'\nUNT+7+" + reference + "B'\n"
        + "UNZ+2+" + interchange + "'\n";

    private static readonly byte[] Interchange = Encoding.Latin1.GetBytes(Cusres("MSCU1234566", "1"));

    private static async Task<SignatureCheck> VerifyAsync(byte[] body, X509Certificate2 trusted, DateTimeOffset? now = null) =>
        await Autack.VerifyAsync(body, [PublicOnly(trusted)], now ?? Now);

    private static byte[] Replace(byte[] body, string from, string to)
    {
        var text = Encoding.Latin1.GetString(body);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text[..at] + to + text[(at + from.Length)..]);
    }

    [Fact]
    public async Task Our_AUTACK_verifies_with_our_verifier_for_RSA_PSS_and_ECDSA()
    {
        foreach (var signer in new[] { Rsa(), Ec() })
        {
            var signed = await Autack.SignAsync(Interchange, signer);
            var text = Encoding.Latin1.GetString(signed);
            Assert.Contains("UNH+AUTACK1+AUTACK:4:1:UN'", text, StringComparison.Ordinal);
            Assert.EndsWith("UNZ+3+AUT000001'\n", text, StringComparison.Ordinal);
            var check = await VerifyAsync(signed, signer);
            Assert.True(check.Valid, check.Detail);
            Assert.Equal(signer.Thumbprint, check.SignerThumbprint);
        }
    }

    [Fact]
    public async Task Tampering_one_byte_of_a_CUSRES_fails_with_the_hash_mismatch_at_its_USY()
    {
        var signer = Rsa();
        var signed = await Autack.SignAsync(Interchange, signer);
        var tampered = Replace(signed, "GIS+4'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000010", "GIS+5'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000010");

        var check = await VerifyAsync(tampered, signer);

        Assert.Equal(SignatureErrorCodes.AutackHash, check.Code);
        Assert.Equal(("USY", 2, 2), (check.Position!.Tag, check.Position.Element, check.Position.Component));
        Assert.Contains("'1B'", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_AUTACK_fails_its_signature()
    {
        var signer = Rsa();
        var signed = await Autack.SignAsync(Interchange, signer);
        // Any byte the signature covers (here USB's response type, which nothing else checks).
        var check = await VerifyAsync(Replace(signed, "USB+1++", "USB+2++"), signer);
        Assert.Equal((SignatureErrorCodes.Invalid, "USR"), (check.Code, check.Position!.Tag));
    }

    [Fact]
    public async Task An_AUTACK_referencing_a_message_not_in_the_interchange_is_refused_at_USX_element_7()
    {
        var signer = Rsa();
        var signed = await Autack.SignAsync(Interchange, signer);
        var check = await VerifyAsync(Replace(signed, "USX+AUT000001++++++1B'", "USX+AUT000001++++++9'"), signer);
        Assert.Equal(SignatureErrorCodes.AutackReference, check.Code);
        Assert.Equal(("USX", 7), (check.Position!.Tag, check.Position.Element));
    }

    [Fact]
    public async Task An_AUTACK_for_another_interchange_is_refused_at_USX_element_1()
    {
        var signer = Rsa();
        var signed = await Autack.SignAsync(Interchange, signer);
        var check = await VerifyAsync(Replace(signed, "USX+AUT000001++++++1'", "USX+OTHER++++++1'"), signer);
        Assert.Equal((SignatureErrorCodes.AutackReference, "USX", 1), (check.Code, check.Position!.Tag, check.Position.Element));
    }

    [Fact]
    public async Task A_CUSRES_no_AUTACK_secures_is_refused_at_its_UNH()
    {
        var signer = Rsa();
        var oneSecured = Encoding.Latin1.GetBytes(Cusres("MSCU1234566", "1").Replace("UNZ+2", "UNZ+1", StringComparison.Ordinal)
            .Replace("UNH+1B+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000010+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000010'\nUNT+7+1B'\n", string.Empty, StringComparison.Ordinal));
        var signed = Encoding.Latin1.GetString(await Autack.SignAsync(oneSecured, signer));
        // A second CUSRES slipped in after signing.
        var extra = "UNH+2+CUSRES:D:96B:UN'\nBGM+962+24NL0000000000011+9'\nDTM+182:202611260710?+00:303'\nGIS+4'\nEQD+CN+MSCU1234566'\nRFF+ABT:24NL0000000000011'\nUNT+7+2'\n";
        var smuggled = Encoding.Latin1.GetBytes(signed.Replace("UNZ+2", extra + "UNZ+3", StringComparison.Ordinal));

        var check = await VerifyAsync(smuggled, signer);

        Assert.Equal((SignatureErrorCodes.AutackUncovered, "UNH"), (check.Code, check.Position!.Tag));
    }

    [Fact]
    public async Task No_AUTACK_is_a_missing_signature()
    {
        var check = await VerifyAsync(Interchange, Rsa());
        Assert.Equal(SignatureErrorCodes.Missing, check.Code);
    }

    [Fact]
    public async Task An_AUTACK_by_an_untrusted_certificate_is_refused_at_USC()
    {
        var signed = await Autack.SignAsync(Interchange, Rsa("forger"));
        var check = await VerifyAsync(signed, Rsa());
        Assert.Equal((SignatureErrorCodes.UntrustedKey, "USC", 2, 3), (check.Code, check.Position!.Tag, check.Position.Element, check.Position.Component));
    }

    [Fact]
    public async Task An_AUTACK_by_an_expired_certificate_is_refused()
    {
        var signer = Rsa(notAfter: Now.AddDays(-1));
        var check = await VerifyAsync(await Autack.SignAsync(Interchange, signer), signer);
        Assert.Equal(SignatureErrorCodes.Expired, check.Code);
    }

    [Theory]
    [InlineData("USA+1:::16'", "USA+1:::1'", SignatureErrorCodes.Algorithm, "USA")]
    [InlineData("USA+6:::10::PSS'", "USA+6:::10::PK1'", SignatureErrorCodes.Algorithm, "USA")]
    [InlineData("USH+7+1'", "USH+1+1'", SignatureErrorCodes.AutackStructure, "USH")]
    [InlineData("AUTACK:4:1:UN", "AUTACK:4:2:UN", SignatureErrorCodes.AutackStructure, "UNH")]
    [InlineData("USB+1++NLCUSTOMS+NLRTMECT'", "USB+1++BECUSTOMS+NLRTMECT'", SignatureErrorCodes.AutackReference, "USB")]
    [InlineData("UST+1+6'", "", SignatureErrorCodes.AutackStructure, "USR")]
    public async Task Anything_outside_the_profile_is_refused_with_a_positioned_finding(string from, string to, string code, string tag)
    {
        var signer = Rsa();
        var check = await VerifyAsync(Replace(await Autack.SignAsync(Interchange, signer), from, to), signer);
        Assert.Equal((code, tag), (check.Code, check.Position?.Tag));
        Assert.True(check.Position!.Segment > 1);
    }
}
